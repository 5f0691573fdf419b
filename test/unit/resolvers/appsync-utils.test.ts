// The jest stand-in for @aws-appsync/utils: the sandbox's real runtime, over a state a test reads and resets.
import { describe, expect, it } from '@jest/globals';
import { extensions as mappedExtensions, runtime as mappedRuntime, util as mappedUtil } from '@aws-appsync/utils';
import * as mappedDynamodb from '@aws-appsync/utils/dynamodb';
import * as dynamodbModule from '../../../sandbox/appsync/runtime/module-utils-dynamodb.ts';
import { runtimeUtil } from '../../../sandbox/appsync/runtime/extensions.ts';
import { extensions, resetState, state, util } from '../../support/appsync-utils.ts';

describe('the @aws-appsync/utils mapping', () => {
  it('gives resolvers the util, extensions and runtime of test/support/appsync-utils.ts', () => {
    expect([mappedUtil, mappedExtensions, mappedRuntime]).toStrictEqual([util, extensions, runtimeUtil]);
  });

  it('gives resolvers the sandbox\'s dynamodb module', () => {
    expect(mappedDynamodb.get).toBe(dynamodbModule.get);
  });
});

describe('the evaluation state', () => {
  it('records what util and extensions record', () => {
    resetState();

    util.appendError('Partial result', 'PartialFailure');

    expect(state().appendedErrors).toStrictEqual([{ message: 'Partial result', errorType: 'PartialFailure', data: null, errorInfo: null }]);
  });

  it('starts empty again after a reset, with the auth type given', () => {
    util.appendError('left over');
    extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ owner: { eq: 'u' } }));

    resetState('IAM Authorization');

    expect([state().appendedErrors, state().subscriptionFilter, util.authType()]).toStrictEqual([[], undefined, 'IAM Authorization']);
  });

  it('reports a user pool caller by default', () => {
    resetState();

    expect(util.authType()).toBe('User Pool Authorization');
  });
});
