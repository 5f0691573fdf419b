// `@aws-appsync/utils` for resolvers run under jest (jest.config.js maps the package here): the sandbox's
// real util, extensions and runtime, over one evaluation state that a test resets and reads.
import { AUTH_TYPE_NAMES } from '../../sandbox/appsync/runtime/context.ts';
import { createExtensions, runtimeUtil } from '../../sandbox/appsync/runtime/extensions.ts';
import { newEvaluationState, type EvaluationState } from '../../sandbox/appsync/runtime/state.ts';
import { createUtil } from '../../sandbox/appsync/runtime/util/index.ts';

// One object for the whole test file: util and extensions keep a reference to it, so a reset refills it in place.
const current: EvaluationState = newEvaluationState(AUTH_TYPE_NAMES.AMAZON_COGNITO_USER_POOLS);

export const util = createUtil(current);
export const extensions = createExtensions(current);
export const runtime = runtimeUtil;

/** A fresh evaluation (no appended errors, no subscription filter, ...), as for a new request. */
export function resetState(authType: string | null = AUTH_TYPE_NAMES.AMAZON_COGNITO_USER_POOLS): EvaluationState {
  Object.assign(current, newEvaluationState(authType));
  return current;
}

/** What the handlers run since the last reset recorded. */
export function state(): EvaluationState {
  return current;
}
