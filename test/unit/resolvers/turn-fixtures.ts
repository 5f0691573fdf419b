// What sendMessage's and regenerateReply's step tests share: the caller's keys, a send's input and stored turn, and the
// quota reservation item every turn's transaction carries (resolvers/quota.ts).
import { EarlyReturnSignal } from '../../../sandbox/appsync/runtime/state.ts';
import { CONVERSATION_ID, MESSAGE_ID, NOW_ISO, NOW_SECONDS, REPLY_ID, S, SUB, thrown } from '../../support/resolver-context.ts';

export const CLIENT_MESSAGE_ID = '5b0d3c1e-8f2a-4e6b-9c7d-1a2b3c4d5e6f';
export const OWNER = S(`USER#${SUB}`);
export const MESSAGES_PK = S(`USER#${SUB}#CONV#${CONVERSATION_ID}`);
export const input = (overrides: Record<string, unknown> = {}) => ({ input: { conversationId: CONVERSATION_ID, content: ' Hello ', clientMessageId: CLIENT_MESSAGE_ID, ...overrides } });
export const conversation = { id: CONVERSATION_ID, model: 'claude-sonnet-4-6', createdAt: NOW_ISO, updatedAt: NOW_ISO, messageCount: 0 };
export const storedTurn = {
  userMessage: { id: MESSAGE_ID, conversationId: CONVERSATION_ID, role: 'USER', content: 'Hello', status: 'COMPLETE', seq: 0 },
  reply: { id: REPLY_ID, conversationId: CONVERSATION_ID, role: 'ASSISTANT', content: '', status: 'PENDING', seq: 0, replyTo: MESSAGE_ID },
};

export interface Turn {
  userMessage: { id: string; replyTo?: string };
  reply: { id: string; replyTo: string };
}

export function earlyReturnOf(action: () => unknown): EarlyReturnSignal {
  const signal = thrown(action);
  if (!(signal instanceof EarlyReturnSignal)) throw new Error(`expected runtime.earlyReturn, got ${String(signal)}`);
  return signal;
}

/** The reservation item of a turn's transaction (quota.ts): committedTokens grows on the condition that the prompt fits. */
export const reservationItem = (spent: number, reserved: number, limit: number) => ({
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
