// stopReply's pipeline after loadConversation: requestStop sets stopRequested on the reply in flight.
import { describe, expect, it } from '@jest/globals';
import * as stopReply from '../../../resolvers/Mutation.stopReply.ts';
import { INTERRUPTED_REASON } from '../../../resolvers/lease.ts';
import * as requestStop from '../../../resolvers/steps/requestStop.ts';
import { CONDITION_FAILED, CONVERSATION_ID, contextOf, NOW, REPLY_ID, resolverErrorOf, S, SUB, useFixedClock } from '../../support/resolver-context.ts';

useFixedClock();

const args = { conversationId: CONVERSATION_ID };
const conversation = { id: CONVERSATION_ID, activeReplyId: REPLY_ID };
const reply = (status: string, leaseUntil: number) => ({ id: REPLY_ID, conversationId: CONVERSATION_ID, role: 'ASSISTANT', content: 'Once upon', status, seq: 7, leaseUntil, stopRequested: true });

describe('requestStop', () => {
  it('sets stopRequested on the active reply under the caller, if it is still PENDING or STREAMING or awaits a client tool', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation } });

    expect(requestStop.request(ctx)).toStrictEqual({
      operation: 'UpdateItem',
      key: { pk: S(`USER#${SUB}#CONV#${CONVERSATION_ID}`), sk: S(`MSG#${REPLY_ID}`) },
      update: { expression: 'SET #expName_1 = :expValue_1', expressionNames: { '#expName_1': 'stopRequested' }, expressionValues: { ':expValue_1': { BOOL: true } } },
      condition: {
        expression: '(#status IN (:status_in_0,:status_in_1,:status_in_2))',
        expressionNames: { '#status': 'status' },
        expressionValues: { ':status_in_0': S('PENDING'), ':status_in_1': S('STREAMING'), ':status_in_2': S('AWAITING_TOOL_RESULT') },
      },
    });
  });

  it('answers NotFound when no reply is being written', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation: { id: CONVERSATION_ID, activeReplyId: null } } });

    const error = resolverErrorOf(() => requestStop.request(ctx));

    expect(error).toMatchObject({ errorType: 'NotFound', message: 'There is no reply being written in this conversation.' });
  });

  it('answers Conflict when the reply has already ended', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation }, result: null, error: CONDITION_FAILED });

    const error = resolverErrorOf(() => requestStop.response(ctx));

    expect(error).toMatchObject({ errorType: 'Conflict', message: 'The reply has already ended.' });
  });

  it('returns the updated reply', () => {
    const ctx = contextOf({ arguments: args, stash: { conversation }, result: reply('STREAMING', NOW + 1000) });

    expect(requestStop.response(ctx)).toStrictEqual(reply('STREAMING', NOW + 1000));
  });
});

describe('stopReply', () => {
  it('starts the pipeline with an empty request', () => {
    expect(stopReply.request(contextOf({ arguments: args }))).toStrictEqual({});
  });

  it('returns the reply as it streams', () => {
    const ctx = contextOf({ arguments: args, prev: { result: reply('STREAMING', NOW + 1000) } });

    expect(stopReply.response(ctx)).toStrictEqual({ ...reply('STREAMING', NOW + 1000), blocks: [{ index: 0, type: 'TEXT', text: 'Once upon' }] });
  });

  it('returns a reply past its lease as INTERRUPTED', () => {
    const ctx = contextOf({ arguments: args, prev: { result: reply('STREAMING', NOW - 1000) } });

    expect(stopReply.response(ctx)).toStrictEqual({ ...reply('STREAMING', NOW - 1000), status: 'INTERRUPTED', error: INTERRUPTED_REASON, blocks: [{ index: 0, type: 'TEXT', text: 'Once upon' }] });
  });
});
