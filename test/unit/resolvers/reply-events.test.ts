// Reply events: the chat function publishes them (IAM), a user subscribes to a conversation of theirs.
import { describe, expect, it } from '@jest/globals';
import * as publishReplyEvent from '../../../resolvers/Mutation.publishReplyEvent.ts';
import * as onReplyEvent from '../../../resolvers/Subscription.onReplyEvent.ts';
import { iamIdentity } from '../../../sandbox/appsync/runtime/context.ts';
import { UnauthorizedError } from '../../../sandbox/appsync/runtime/state.ts';
import { state } from '../../support/appsync-utils.ts';
import { CONVERSATION_ID, contextOf, NOW_ISO, REPLY_ID, resolverErrorOf, S, SUB, thrown, useFixedClock } from '../../support/resolver-context.ts';

useFixedClock();

const event = { conversationId: CONVERSATION_ID, messageId: REPLY_ID, owner: SUB, seq: 1, type: 'DELTA', text: 'Hel' };
const conversation = { pk: `USER#${SUB}`, sk: `CONV#${CONVERSATION_ID}`, id: CONVERSATION_ID, createdAt: NOW_ISO };
const functionRole = iamIdentity({ accountId: '123456789012', userArn: 'arn:aws:sts::123456789012:assumed-role/chat/fn', username: 'AROAEXAMPLE:fn' }, ['10.0.0.1']);

describe('publishReplyEvent', () => {
  it('hands the event to the NONE data source as it came', () => {
    const ctx = contextOf({ arguments: { input: event }, identity: functionRole });

    expect(publishReplyEvent.request(ctx)).toStrictEqual({ payload: event });
  });

  it('returns the event for the subscribers', () => {
    const ctx = contextOf({ arguments: { input: event }, identity: functionRole, result: event });

    expect(publishReplyEvent.response(ctx)).toBe(event);
  });
});

describe('onReplyEvent', () => {
  it('reads the conversation under the caller\'s own key', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID } });

    expect(onReplyEvent.request(ctx)).toStrictEqual({ operation: 'GetItem', key: { pk: S(`USER#${SUB}`), sk: S(`CONV#${CONVERSATION_ID}`) } });
  });

  it('refuses a conversation id that is not a ULID', () => {
    const ctx = contextOf({ arguments: { conversationId: '*' } });

    expect(resolverErrorOf(() => onReplyEvent.request(ctx)).errorType).toBe('ValidationError');
  });

  it('refuses an IAM caller, who has no sub', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID }, identity: functionRole });

    expect(thrown(() => onReplyEvent.request(ctx))).toBeInstanceOf(UnauthorizedError);
  });

  it('refuses a conversation that is not the caller\'s', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID }, result: null });

    expect(thrown(() => onReplyEvent.response(ctx))).toBeInstanceOf(UnauthorizedError);
  });

  it('refuses the subscription when the read failed', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID }, result: null, error: { message: 'boom', type: 'DynamoDB:InternalServerError' } });

    expect(thrown(() => onReplyEvent.response(ctx))).toBeInstanceOf(UnauthorizedError);
  });

  it('sets no filter on a refused subscription', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID }, result: null });

    thrown(() => onReplyEvent.response(ctx));

    expect(state().subscriptionFilter).toBeUndefined();
  });

  it('filters the events on the caller as owner', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID }, result: conversation });

    const result = onReplyEvent.response(ctx);

    expect([result, state().subscriptionFilter]).toStrictEqual([null, { filterGroup: [{ filters: [{ fieldName: 'owner', operator: 'eq', value: SUB }] }] }]);
  });
});
