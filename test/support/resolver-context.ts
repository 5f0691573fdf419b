// Contexts for resolver unit tests, as AppSync passes them: a Cognito caller, the API's environment,
// and stash, prev, result and error where the test puts them (sandbox/appsync/runtime/context.ts builds them).
import { afterEach, beforeEach, jest } from '@jest/globals';
import type { Context } from '@aws-appsync/utils';
import { buildContext, cognitoIdentity, type ContextInput } from '../../sandbox/appsync/runtime/context.ts';
import { ResolverError } from '../../sandbox/appsync/runtime/state.ts';
import { resetState } from './appsync-utils.ts';

export const SUB = '7c1e4a52-90d1-4b8e-9f3a-2d6b5e8c1a40';
export const USERNAME = 'ana';
export const SOURCE_IP = '203.0.113.7';
export const IDENTITY = cognitoIdentity(
  { sub: SUB, iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test', 'cognito:username': USERNAME, token_use: 'id' },
  [SOURCE_IP],
);
export const ENV: Record<string, string> = {
  TABLE_NAME: 'ChatTable', DAILY_TOKEN_QUOTA: '1000', MODEL_ID: 'claude-sonnet-4-6', MODELS: 'claude-sonnet-4-6,claude-haiku-4-5', STAGE: 'test', VERSION: '1.2.3', REGION: 'eu-west-1',
};

/** 26-character ULIDs, as util.autoUlid makes them. */
export const CONVERSATION_ID = '01JT4J9700R1ECR8N3CMBRPDH4';
export const MESSAGE_ID = '01JT4J97Z8W7SH3CQZTHYW8NBJ';
export const REPLY_ID = '01JT4J98YG3PZQQFXC263MRAXD';
export const SESSION_ID = '01JT4J99XRB1Y0AFKBWBTNNSD8';
export const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** The fixed "now" of every test that calls useFixedClock. */
export const NOW = Date.UTC(2025, 4, 1, 12, 0, 0);
export const NOW_ISO = new Date(NOW).toISOString();
export const NOW_SECONDS = Math.floor(NOW / 1000);

/** The context AppSync passes to a handler: the caller and env are the defaults unless `input` sets them. */
export function contextOf(input: ContextInput = {}): Context {
  return buildContext({ identity: IDENTITY, env: ENV, ...input }) as unknown as Context;
}

/** A DynamoDB string attribute, as the module writes request keys. */
export const S = (value: string): { S: string } => ({ S: value });

/** The error `action` throws (util.error, util.unauthorized, runtime.earlyReturn end a handler by throwing). */
export function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

/** The util.error a handler raised (ResolverError carries its errorType). */
export function resolverErrorOf(action: () => unknown): ResolverError {
  const error = thrown(action);
  if (!(error instanceof ResolverError)) throw new Error(`expected util.error, got ${String(error)}`);
  return error;
}

/** A data source's ctx.error when a condition failed. */
export const CONDITION_FAILED = { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' };

/** The module's condition objects for `{ pk: { attributeExists: false | true } }`. */
export const PK_ABSENT = { expression: '(attribute_not_exists(#pk))', expressionNames: { '#pk': 'pk' } };
export const PK_PRESENT = { expression: '(attribute_exists(#pk))', expressionNames: { '#pk': 'pk' } };

/** Each test starts a fresh evaluation state, at NOW. */
export function useFixedClock(): void {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
    resetState();
  });
  afterEach(() => {
    jest.useRealTimers();
  });
}
