// util.error, util.appendError, util.unauthorized and util.authType: what they record in, or raise
// from, the evaluation state. AWS AppSync docs, "Built-in utilities" (Error utils).
import { describe, expect, it } from '@jest/globals';
import { newEvaluationState, ResolverError, UnauthorizedError } from '../../../../../../sandbox/appsync/runtime/state.ts';
import { createUtil } from '../../../../../../sandbox/appsync/runtime/util/index.ts';

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

describe('util.error', () => {
  it('throws a ResolverError with the message, type, data and error info', () => {
    const util = createUtil(newEvaluationState());

    const error = thrown(() => util.error('Quota exceeded', 'QuotaError', { used: 3 }, { retryIn: 60 }));

    expect(error).toBeInstanceOf(ResolverError);
    expect(error).toMatchObject({ message: 'Quota exceeded', errorType: 'QuotaError', data: { used: 3 }, errorInfo: { retryIn: 60 } });
  });

  it('gives null for the parts left out', () => {
    const util = createUtil(newEvaluationState());

    const error = thrown(() => util.error('Bad input'));

    expect(error).toMatchObject({ message: 'Bad input', errorType: null, data: null, errorInfo: null });
  });
});

describe('util.appendError', () => {
  it('records errors in call order without stopping the handler', () => {
    const state = newEvaluationState();
    const util = createUtil(state);

    util.appendError('first');
    util.appendError('second', 'Partial', { id: 1 }, { hint: 'retry' });

    expect(state.appendedErrors).toEqual([
      { message: 'first', errorType: null, data: null, errorInfo: null },
      { message: 'second', errorType: 'Partial', data: { id: 1 }, errorInfo: { hint: 'retry' } },
    ]);
  });
});

describe('util.unauthorized', () => {
  it('throws an UnauthorizedError', () => {
    const util = createUtil(newEvaluationState());

    expect(thrown(() => util.unauthorized())).toBeInstanceOf(UnauthorizedError);
  });
});

describe('util.authType', () => {
  it('gives the auth type of the request', () => {
    const util = createUtil(newEvaluationState('User Pool Authorization'));

    expect(util.authType()).toBe('User Pool Authorization');
  });
});

describe('createUtil', () => {
  it('exposes the DynamoDB and transform helpers', () => {
    const util = createUtil(newEvaluationState());

    expect(util.dynamodb.toDynamoDB('a')).toEqual({ S: 'a' });
    expect(typeof util.transform.toDynamoDBFilterExpression).toBe('function');
  });
});
