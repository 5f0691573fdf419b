// regenerateReply's pipeline after loadConversation and checkActiveReply: findLastReply, checkQuota,
// writeRegeneration, invokeChat, and the resolver around them.
import { describe, expect, it } from '@jest/globals';
import * as regenerateReply from '../../../resolvers/Mutation.regenerateReply.ts';
import * as checkQuota from '../../../resolvers/steps/checkQuota.ts';
import * as findLastReply from '../../../resolvers/steps/findLastReply.ts';
import * as invokeChat from '../../../resolvers/steps/invokeChat.ts';
import * as writeRegeneration from '../../../resolvers/steps/writeRegeneration.ts';
import {
  CONVERSATION_ID, contextOf, MESSAGE_ID, NOW, NOW_ISO, PK_ABSENT, REPLY_ID, resolverErrorOf, S, SUB, ULID, useFixedClock,
} from '../../support/resolver-context.ts';
import { MESSAGES_PK, OWNER, reservationItem } from './turn-fixtures.ts';

useFixedClock();

const conversation = { id: CONVERSATION_ID, model: 'claude-sonnet-4-6', createdAt: NOW_ISO, updatedAt: NOW_ISO, messageCount: 2, contextTokens: 10 };
const question = { id: MESSAGE_ID, conversationId: CONVERSATION_ID, role: 'USER', content: 'Hi', status: 'COMPLETE', seq: 0 };
const answer = { id: REPLY_ID, conversationId: CONVERSATION_ID, role: 'ASSISTANT', content: 'Hello!', status: 'COMPLETE', seq: 4, replyTo: MESSAGE_ID };
const args = { conversationId: CONVERSATION_ID };

interface Regeneration { userMessage: { id: string; conversationId: string }; reply: { id: string } }

describe('findLastReply', () => {
  it('reads the newest two messages under the caller, consistently', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation } });

    expect(findLastReply.request(ctx)).toStrictEqual({
      operation: 'Query',
      query: {
        expression: '#pk = :pk_eq AND begins_with(#sk,:sk_beginsWith)',
        expressionNames: { '#pk': 'pk', '#sk': 'sk' },
        expressionValues: { ':pk_eq': MESSAGES_PK, ':sk_beginsWith': S('MSG#') },
      },
      limit: 2,
      consistentRead: true,
      scanIndexForward: false,
    });
  });

  it('replaces the last reply and answers the message before it', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation }, result: { items: [answer, question] } });

    const result = findLastReply.response(ctx);

    expect([result, ctx.stash['replaced'] as unknown, ctx.stash['answered'] as unknown]).toStrictEqual([null, answer, question]);
  });

  it('answers the last message when it is the user\'s and replaces nothing', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation }, result: { items: [question] } });

    findLastReply.response(ctx);

    expect([ctx.stash['replaced'] as unknown, ctx.stash['answered'] as unknown]).toStrictEqual([null, question]);
  });

  it('refuses a conversation without messages', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation }, result: { items: [] } });

    const error = resolverErrorOf(() => findLastReply.response(ctx));

    expect(error).toMatchObject({ errorType: 'ValidationError', message: 'The conversation has no message to answer yet.' });
  });

  it('refuses a last reply with no message of the user before it', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation }, result: { items: [answer] } });

    const error = resolverErrorOf(() => findLastReply.response(ctx));

    expect(error).toMatchObject({ errorType: 'ValidationError', message: 'The last reply does not answer a message of yours.' });
  });

  it('refuses a last reply that follows another reply', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation }, result: { items: [answer, { ...answer, id: MESSAGE_ID }] } });

    expect(resolverErrorOf(() => findLastReply.response(ctx)).errorType).toBe('ValidationError');
  });

  it('raises a data source error', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation }, result: null, error: { message: 'boom', type: 'DynamoDB:InternalServerError' } });

    expect(resolverErrorOf(() => findLastReply.response(ctx)).errorType).toBe('DynamoDB:InternalServerError');
  });
});

describe('checkQuota', () => {
  it('reads today\'s usage under the caller, consistently', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation } });

    expect(checkQuota.request(ctx)).toStrictEqual({ operation: 'GetItem', key: { pk: OWNER, sk: S('USAGE#2025-05-01') }, consistentRead: true });
  });

  it('keeps today\'s usage in the stash for the reservation and passes the previous result on', () => {
    const usage = { inputTokens: 100, outputTokens: 50, committedTokens: 150 };
    const ctx = contextOf({ arguments: args, stash: { conversation }, prev: { result: null }, result: usage });

    const result = checkQuota.response(ctx);

    expect([result, ctx.stash['usage']]).toStrictEqual([null, usage]);
  });

  it('answers QuotaExceeded once today\'s tokens are spent, as sendMessage does', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation }, prev: { result: null }, result: { inputTokens: 600, outputTokens: 400 } });

    const error = resolverErrorOf(() => checkQuota.response(ctx));

    expect(error).toMatchObject({ errorType: 'QuotaExceeded', message: 'You have used your 1000 tokens for today; the quota resets at midnight UTC.' });
  });

  it('lets a day without usage through', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation }, prev: { result: null }, result: null });

    checkQuota.response(ctx);

    expect(ctx.stash['usage']).toBeNull();
  });

  it('raises a data source error', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation }, result: null, error: { message: 'boom', type: 'DynamoDB:InternalServerError' } });

    expect(resolverErrorOf(() => checkQuota.response(ctx)).errorType).toBe('DynamoDB:InternalServerError');
  });
});

/** The reservation item of the transaction (quota.ts); 'Hi' is 1 token on a context of 10: a prompt of 11. */
const regenerationReservation = (reserved: number, limit: number) => reservationItem(0, reserved, limit);

describe('writeRegeneration', () => {
  it('puts a PENDING reply, makes it active, deletes the old reply and reserves the day\'s quota, in one transaction', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation, replaced: answer, answered: question } });

    const request = writeRegeneration.request(ctx);

    const { reply } = ctx.stash['turn'] as Regeneration;
    expect(reply.id).toMatch(ULID);
    expect(request).toStrictEqual({
      operation: 'TransactWriteItems',
      transactItems: [
        {
          table: 'ChatTable',
          operation: 'PutItem',
          key: { pk: MESSAGES_PK, sk: S(`MSG#${reply.id}`) },
          attributeValues: {
            id: S(reply.id), conversationId: S(CONVERSATION_ID), role: S('ASSISTANT'), content: S(''), status: S('PENDING'), seq: { N: 0 },
            createdAt: S(NOW_ISO), updatedAt: S(NOW_ISO), replyTo: S(MESSAGE_ID), leaseUntil: { N: NOW + 60000 }, stopRequested: { BOOL: false },
            reservation: { M: { day: S('2025-05-01'), tokens: { N: 11 + 4096 }, outputTokens: { N: 4096 } } },
          },
          condition: PK_ABSENT,
        },
        {
          table: 'ChatTable',
          operation: 'UpdateItem',
          key: { pk: OWNER, sk: S(`CONV#${CONVERSATION_ID}`) },
          update: {
            expression: 'SET #expName_1 = :expValue_1, #expName_2 = :expValue_2, #expName_3 = :expValue_3',
            expressionNames: { '#expName_1': 'activeReplyId', '#expName_2': 'updatedAt', '#expName_3': 'gsi1sk' },
            expressionValues: { ':expValue_1': S(reply.id), ':expValue_2': S(NOW_ISO), ':expValue_3': S(`${NOW_ISO}#${CONVERSATION_ID}`) },
          },
          condition: { expression: '(attribute_not_exists(#activeReplyId))', expressionNames: { '#activeReplyId': 'activeReplyId' } },
        },
        { table: 'ChatTable', operation: 'DeleteItem', key: { pk: MESSAGES_PK, sk: S(`MSG#${REPLY_ID}`) } },
        regenerationReservation(11 + 4096, 1000 - 11),
      ],
    });
  });

  it('deletes nothing when the last message is the user\'s', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation, replaced: null, answered: question } });

    const request = writeRegeneration.request(ctx) as unknown as { transactItems: { operation: string }[] };

    expect(request.transactItems.map((item) => item.operation)).toStrictEqual(['PutItem', 'UpdateItem', 'UpdateItem']);
  });

  it('refuses with QuotaExceeded a regeneration whose prompt does not fit what is left', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation, replaced: answer, answered: question, usage: { inputTokens: 900, outputTokens: 95 } } });

    expect(resolverErrorOf(() => writeRegeneration.request(ctx)).errorType).toBe('QuotaExceeded');
  });

  it('gives back the reservation of a stale reply never claimed, deleting it only while it is still PENDING', () => {
    const stale = { ...answer, status: 'PENDING', content: '', reservation: { day: '2025-05-01', tokens: 4100, outputTokens: 4096 } };
    const ctx = contextOf({ arguments: args, stash: { conversation, replaced: stale, answered: question, staleReplyId: REPLY_ID, previousReplyId: REPLY_ID } });

    const request = writeRegeneration.request(ctx) as unknown as { transactItems: Record<string, unknown>[] };

    expect(request.transactItems.slice(2)).toStrictEqual([
      {
        table: 'ChatTable', operation: 'DeleteItem', key: { pk: MESSAGES_PK, sk: S(`MSG#${REPLY_ID}`) },
        condition: { expression: '(#status = :status_eq)', expressionNames: { '#status': 'status' }, expressionValues: { ':status_eq': S('PENDING') } },
      },
      regenerationReservation(11 + 4096 - 4100, 1000 - 11 + 4100),
    ]);
  });

  it('takes over a stale reply: the condition names it', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation, replaced: answer, answered: question, staleReplyId: REPLY_ID, previousReplyId: REPLY_ID } });

    const request = writeRegeneration.request(ctx) as unknown as { transactItems: { condition?: unknown }[] };

    expect(request.transactItems[1]?.condition).toStrictEqual({
      expression: '(#activeReplyId = :activeReplyId_eq)', expressionNames: { '#activeReplyId': 'activeReplyId' }, expressionValues: { ':activeReplyId_eq': S(REPLY_ID) },
    });
  });

  it('keeps the turn in the stash: the answered message and the new reply', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation, replaced: answer, answered: question } });

    writeRegeneration.request(ctx);

    expect(ctx.stash['turn']).toMatchObject({
      userMessage: { id: MESSAGE_ID, conversationId: CONVERSATION_ID },
      reply: { conversationId: CONVERSATION_ID, role: 'ASSISTANT', status: 'PENDING', replyTo: MESSAGE_ID, content: '', seq: 0 },
    });
  });

  it('answers QuotaExceeded when only the reservation failed its condition', () => {
    const cancelled = { keys: null, cancellationReasons: ['None', 'None', 'None', 'ConditionalCheckFailed'].map((type) => ({ type, message: type })) };
    const ctx = contextOf({ arguments: args, stash: { reservationIndex: 3 }, result: cancelled, error: { message: 'Transaction cancelled', type: 'DynamoDB:TransactionCanceledException' } });

    expect(resolverErrorOf(() => writeRegeneration.response(ctx)).errorType).toBe('QuotaExceeded');
  });

  it('answers Conflict when the transaction is cancelled', () => {
    const ctx = contextOf({ arguments: args, stash: {}, result: null, error: { message: 'Transaction cancelled', type: 'DynamoDB:TransactionCanceledException' } });

    const error = resolverErrorOf(() => writeRegeneration.response(ctx));

    expect(error).toMatchObject({ errorType: 'Conflict', message: 'A reply is already being written in this conversation: wait for it to finish or stop it.' });
  });

  it('returns the turn it wrote', () => {
    const turn = { userMessage: { id: MESSAGE_ID, conversationId: CONVERSATION_ID }, reply: { ...answer, status: 'PENDING' } };
    const ctx = contextOf({ arguments: args, stash: { turn }, result: {} });

    expect(writeRegeneration.response(ctx)).toBe(turn);
  });

  it('is followed by an invocation of the chat function for the new reply', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation, replaced: answer, answered: question } });
    writeRegeneration.request(ctx);

    const invocation = invokeChat.request(ctx);

    const { reply } = ctx.stash['turn'] as Regeneration;
    expect(invocation).toStrictEqual({
      operation: 'Invoke', invocationType: 'Event',
      payload: {
        owner: SUB, conversationId: CONVERSATION_ID, replyId: reply.id, userMessageId: MESSAGE_ID,
        conversation: { model: 'claude-sonnet-4-6', systemPrompt: null, thinkingBudgetTokens: null, title: null },
      },
    });
  });
});

describe('regenerateReply', () => {
  it('starts the pipeline with an empty request', () => {
    expect(regenerateReply.request(contextOf({ arguments: args }))).toStrictEqual({});
  });

  it('returns the new reply, with no blocks while it has no text', () => {
    const reply = { ...answer, status: 'PENDING', content: '' };
    const ctx = contextOf({ arguments: args, stash: { turn: { userMessage: question, reply } } });

    expect(regenerateReply.response(ctx)).toStrictEqual({ ...reply, blocks: [] });
  });
});
