// sendMessage's pipeline: validateMessage, loadTurnContext, checkActiveReply, writeTurn, invokeChat, and the
// resolver around them. Each step is called as AppSync calls it, with the stash and prev.result it would see.
import { describe, expect, it } from '@jest/globals';
import * as sendMessage from '../../../resolvers/Mutation.sendMessage.ts';
import { INTERRUPTED_REASON } from '../../../resolvers/lease.ts';
import * as checkActiveReply from '../../../resolvers/steps/checkActiveReply.ts';
import * as invokeChat from '../../../resolvers/steps/invokeChat.ts';
import * as loadSentTurn from '../../../resolvers/steps/loadSentTurn.ts';
import * as loadTurnContext from '../../../resolvers/steps/loadTurnContext.ts';
import * as validateMessage from '../../../resolvers/steps/validateMessage.ts';
import * as writeTurn from '../../../resolvers/steps/writeTurn.ts';
import { EarlyReturnSignal, UnauthorizedError } from '../../../sandbox/appsync/runtime/state.ts';
import {
  CONVERSATION_ID, ENV, contextOf, MESSAGE_ID, NOW, NOW_ISO, NOW_SECONDS, PK_ABSENT, REPLY_ID, resolverErrorOf, S, SUB, thrown, ULID, useFixedClock,
} from '../../support/resolver-context.ts';

useFixedClock();

const CLIENT_MESSAGE_ID = '5b0d3c1e-8f2a-4e6b-9c7d-1a2b3c4d5e6f';
const OWNER = S(`USER#${SUB}`);
const MESSAGES_PK = S(`USER#${SUB}#CONV#${CONVERSATION_ID}`);
const input = (overrides: Record<string, unknown> = {}) => ({ input: { conversationId: CONVERSATION_ID, content: ' Hello ', clientMessageId: CLIENT_MESSAGE_ID, ...overrides } });
const conversation = { id: CONVERSATION_ID, model: 'claude-sonnet-4-6', createdAt: NOW_ISO, updatedAt: NOW_ISO, messageCount: 0 };
const storedTurn = {
  userMessage: { id: MESSAGE_ID, conversationId: CONVERSATION_ID, role: 'USER', content: 'Hello', status: 'COMPLETE', seq: 0 },
  reply: { id: REPLY_ID, conversationId: CONVERSATION_ID, role: 'ASSISTANT', content: '', status: 'PENDING', seq: 0, replyTo: MESSAGE_ID },
};
const batch = (conversationItem: unknown, usage: unknown, sent: unknown) => ({ data: { ChatTable: [conversationItem, usage, sent] } });
const activeReply = (status: string, leaseUntil: number) => ({ id: REPLY_ID, conversationId: CONVERSATION_ID, role: 'ASSISTANT', status, leaseUntil });

interface Turn {
  userMessage: { id: string; replyTo?: string };
  reply: { id: string; replyTo: string };
}

function earlyReturnOf(action: () => unknown): EarlyReturnSignal {
  const signal = thrown(action);
  if (!(signal instanceof EarlyReturnSignal)) throw new Error(`expected runtime.earlyReturn, got ${String(signal)}`);
  return signal;
}

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

/** The reservation item of a turn's transaction (quota.ts): committedTokens grows on the condition that the prompt fits. */
const reservationItem = (spent: number, reserved: number, limit: number) => ({
  table: 'ChatTable',
  operation: 'UpdateItem',
  key: { pk: OWNER, sk: S('USAGE#2025-05-01') },
  update: {
    expression: 'SET #committed = if_not_exists(#committed, :spent) + :reserved, #expiresAt = :expiresAt',
    expressionNames: { '#committed': 'committedTokens', '#expiresAt': 'expiresAt' },
    expressionValues: { ':spent': { N: spent }, ':reserved': { N: reserved }, ':expiresAt': { N: NOW_SECONDS + 90 * 24 * 3600 } },
  },
  condition: {
    expression: 'attribute_not_exists(#committed) OR #committed <= :limit',
    expressionNames: { '#committed': 'committedTokens' },
    expressionValues: { ':limit': { N: limit } },
    returnValuesOnConditionCheckFailure: false,
  },
});

interface TransactRequest { transactItems: Record<string, unknown>[] }

describe('writeTurn', () => {
  const stash = (extra: Record<string, unknown> = {}) => ({ conversation, content: 'Hello', ...extra });

  it('writes the user message, the PENDING reply, activeReplyId, the clientMessageId record and the quota reservation in one transaction', () => {
    const ctx = contextOf({ arguments: input(), stash: stash(), prev: { result: null } });

    const request = writeTurn.request(ctx);

    const { userMessage, reply } = ctx.stash['turn'] as Turn;
    const userItem = {
      id: S(userMessage.id), conversationId: S(CONVERSATION_ID), role: S('USER'), content: S('Hello'), status: S('COMPLETE'), seq: { N: 0 },
      createdAt: S(NOW_ISO), updatedAt: S(NOW_ISO), clientMessageId: S(CLIENT_MESSAGE_ID),
    };
    const replyItem = {
      id: S(reply.id), conversationId: S(CONVERSATION_ID), role: S('ASSISTANT'), content: S(''), status: S('PENDING'), seq: { N: 0 },
      createdAt: S(NOW_ISO), updatedAt: S(NOW_ISO), replyTo: S(userMessage.id), leaseUntil: { N: NOW + 60000 }, stopRequested: { BOOL: false },
      // 'Hello' is 2 tokens, the conversation's context none yet; and a reply's max output.
      reservation: { M: { day: S('2025-05-01'), tokens: { N: 4098 }, outputTokens: { N: 4096 } } },
    };
    expect(request).toStrictEqual({
      operation: 'TransactWriteItems',
      transactItems: [
        { table: 'ChatTable', operation: 'PutItem', key: { pk: MESSAGES_PK, sk: S(`MSG#${userMessage.id}`) }, attributeValues: userItem, condition: PK_ABSENT },
        { table: 'ChatTable', operation: 'PutItem', key: { pk: MESSAGES_PK, sk: S(`MSG#${reply.id}`) }, attributeValues: replyItem, condition: PK_ABSENT },
        {
          table: 'ChatTable',
          operation: 'UpdateItem',
          key: { pk: OWNER, sk: S(`CONV#${CONVERSATION_ID}`) },
          update: {
            expression: 'SET #expName_1 = :expValue_1, #expName_2 = :expValue_2, #expName_3 = :expValue_3, #expName_4 = #expName_4 + :expValue_4',
            expressionNames: { '#expName_1': 'activeReplyId', '#expName_2': 'updatedAt', '#expName_3': 'gsi1sk', '#expName_4': 'messageCount' },
            expressionValues: { ':expValue_1': S(reply.id), ':expValue_2': S(NOW_ISO), ':expValue_3': S(`${NOW_ISO}#${CONVERSATION_ID}`), ':expValue_4': { N: 2 } },
          },
          condition: { expression: '(attribute_not_exists(#activeReplyId))', expressionNames: { '#activeReplyId': 'activeReplyId' } },
        },
        {
          table: 'ChatTable',
          operation: 'PutItem',
          key: { pk: MESSAGES_PK, sk: S(`CLIENT#${CLIENT_MESSAGE_ID}`) },
          attributeValues: { userMessage: { M: userItem }, reply: { M: replyItem }, expiresAt: { N: NOW_SECONDS + 24 * 3600 } },
          condition: PK_ABSENT,
        },
        reservationItem(0, 4098, 998),
      ],
    });
  });

  it('reserves the conversation\'s context, the message and a reply\'s max output, admitted while the prompt fits', () => {
    const usage = { inputTokens: 300, outputTokens: 200, committedTokens: 600 };
    const ctx = contextOf({ arguments: input(), stash: stash({ conversation: { ...conversation, messageCount: 4, contextTokens: 250 }, usage }), prev: { result: null } });

    const request = writeTurn.request(ctx) as unknown as TransactRequest;

    expect((ctx.stash['turn'] as { reply: { reservation: unknown } }).reply.reservation).toStrictEqual({ day: '2025-05-01', tokens: 252 + 4096, outputTokens: 4096 });
    expect(request.transactItems.at(-1)).toStrictEqual(reservationItem(500, 252 + 4096, 1000 - 252));
    expect(ctx.stash['reservationIndex']).toBe(request.transactItems.length - 1);
  });

  it('counts a whole history budget for a conversation from before the size of its context was kept', () => {
    const ctx = contextOf({
      arguments: input(), env: { ...ENV, DAILY_TOKEN_QUOTA: '200000', MAX_TOKENS: '1000' }, stash: stash({ conversation: { ...conversation, messageCount: 6 } }), prev: { result: null },
    });

    writeTurn.request(ctx);

    expect((ctx.stash['turn'] as { reply: { reservation: unknown } }).reply.reservation).toStrictEqual({ day: '2025-05-01', tokens: 100000 + 2 + 1000, outputTokens: 1000 });
  });

  it('refuses with QuotaExceeded a turn whose prompt does not fit what is left, counting what running turns hold', () => {
    const usage = { inputTokens: 400, outputTokens: 100, committedTokens: 999 };
    const ctx = contextOf({ arguments: input(), stash: stash({ usage }), prev: { result: null } });

    const error = resolverErrorOf(() => writeTurn.request(ctx));

    expect(error).toMatchObject({
      errorType: 'QuotaExceeded',
      message: 'This turn needs about 2 tokens for the conversation and your message, and 1 of your 1000 tokens for today are left (replies still being written hold 499 of them). '
        + 'Try a shorter message or a new conversation, or wait until the quota resets at midnight UTC.',
    });
  });

  it('gives back, in the same write, the reservation of a reply never claimed that it takes over', () => {
    const staleReply = { id: REPLY_ID, status: 'PENDING', reservation: { day: '2025-05-01', tokens: 4100, outputTokens: 4096 } };
    const ctx = contextOf({ arguments: input(), stash: stash({ usage: { committedTokens: 4500 }, staleReplyId: REPLY_ID, staleReply, previousReplyId: REPLY_ID }), prev: { result: null } });

    const request = writeTurn.request(ctx) as unknown as TransactRequest;

    expect(request.transactItems.at(-1)).toStrictEqual(reservationItem(0, 4098 - 4100, 998 + 4100));
  });

  it('gives back nothing for a reply that was claimed, or reserved on another day', () => {
    const reservation = { day: '2025-04-30', tokens: 4100, outputTokens: 4096 };
    const claimed = writeTurn.request(contextOf({ arguments: input(), stash: stash({ staleReply: { id: REPLY_ID, status: 'STREAMING', reservation: { ...reservation, day: '2025-05-01' } } }) }));
    const yesterday = writeTurn.request(contextOf({ arguments: input(), stash: stash({ staleReply: { id: REPLY_ID, status: 'PENDING', reservation } }) }));

    expect([(claimed as unknown as TransactRequest).transactItems.at(-1), (yesterday as unknown as TransactRequest).transactItems.at(-1)]).toStrictEqual([
      reservationItem(0, 4098, 998), reservationItem(0, 4098, 998),
    ]);
  });

  it('gives the user message the smaller of two fresh ULIDs, so it sorts before its reply', () => {
    const ctx = contextOf({ arguments: input(), stash: stash(), prev: { result: null } });

    writeTurn.request(ctx);

    const { userMessage, reply } = ctx.stash['turn'] as Turn;
    expect([userMessage.id, reply.id]).toStrictEqual([expect.stringMatching(ULID), expect.stringMatching(ULID)]);
    expect(userMessage.id < reply.id).toBe(true);
  });

  it('takes over a stale reply: the condition names it and the transaction ends it INTERRUPTED', () => {
    const staleReply = { id: REPLY_ID, status: 'STREAMING', reservation: null };
    const ctx = contextOf({ arguments: input(), stash: stash({ staleReplyId: REPLY_ID, staleReply, previousReplyId: REPLY_ID }), prev: { result: null } });

    const request = writeTurn.request(ctx) as unknown as TransactRequest;

    expect([request.transactItems[2]?.['condition'], request.transactItems[4]]).toStrictEqual([
      { expression: '(#activeReplyId = :activeReplyId_eq)', expressionNames: { '#activeReplyId': 'activeReplyId' }, expressionValues: { ':activeReplyId_eq': S(REPLY_ID) } },
      {
        table: 'ChatTable',
        operation: 'UpdateItem',
        key: { pk: MESSAGES_PK, sk: S(`MSG#${REPLY_ID}`) },
        update: {
          expression: 'SET #expName_1 = :expValue_1, #expName_2 = :expValue_2, #expName_3 = :expValue_3',
          expressionNames: { '#expName_1': 'status', '#expName_2': 'error', '#expName_3': 'updatedAt' },
          expressionValues: { ':expValue_1': S('INTERRUPTED'), ':expValue_2': S(INTERRUPTED_REASON), ':expValue_3': S(NOW_ISO) },
        },
        condition: { expression: '(#status = :status_eq)', expressionNames: { '#status': 'status' }, expressionValues: { ':status_eq': S('STREAMING') } },
      },
    ]);
  });

  it('ends the pipeline with the stored turn when the message is a duplicate', () => {
    const ctx = contextOf({ arguments: input(), stash: { duplicate: true }, prev: { result: storedTurn } });

    const signal = earlyReturnOf(() => writeTurn.request(ctx));

    expect([signal.skipTo, signal.value]).toStrictEqual(['END', storedTurn]);
  });

  it('answers Conflict when the transaction is cancelled', () => {
    const ctx = contextOf({
      arguments: input(), stash: stash({ turn: storedTurn }), result: null,
      error: { message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, ConditionalCheckFailed, None]', type: 'DynamoDB:TransactionCanceledException' },
    });

    const error = resolverErrorOf(() => writeTurn.response(ctx));

    expect(error).toMatchObject({ errorType: 'Conflict', message: 'A reply is already being written in this conversation, or this message is being sent twice at once.' });
  });

  const cancelled = (...reasons: string[]) => ({ keys: null, cancellationReasons: reasons.map((type) => ({ type, message: type })) });
  const CANCELLED = { message: 'Transaction cancelled', type: 'DynamoDB:TransactionCanceledException' };

  it('answers QuotaExceeded when only the reservation failed: concurrent turns took what was left', () => {
    const ctx = contextOf({ arguments: input(), stash: stash({ turn: storedTurn, reservationIndex: 4 }), result: cancelled('None', 'None', 'None', 'None', 'ConditionalCheckFailed'), error: CANCELLED });

    const error = resolverErrorOf(() => writeTurn.response(ctx));

    expect(error).toMatchObject({ errorType: 'QuotaExceeded', message: 'Replies being written now hold the rest of your 1000 tokens for today; try again when they end, or after the quota resets at midnight UTC.' });
  });

  it.each([
    ['the conversation took another reply', ['None', 'None', 'ConditionalCheckFailed', 'None', 'ConditionalCheckFailed']],
    ['another write raced it on the usage item', ['None', 'None', 'None', 'None', 'TransactionConflict']],
  ])('answers Conflict when %s', (_case, reasons) => {
    const ctx = contextOf({ arguments: input(), stash: stash({ turn: storedTurn, reservationIndex: 4 }), result: cancelled(...reasons), error: CANCELLED });

    expect(resolverErrorOf(() => writeTurn.response(ctx)).errorType).toBe('Conflict');
  });

  it('returns the turn it wrote', () => {
    const ctx = contextOf({ arguments: input(), stash: stash({ turn: storedTurn }), result: { keys: [], cancellationReasons: null } });

    expect(writeTurn.response(ctx)).toBe(storedTurn);
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

  it('returns the last step\'s turn', () => {
    const ctx = contextOf({ arguments: input(), prev: { result: storedTurn } });

    expect(sendMessage.response(ctx)).toBe(storedTurn);
  });

  it('answers a repeated clientMessageId with the first turn, its reply as it is now, and writes nothing', () => {
    const stash: Record<string, unknown> = { content: 'Hello' };
    const now = { ...storedTurn.reply, content: 'Hi there!', status: 'COMPLETE', seq: 3 };
    const loaded = loadTurnContext.response(contextOf({ arguments: input(), stash, result: batch(conversation, null, storedTurn) }));
    loadSentTurn.request(contextOf({ arguments: input(), stash, prev: { result: loaded } }));
    const sent = loadSentTurn.response(contextOf({ arguments: input(), stash, result: now }));

    const signal = earlyReturnOf(() => checkActiveReply.request(contextOf({ arguments: input(), stash, prev: { result: sent } })));
    const result = sendMessage.response(contextOf({ arguments: input(), stash, prev: { result: signal.value } }));

    expect([signal.skipTo, result]).toStrictEqual(['END', { userMessage: storedTurn.userMessage, reply: now }]);
  });
});
