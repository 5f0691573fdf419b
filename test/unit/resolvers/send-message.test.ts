// sendMessage's pipeline: validateMessage, loadTurnContext, checkActiveReply, invokeChat, and the resolver around
// them (writeTurn: write-turn.test.ts). Each step is called as AppSync calls it, with the stash and prev.result it would see.
import { describe, expect, it } from '@jest/globals';
import * as sendMessage from '../../../resolvers/Mutation.sendMessage.ts';
import { INTERRUPTED_REASON } from '../../../resolvers/lease.ts';
import * as checkActiveReply from '../../../resolvers/steps/checkActiveReply.ts';
import * as invokeChat from '../../../resolvers/steps/invokeChat.ts';
import * as loadSentTurn from '../../../resolvers/steps/loadSentTurn.ts';
import * as loadTurnContext from '../../../resolvers/steps/loadTurnContext.ts';
import * as validateMessage from '../../../resolvers/steps/validateMessage.ts';
import { UnauthorizedError } from '../../../sandbox/appsync/runtime/state.ts';
import {
  CONVERSATION_ID, contextOf, MESSAGE_ID, NOW, NOW_SECONDS, REPLY_ID, resolverErrorOf, S, SUB, thrown, useFixedClock,
} from '../../support/resolver-context.ts';
import { CLIENT_MESSAGE_ID, conversation, earlyReturnOf, input, MESSAGES_PK, OWNER, storedTurn } from './turn-fixtures.ts';

useFixedClock();

const batch = (conversationItem: unknown, usage: unknown, sent: unknown) => ({ data: { ChatTable: [conversationItem, usage, sent] } });
const activeReply = (status: string, leaseUntil: number) => ({ id: REPLY_ID, conversationId: CONVERSATION_ID, role: 'ASSISTANT', status, leaseUntil });

describe('validateMessage', () => {
  it('keeps the trimmed content in the stash and asks the NONE data source for nothing', () => {
    const ctx = contextOf({ arguments: input() });

    const request = validateMessage.request(ctx);

    expect([request, ctx.stash['content'] as unknown]).toStrictEqual([{ payload: null }, 'Hello']);
  });

  it('accepts content of exactly 32,000 characters', () => {
    const ctx = contextOf({ arguments: input({ content: 'a'.repeat(32000) }) });

    validateMessage.request(ctx);

    expect((ctx.stash['content'] as string).length).toBe(32000);
  });

  it('refuses content of 32,001 characters', () => {
    const ctx = contextOf({ arguments: input({ content: 'a'.repeat(32001) }) });

    const error = resolverErrorOf(() => validateMessage.request(ctx));

    expect(error).toMatchObject({ errorType: 'ValidationError', message: 'content is 32001 characters; the limit is 32000.' });
  });

  it('refuses empty content', () => {
    const ctx = contextOf({ arguments: input({ content: '' }) });

    expect(resolverErrorOf(() => validateMessage.request(ctx))).toMatchObject({ errorType: 'ValidationError', message: 'content must not be empty.' });
  });

  it('refuses content of only whitespace', () => {
    const ctx = contextOf({ arguments: input({ content: ' \n\t ' }) });

    expect(resolverErrorOf(() => validateMessage.request(ctx))).toMatchObject({ errorType: 'ValidationError', message: 'content must not be empty.' });
  });

  it('refuses a conversation id that is not a 26-character ULID', () => {
    const ctx = contextOf({ arguments: input({ conversationId: CONVERSATION_ID.toLowerCase() }) });

    expect(resolverErrorOf(() => validateMessage.request(ctx)).errorType).toBe('ValidationError');
  });

  it.each([
    ['too short', 'abc1234'],
    ['too long', 'a'.repeat(65)],
    ['with a space', 'abc defgh'],
    ['with a slash', '../../abcdefgh'],
  ])('refuses a clientMessageId %s', (_case, clientMessageId) => {
    const ctx = contextOf({ arguments: input({ clientMessageId }) });

    const error = resolverErrorOf(() => validateMessage.request(ctx));

    expect(error).toMatchObject({ errorType: 'ValidationError', message: `clientMessageId '${clientMessageId}' must be 8 to 64 letters, digits, '-' or '_' (a UUID works).` });
  });

  it('returns nothing', () => {
    expect(validateMessage.response(contextOf({ arguments: input(), result: null }))).toBeNull();
  });
});

describe('loadTurnContext', () => {
  it('reads the conversation, today\'s usage and the clientMessageId record in one consistent BatchGetItem', () => {
    const ctx = contextOf({ arguments: input() });

    expect(loadTurnContext.request(ctx)).toStrictEqual({
      operation: 'BatchGetItem',
      tables: {
        ChatTable: {
          keys: [
            { pk: OWNER, sk: S(`CONV#${CONVERSATION_ID}`) },
            { pk: OWNER, sk: S('USAGE#2025-05-01') },
            { pk: MESSAGES_PK, sk: S(`CLIENT#${CLIENT_MESSAGE_ID}`) },
          ],
          consistentRead: true,
        },
      },
    });
  });

  it('refuses a caller without identity', () => {
    const ctx = contextOf({ arguments: input(), identity: null });

    expect(thrown(() => loadTurnContext.request(ctx))).toBeInstanceOf(UnauthorizedError);
  });

  it('keeps the conversation and today\'s usage in the stash when the turn may go ahead', () => {
    const usage = { inputTokens: 500, outputTokens: 499 };
    const ctx = contextOf({ arguments: input(), stash: { content: 'Hello' }, result: batch(conversation, usage, null) });

    const result = loadTurnContext.response(ctx);

    expect([result, ctx.stash['conversation'], ctx.stash['usage'], ctx.stash['duplicate']]).toStrictEqual([null, conversation, usage, undefined]);
  });

  it('keeps the stored turn when the clientMessageId was already sent with the same content', () => {
    const ctx = contextOf({ arguments: input(), stash: { content: 'Hello' }, result: batch(conversation, null, { ...storedTurn, expiresAt: NOW_SECONDS }) });

    const result = loadTurnContext.response(ctx);

    expect([result, ctx.stash['duplicate'], ctx.stash['sent']]).toStrictEqual([storedTurn, true, storedTurn]);
  });

  it('answers a clientMessageId already sent by the same turn even once today\'s tokens are spent', () => {
    const ctx = contextOf({ arguments: input(), stash: { content: 'Hello' }, result: batch(conversation, { inputTokens: 5000 }, storedTurn) });

    expect(loadTurnContext.response(ctx)).toStrictEqual(storedTurn);
  });

  it('refuses a clientMessageId already sent with other content, with Conflict, before anything is written', () => {
    const ctx = contextOf({ arguments: input({ content: 'Goodbye' }), stash: { content: 'Goodbye' }, result: batch(conversation, null, storedTurn) });

    const error = resolverErrorOf(() => loadTurnContext.response(ctx));

    expect(error).toMatchObject({
      errorType: 'Conflict',
      message: `clientMessageId '${CLIENT_MESSAGE_ID}' was already used for a different message in this conversation; send a new message with a new clientMessageId.`,
    });
  });

  it('answers NotFound when the caller has no such conversation', () => {
    const ctx = contextOf({ arguments: input(), stash: { content: 'Hello' }, result: batch(null, null, null) });

    const error = resolverErrorOf(() => loadTurnContext.response(ctx));

    expect(error).toMatchObject({ errorType: 'NotFound', message: 'The conversation was not found.' });
  });

  it('answers QuotaExceeded when today\'s tokens reach the quota', () => {
    const ctx = contextOf({ arguments: input(), stash: { content: 'Hello' }, result: batch(conversation, { inputTokens: 600, outputTokens: 400 }, null) });

    const error = resolverErrorOf(() => loadTurnContext.response(ctx));

    expect(error).toMatchObject({ errorType: 'QuotaExceeded', message: 'You have used your 1000 tokens for today; the quota resets at midnight UTC.' });
  });

  it('answers QuotaExceeded when today\'s tokens are over the quota', () => {
    const ctx = contextOf({ arguments: input(), stash: { content: 'Hello' }, result: batch(conversation, { inputTokens: 5000 }, null) });

    expect(resolverErrorOf(() => loadTurnContext.response(ctx)).errorType).toBe('QuotaExceeded');
  });

  it('raises a data source error', () => {
    const ctx = contextOf({ arguments: input(), result: null, error: { message: 'Throttled', type: 'DynamoDB:ThrottlingException' } });

    expect(resolverErrorOf(() => loadTurnContext.response(ctx)).errorType).toBe('DynamoDB:ThrottlingException');
  });
});

describe('loadSentTurn', () => {
  const current = { ...storedTurn.reply, content: 'Hi there!', status: 'COMPLETE', seq: 3 };

  it('skips to the next step when the message was not sent before', () => {
    const ctx = contextOf({ arguments: input(), stash: { conversation }, prev: { result: null } });

    const signal = earlyReturnOf(() => loadSentTurn.request(ctx));

    expect([signal.skipTo, signal.value]).toStrictEqual(['NEXT', null]);
  });

  it('reads the reply the message made under the caller, consistently', () => {
    const ctx = contextOf({ arguments: input(), stash: { duplicate: true, sent: storedTurn }, prev: { result: storedTurn } });

    expect(loadSentTurn.request(ctx)).toStrictEqual({ operation: 'GetItem', key: { pk: MESSAGES_PK, sk: S(`MSG#${REPLY_ID}`) }, consistentRead: true });
  });

  it('answers with the reply as it is now, not as it was sent', () => {
    const ctx = contextOf({ arguments: input(), stash: { duplicate: true, sent: storedTurn }, result: current });

    expect(loadSentTurn.response(ctx)).toStrictEqual({ userMessage: storedTurn.userMessage, reply: current });
  });

  it('answers a reply whose function died as INTERRUPTED, as readers see it', () => {
    const ctx = contextOf({ arguments: input(), stash: { duplicate: true, sent: storedTurn }, result: { ...storedTurn.reply, status: 'STREAMING', leaseUntil: NOW - 1 } });

    expect(loadSentTurn.response(ctx)).toMatchObject({ reply: { status: 'INTERRUPTED', error: INTERRUPTED_REASON } });
  });

  it('answers with the reply as sent, as readers would see it now, when it has since been replaced', () => {
    const ctx = contextOf({ arguments: input(), stash: { duplicate: true, sent: storedTurn }, result: null });

    expect(loadSentTurn.response(ctx)).toStrictEqual({ userMessage: storedTurn.userMessage, reply: { ...storedTurn.reply, status: 'INTERRUPTED', error: INTERRUPTED_REASON } });
  });

  it('raises a data source error', () => {
    const ctx = contextOf({ arguments: input(), stash: { duplicate: true, sent: storedTurn }, result: null, error: { message: 'boom', type: 'DynamoDB:InternalServerError' } });

    expect(resolverErrorOf(() => loadSentTurn.response(ctx)).errorType).toBe('DynamoDB:InternalServerError');
  });
});

describe('checkActiveReply', () => {
  it('skips to the next step when no reply is in flight', () => {
    const ctx = contextOf({ arguments: input(), stash: { conversation }, prev: { result: null } });

    const signal = earlyReturnOf(() => checkActiveReply.request(ctx));

    expect([signal.skipTo, signal.value]).toStrictEqual(['NEXT', null]);
  });

  it('reads the active reply under the caller, consistently', () => {
    const ctx = contextOf({ arguments: input(), stash: { conversation: { ...conversation, activeReplyId: REPLY_ID } }, prev: { result: null } });

    expect(checkActiveReply.request(ctx)).toStrictEqual({ operation: 'GetItem', key: { pk: MESSAGES_PK, sk: S(`MSG#${REPLY_ID}`) }, consistentRead: true });
  });

  it('ends the pipeline with the stored turn when the message is a duplicate', () => {
    const ctx = contextOf({ arguments: input(), stash: { duplicate: true }, prev: { result: storedTurn } });

    const signal = earlyReturnOf(() => checkActiveReply.request(ctx));

    expect([signal.skipTo, signal.value]).toStrictEqual(['END', storedTurn]);
  });

  it.each(['PENDING', 'STREAMING'])('refuses the turn with Conflict while a %s reply holds its lease', (status) => {
    const ctx = contextOf({ arguments: input(), stash: { conversation }, prev: { result: null }, result: activeReply(status, NOW + 1) });

    const error = resolverErrorOf(() => checkActiveReply.response(ctx));

    expect(error).toMatchObject({ errorType: 'Conflict', message: 'A reply is already being written in this conversation: wait for it to finish or stop it.' });
  });

  it('lets the turn take over a STREAMING reply past its lease', () => {
    const ctx = contextOf({ arguments: input(), stash: { conversation }, prev: { result: null }, result: activeReply('STREAMING', NOW - 1) });

    const result: unknown = checkActiveReply.response(ctx);

    expect([result, ctx.stash['staleReplyId'], ctx.stash['staleReply']]).toStrictEqual([null, REPLY_ID, { id: REPLY_ID, status: 'STREAMING', reservation: null }]);
  });

  it('keeps the status and reservation of a PENDING reply past its lease, for the turn that takes it over', () => {
    const reservation = { day: '2025-05-01', tokens: 4100, outputTokens: 4096 };
    const ctx = contextOf({ arguments: input(), stash: { conversation }, prev: { result: null }, result: { ...activeReply('PENDING', NOW - 1), reservation } });

    checkActiveReply.response(ctx);

    expect(ctx.stash['staleReply']).toStrictEqual({ id: REPLY_ID, status: 'PENDING', reservation });
  });

  it('names no stale reply when the active one has ended, but still lets the turn replace it', () => {
    const ctx = contextOf({ arguments: input(), stash: { conversation: { ...conversation, activeReplyId: REPLY_ID } }, prev: { result: null }, result: activeReply('COMPLETE', NOW - 1) });

    checkActiveReply.response(ctx);

    // The transaction's condition names the ended reply, so a conversation whose activeReplyId was
    // never cleared (a function that died between its last two writes) is not stuck in Conflict.
    expect([ctx.stash['staleReplyId'], ctx.stash['previousReplyId']]).toStrictEqual([null, REPLY_ID]);
  });

  it('names no stale reply when the active one is missing', () => {
    const ctx = contextOf({ arguments: input(), stash: { conversation }, prev: { result: null }, result: null });

    checkActiveReply.response(ctx);

    expect(ctx.stash['staleReplyId']).toBeNull();
  });

  it('raises a data source error', () => {
    const ctx = contextOf({ arguments: input(), stash: { conversation }, prev: { result: null }, result: null, error: { message: 'boom', type: 'DynamoDB:InternalServerError' } });

    expect(resolverErrorOf(() => checkActiveReply.response(ctx)).errorType).toBe('DynamoDB:InternalServerError');
  });
});

describe('invokeChat', () => {
  it('starts the chat function asynchronously with the owner from the identity and the turn\'s ids', () => {
    const ctx = contextOf({ arguments: input(), stash: { turn: storedTurn }, prev: { result: storedTurn } });

    expect(invokeChat.request(ctx)).toStrictEqual({
      operation: 'Invoke',
      invocationType: 'Event',
      payload: { owner: SUB, conversationId: CONVERSATION_ID, replyId: REPLY_ID, userMessageId: MESSAGE_ID },
    });
  });

  it('passes the caller\'s own token along, for tools that call the API as the caller', () => {
    const ctx = contextOf({ arguments: input(), stash: { turn: storedTurn }, prev: { result: storedTurn }, request: { headers: { authorization: 'the-caller-token' } } });

    expect((invokeChat.request(ctx) as { payload: Record<string, unknown> }).payload).toStrictEqual({
      owner: SUB, conversationId: CONVERSATION_ID, replyId: REPLY_ID, userMessageId: MESSAGE_ID, userToken: 'the-caller-token',
    });
  });

  it('passes the conversation\'s settings as loadTurnContext read them, so the function need not read them again', () => {
    const conversation = {
      id: CONVERSATION_ID, title: null, model: 'claude-sonnet-4-6', systemPrompt: 'Be brief.', thinkingBudgetTokens: 1024, messageCount: 0, contextTokens: 3,
    };
    const ctx = contextOf({ arguments: input(), stash: { turn: storedTurn, conversation }, prev: { result: storedTurn } });

    expect((invokeChat.request(ctx) as { payload: Record<string, unknown> }).payload).toStrictEqual({
      owner: SUB, conversationId: CONVERSATION_ID, replyId: REPLY_ID, userMessageId: MESSAGE_ID,
      conversation: { model: 'claude-sonnet-4-6', systemPrompt: 'Be brief.', thinkingBudgetTokens: 1024, title: null },
    });
  });

  it('ends the pipeline with the stored turn when the message is a duplicate', () => {
    const ctx = contextOf({ arguments: input(), stash: { duplicate: true }, prev: { result: storedTurn } });

    const signal = earlyReturnOf(() => invokeChat.request(ctx));

    expect([signal.skipTo, signal.value]).toStrictEqual(['END', storedTurn]);
  });

  it('returns the turn once the function is started', () => {
    const ctx = contextOf({ arguments: input(), stash: { turn: storedTurn }, result: { StatusCode: 202 } });

    expect(invokeChat.response(ctx)).toBe(storedTurn);
  });

  it('raises a failed invocation', () => {
    const ctx = contextOf({ arguments: input(), stash: { turn: storedTurn }, result: null, error: { message: 'Rate exceeded', type: 'Lambda:TooManyRequestsException' } });

    expect(resolverErrorOf(() => invokeChat.response(ctx)).errorType).toBe('Lambda:TooManyRequestsException');
  });
});

describe('sendMessage', () => {
  it('starts the pipeline with an empty request', () => {
    expect(sendMessage.request(contextOf({ arguments: input() }))).toStrictEqual({});
  });

  it('returns the last step\'s turn, each message with its blocks: the user\'s text as one TEXT block, none for a reply with no text yet', () => {
    const ctx = contextOf({ arguments: input(), prev: { result: storedTurn } });

    expect(sendMessage.response(ctx)).toStrictEqual({
      userMessage: { ...storedTurn.userMessage, blocks: [{ index: 0, type: 'TEXT', text: 'Hello' }] },
      reply: { ...storedTurn.reply, blocks: [] },
    });
  });

  it('answers a repeated clientMessageId with the first turn, its reply as it is now, and writes nothing', () => {
    const stash: Record<string, unknown> = { content: 'Hello' };
    const now = { ...storedTurn.reply, content: 'Hi there!', status: 'COMPLETE', seq: 3 };
    const loaded = loadTurnContext.response(contextOf({ arguments: input(), stash, result: batch(conversation, null, storedTurn) }));
    loadSentTurn.request(contextOf({ arguments: input(), stash, prev: { result: loaded } }));
    const sent = loadSentTurn.response(contextOf({ arguments: input(), stash, result: now }));

    const signal = earlyReturnOf(() => checkActiveReply.request(contextOf({ arguments: input(), stash, prev: { result: sent } })));
    const result = sendMessage.response(contextOf({ arguments: input(), stash, prev: { result: signal.value } }));

    expect([signal.skipTo, result]).toStrictEqual(['END', {
      userMessage: { ...storedTurn.userMessage, blocks: [{ index: 0, type: 'TEXT', text: 'Hello' }] },
      reply: { ...now, blocks: [{ index: 0, type: 'TEXT', text: 'Hi there!' }] },
    }]);
  });
});
