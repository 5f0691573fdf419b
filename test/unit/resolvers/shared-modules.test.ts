// The modules every resolver shares: data source errors, the caller, the lease, input checks, the quota.
import { describe, expect, it } from '@jest/globals';
import { cancellationReasons, raiseDataSourceError } from '../../../resolvers/errors.ts';
import { callerSub, callerUsername } from '../../../resolvers/identity.ts';
import { INTERRUPTED_REASON, isLive, withLease } from '../../../resolvers/lease.ts';
import { dailyQuota, maxOutputTokens, promptEstimate, today } from '../../../resolvers/quota.ts';
import { optionalText, pageSize, requireClientMessageId, requireId } from '../../../resolvers/validation.ts';
import { UnauthorizedError } from '../../../sandbox/appsync/runtime/state.ts';
import { CONDITION_FAILED, CONVERSATION_ID, contextOf, NOW, resolverErrorOf, SUB, thrown, USERNAME, useFixedClock } from '../../support/resolver-context.ts';

useFixedClock();

describe('raiseDataSourceError', () => {
  it('does nothing without an error', () => {
    expect(raiseDataSourceError(undefined, 'Not there.')).toBeUndefined();
  });

  it('turns a failed condition into NotFound when the caller names what was not found', () => {
    expect(resolverErrorOf(() => raiseDataSourceError(CONDITION_FAILED, 'Not there.'))).toMatchObject({ errorType: 'NotFound', message: 'Not there.' });
  });

  it('raises a failed condition as it is when there is nothing to be not found', () => {
    expect(resolverErrorOf(() => raiseDataSourceError(CONDITION_FAILED)).errorType).toBe('DynamoDB:ConditionalCheckFailedException');
  });

  it('raises other errors as they are even when something could be not found', () => {
    const error = { message: 'Rate exceeded', type: 'DynamoDB:ThrottlingException' };

    expect(resolverErrorOf(() => raiseDataSourceError(error, 'Not there.'))).toMatchObject({ errorType: 'DynamoDB:ThrottlingException', message: 'Rate exceeded' });
  });
});

describe('the caller', () => {
  it('is the Cognito sub of the identity', () => {
    expect(callerSub(contextOf())).toBe(SUB);
  });

  it('is refused without an identity', () => {
    expect(thrown(() => callerSub(contextOf({ identity: null })))).toBeInstanceOf(UnauthorizedError);
  });

  it('is refused with an identity without a sub', () => {
    expect(thrown(() => callerSub(contextOf({ identity: { username: USERNAME } })))).toBeInstanceOf(UnauthorizedError);
  });

  it('has the Cognito username of the identity', () => {
    expect(callerUsername(contextOf())).toBe(USERNAME);
  });

  it('is refused a username without an identity', () => {
    expect(thrown(() => callerUsername(contextOf({ identity: null })))).toBeInstanceOf(UnauthorizedError);
  });
});

describe('the lease', () => {
  it.each([['PENDING', true], ['STREAMING', true], ['COMPLETE', false], ['STOPPED', false], ['ERROR', false], ['INTERRUPTED', false]])(
    'counts a %s message as live: %s', (status, live) => {
      expect(isLive({ status })).toBe(live);
    },
  );

  it('shows a PENDING message without a lease as INTERRUPTED', () => {
    expect(withLease({ status: 'PENDING' })).toStrictEqual({ status: 'INTERRUPTED', error: INTERRUPTED_REASON });
  });

  it('shows a STREAMING message whose lease ends this millisecond as it is', () => {
    expect(withLease({ status: 'STREAMING', leaseUntil: NOW })).toStrictEqual({ status: 'STREAMING', leaseUntil: NOW });
  });

  it('leaves an ended message as it is, whatever its lease', () => {
    expect(withLease({ status: 'COMPLETE', leaseUntil: NOW - 1, error: null })).toStrictEqual({ status: 'COMPLETE', leaseUntil: NOW - 1, error: null });
  });
});

describe('input checks', () => {
  it('accept a ULID as an id', () => {
    expect(requireId(CONVERSATION_ID, 'id')).toBe(CONVERSATION_ID);
  });

  it.each([['I', 'an I'], ['L', 'an L'], ['O', 'an O'], ['U', 'a U']])('refuse an id with %s (%s is not in Crockford base32)', (letter) => {
    expect(resolverErrorOf(() => requireId(`${CONVERSATION_ID.slice(0, 25)}${letter}`, 'id')).errorType).toBe('ValidationError');
  });

  it('take blank optional text as null', () => {
    expect([optionalText(null, 'title', 10), optionalText(undefined, 'title', 10), optionalText('  ', 'title', 10)]).toStrictEqual([null, null, null]);
  });

  it('accept a UUID as clientMessageId', () => {
    expect(requireClientMessageId('5b0d3c1e-8f2a-4e6b-9c7d-1a2b3c4d5e6f')).toBe('5b0d3c1e-8f2a-4e6b-9c7d-1a2b3c4d5e6f');
  });

  it('take the fallback page size when no limit is given', () => {
    expect([pageSize(null, 20), pageSize(undefined, 50), pageSize(1, 20), pageSize(100, 20)]).toStrictEqual([20, 50, 1, 100]);
  });
});

describe('the quota', () => {
  it('is DAILY_TOKEN_QUOTA from the environment', () => {
    expect(dailyQuota({ DAILY_TOKEN_QUOTA: '1000' })).toBe(1000);
  });

  it('is 200,000 when the environment does not set it', () => {
    expect(dailyQuota({})).toBe(200000);
  });

  it('counts days in UTC', () => {
    expect(today()).toBe('2025-05-01');
  });

  it('reserves MAX_TOKENS of output a turn when the environment sets it, else infra\'s default of 4,096', () => {
    expect([maxOutputTokens({ MAX_TOKENS: '8192' }), maxOutputTokens({}), maxOutputTokens({ MAX_TOKENS: 'many' })]).toStrictEqual([8192, 4096, 4096]);
  });

  it('estimates a first turn\'s prompt as its system prompt and message, four characters a token', () => {
    expect(promptEstimate({ contextTokens: 3, messageCount: 0, systemPrompt: 'Be brief.' }, 'Hello there', {})).toBe(3 + 3);
  });

  it('estimates a later turn\'s prompt as the conversation\'s context and the message', () => {
    expect(promptEstimate({ contextTokens: 900, messageCount: 8, systemPrompt: 'Be brief.' }, 'Hello there', {})).toBe(903);
  });

  it('counts HISTORY_TOKEN_BUDGET for a conversation whose context size was never kept', () => {
    expect(promptEstimate({ messageCount: 8, systemPrompt: null }, 'Hi', { HISTORY_TOKEN_BUDGET: '5000' })).toBe(5001);
  });
});

describe('cancellationReasons', () => {
  it('lists the reason of each item of a cancelled transaction, in order', () => {
    expect(cancellationReasons({ keys: null, cancellationReasons: [{ type: 'None', message: 'None' }, { type: 'ConditionalCheckFailed', message: 'failed' }] })).toStrictEqual(['None', 'ConditionalCheckFailed']);
  });

  it('lists none when there is no result', () => {
    expect(cancellationReasons(null)).toStrictEqual([]);
  });
});

describe('the generated schema types', () => {
  it('hold no run-time code (enums are types), so resolvers bundle nothing of them', async () => {
    const module = await import('../../../resolvers/schema-types.ts');

    expect(Object.keys(module)).toStrictEqual([]);
  });
});
