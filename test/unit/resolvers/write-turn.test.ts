// sendMessage's writeTurn step: the one transaction that writes the user message, the PENDING reply, the
// conversation's activeReplyId, the idempotency record and the quota reservation; and how its failures read.
import { describe, expect, it } from '@jest/globals';
import { INTERRUPTED_REASON } from '../../../resolvers/lease.ts';
import * as writeTurn from '../../../resolvers/steps/writeTurn.ts';
import {
  CONVERSATION_ID, ENV, contextOf, NOW, NOW_ISO, NOW_SECONDS, PK_ABSENT, REPLY_ID, resolverErrorOf, S, ULID, useFixedClock,
} from '../../support/resolver-context.ts';
import { CLIENT_MESSAGE_ID, conversation, earlyReturnOf, input, MESSAGES_PK, OWNER, reservationItem, storedTurn, type Turn } from './turn-fixtures.ts';

useFixedClock();

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
