// Signing out everywhere ends the user's open reply subscriptions: onReplyEvent sets an invalidation filter on its
// owner, and endAllDeviceSessions invalidates onReplyEvent with the caller's own sub as payload.
import { describe, expect, it } from '@jest/globals';
import * as endAllDeviceSessions from '../../../resolvers/Mutation.endAllDeviceSessions.ts';
import * as onReplyEvent from '../../../resolvers/Subscription.onReplyEvent.ts';
import { state } from '../../support/appsync-utils.ts';
import { CONVERSATION_ID, contextOf, NOW_ISO, resolverErrorOf, SUB, thrown, useFixedClock } from '../../support/resolver-context.ts';

useFixedClock();

const conversation = { pk: `USER#${SUB}`, sk: `CONV#${CONVERSATION_ID}`, id: CONVERSATION_ID, createdAt: NOW_ISO };
const ownerIsCaller = { filterGroup: [{ filters: [{ fieldName: 'owner', operator: 'eq', value: SUB }] }] };

describe('onReplyEvent', () => {
  it('sets an invalidation filter on the caller as owner, so signing out can end the subscription', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID }, result: conversation });

    onReplyEvent.response(ctx);

    expect(state().subscriptionInvalidationFilter).toStrictEqual(ownerIsCaller);
  });

  it('sets no invalidation filter on a refused subscription', () => {
    const ctx = contextOf({ arguments: { conversationId: CONVERSATION_ID }, result: null });

    thrown(() => onReplyEvent.response(ctx));

    expect(state().subscriptionInvalidationFilter).toBeUndefined();
  });
});

describe('endAllDeviceSessions', () => {
  it('invalidates the caller\'s onReplyEvent subscriptions, with their own sub as payload', () => {
    const ctx = contextOf({ result: { endedSessions: 2, signedOut: true } });

    endAllDeviceSessions.response(ctx);

    expect(state().invalidations).toStrictEqual([{ subscriptionField: 'onReplyEvent', payload: { owner: SUB } }]);
  });

  it('invalidates nothing when the account function failed', () => {
    const ctx = contextOf({ result: null, error: { message: 'Task timed out', type: 'Lambda:Unhandled' } });

    resolverErrorOf(() => endAllDeviceSessions.response(ctx));

    expect(state().invalidations).toStrictEqual([]);
  });
});
