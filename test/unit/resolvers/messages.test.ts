// Reading history: listMessages (loadConversation, then queryMessages) and getMessage, with the lease
// that makes a reply whose function died read INTERRUPTED.
import { describe, expect, it } from '@jest/globals';
import * as listMessages from '../../../resolvers/Query.listMessages.ts';
import * as getMessage from '../../../resolvers/Query.getMessage.ts';
import * as loadConversation from '../../../resolvers/steps/loadConversation.ts';
import * as queryMessages from '../../../resolvers/steps/queryMessages.ts';
import { INTERRUPTED_REASON } from '../../../resolvers/lease.ts';
import { UnauthorizedError } from '../../../sandbox/appsync/runtime/state.ts';
import {
  CONVERSATION_ID, contextOf, MESSAGE_ID, NOW, NOW_ISO, REPLY_ID, resolverErrorOf, S, SUB, thrown, useFixedClock,
} from '../../support/resolver-context.ts';

useFixedClock();

const MESSAGES_PK = S(`USER#${SUB}#CONV#${CONVERSATION_ID}`);
const conversation = { id: CONVERSATION_ID, model: 'claude-sonnet-4-6', createdAt: NOW_ISO, updatedAt: NOW_ISO, messageCount: 2, activeReplyId: REPLY_ID };
const question = { id: MESSAGE_ID, conversationId: CONVERSATION_ID, role: 'USER', content: 'Hi', status: 'COMPLETE', seq: 0, createdAt: NOW_ISO, updatedAt: NOW_ISO };
const streaming = (leaseUntil: number) => ({
  id: REPLY_ID, conversationId: CONVERSATION_ID, role: 'ASSISTANT', content: 'Hel', status: 'STREAMING', seq: 3, createdAt: NOW_ISO, updatedAt: NOW_ISO, leaseUntil,
});

describe('loadConversation', () => {
  it('reads the caller\'s conversation named by conversationId, consistently', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID } });

    expect(loadConversation.request(ctx)).toStrictEqual({
      operation: 'GetItem', key: { pk: S(`USER#${SUB}`), sk: S(`CONV#${CONVERSATION_ID}`) }, consistentRead: true,
    });
  });

  it('takes the conversation id from input.conversationId when the field has an input', () => {
    const ctx = contextOf({ arguments: { input: { conversationId: CONVERSATION_ID } } });

    expect(loadConversation.request(ctx)).toMatchObject({ key: { sk: S(`CONV#${CONVERSATION_ID}`) } });
  });

  it('takes the conversation id from id when the field names it so', () => {
    const ctx = contextOf({ arguments: { id: CONVERSATION_ID } });

    expect(loadConversation.request(ctx)).toMatchObject({ key: { sk: S(`CONV#${CONVERSATION_ID}`) } });
  });

  it('refuses a conversation id that is not a ULID', () => {
    const ctx = contextOf({ arguments: { conversationId: 'not-a-ulid' } });

    const error = resolverErrorOf(() => loadConversation.request(ctx));

    expect(error).toMatchObject({ errorType: 'ValidationError', message: "conversationId 'not-a-ulid' is not a valid id (a 26-character ULID)." });
  });

  it('refuses a caller without identity', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID }, identity: null });

    expect(thrown(() => loadConversation.request(ctx))).toBeInstanceOf(UnauthorizedError);
  });

  it('answers NotFound when the caller has no such conversation', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID }, result: null });

    const error = resolverErrorOf(() => loadConversation.response(ctx));

    expect(error).toMatchObject({ errorType: 'NotFound', message: 'The conversation was not found.' });
  });

  it('keeps the conversation in the stash for the next steps', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID }, result: conversation });

    const result = loadConversation.response(ctx);

    expect([result, ctx.stash['conversation'] as unknown]).toStrictEqual([conversation, conversation]);
  });

  it('raises a data source error', () => {
    const ctx = contextOf({ result: null, error: { message: 'boom', type: 'DynamoDB:InternalServerError' } });

    expect(resolverErrorOf(() => loadConversation.response(ctx)).errorType).toBe('DynamoDB:InternalServerError');
  });
});

describe('queryMessages', () => {
  it('queries the conversation\'s messages under the caller, newest first, 50 by default', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID } });

    expect(queryMessages.request(ctx)).toStrictEqual({
      operation: 'Query',
      query: {
        expression: '#pk = :pk_eq AND begins_with(#sk,:sk_beginsWith)',
        expressionNames: { '#pk': 'pk', '#sk': 'sk' },
        expressionValues: { ':pk_eq': MESSAGES_PK, ':sk_beginsWith': S('MSG#') },
      },
      limit: 50,
      scanIndexForward: false,
    });
  });

  it('passes the limit and nextToken on', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID, limit: 100, nextToken: 'older' } });

    expect(queryMessages.request(ctx)).toMatchObject({ limit: 100, nextToken: 'older' });
  });

  it('refuses a limit over 100', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID, limit: 101 } });

    expect(resolverErrorOf(() => queryMessages.request(ctx)).errorType).toBe('ValidationError');
  });

  it('passes the page on', () => {
    const page = { items: [question], nextToken: null };
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID }, result: page });

    expect(queryMessages.response(ctx)).toBe(page);
  });

  it('raises a data source error', () => {
    const ctx = contextOf({ result: null, error: { message: 'The provided starting key is invalid', type: 'DynamoDB:ValidationException' } });

    expect(resolverErrorOf(() => queryMessages.response(ctx)).errorType).toBe('DynamoDB:ValidationException');
  });
});

describe('listMessages', () => {
  it('starts the pipeline with an empty request', () => {
    expect(listMessages.request(contextOf({ arguments: { conversationId: CONVERSATION_ID } }))).toStrictEqual({});
  });

  it('shows a streaming reply past its lease as INTERRUPTED', () => {
    const ctx = contextOf({ prev: { result: { items: [streaming(NOW - 1), question], nextToken: 'older' } } });

    const page = listMessages.response(ctx);

    expect(page).toStrictEqual({ items: [{ ...streaming(NOW - 1), status: 'INTERRUPTED', error: INTERRUPTED_REASON, blocks: [{ index: 0, type: 'TEXT', text: 'Hel' }] }, { ...question, blocks: [{ index: 0, type: 'TEXT', text: 'Hi' }] }], nextToken: 'older' });
  });

  it('shows a streaming reply within its lease as it is', () => {
    const ctx = contextOf({ prev: { result: { items: [streaming(NOW + 5000)] } } });

    expect(listMessages.response(ctx)).toStrictEqual({ items: [{ ...streaming(NOW + 5000), blocks: [{ index: 0, type: 'TEXT', text: 'Hel' }] }], nextToken: null });
  });

  it('answers NotFound when there is no page', () => {
    const ctx = contextOf({ prev: { result: null } });

    expect(resolverErrorOf(() => listMessages.response(ctx)).errorType).toBe('NotFound');
  });
});

describe('getMessage', () => {
  it('reads the message under the caller\'s conversation, consistently', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID, id: REPLY_ID } });

    expect(getMessage.request(ctx)).toStrictEqual({ operation: 'GetItem', key: { pk: MESSAGES_PK, sk: S(`MSG#${REPLY_ID}`) }, consistentRead: true });
  });

  it('refuses a conversation id that is not a ULID', () => {
    const ctx = contextOf({ arguments: { conversationId: 'c1', id: REPLY_ID } });

    expect(resolverErrorOf(() => getMessage.request(ctx)).message).toBe("conversationId 'c1' is not a valid id (a 26-character ULID).");
  });

  it('refuses a message id that is not a ULID', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID, id: `${REPLY_ID}0` } });

    expect(resolverErrorOf(() => getMessage.request(ctx)).message).toBe(`id '${REPLY_ID}0' is not a valid id (a 26-character ULID).`);
  });

  it('shows a STREAMING message past its lease as INTERRUPTED with a reason', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID, id: REPLY_ID }, result: streaming(NOW - 1000) });

    const message = getMessage.response(ctx);

    expect(message).toStrictEqual({ ...streaming(NOW - 1000), status: 'INTERRUPTED', error: INTERRUPTED_REASON, blocks: [{ index: 0, type: 'TEXT', text: 'Hel' }] });
  });

  it('shows a STREAMING message within its lease with its text so far and seq', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID, id: REPLY_ID }, result: streaming(NOW + 1000) });

    expect(getMessage.response(ctx)).toStrictEqual({ ...streaming(NOW + 1000), blocks: [{ index: 0, type: 'TEXT', text: 'Hel' }] });
  });

  it('returns null for a message the caller does not have', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID, id: REPLY_ID }, result: null });

    expect(getMessage.response(ctx)).toBeNull();
  });

  it('raises a data source error', () => {
    const ctx = contextOf({ result: null, error: { message: 'boom', type: 'DynamoDB:InternalServerError' } });

    expect(resolverErrorOf(() => getMessage.response(ctx)).errorType).toBe('DynamoDB:InternalServerError');
  });
});

describe('a message\'s blocks', () => {
  it('are returned as stored when the message has them, not rebuilt from its content', () => {
    const stored = [{ index: 0, type: 'THINKING', text: 'Hmm.' }, { index: 1, type: 'TEXT', text: 'Hel' }];
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID, id: REPLY_ID }, result: { ...streaming(NOW + 1000), blocks: stored } });

    expect(getMessage.response(ctx)?.blocks).toStrictEqual(stored);
  });
});
