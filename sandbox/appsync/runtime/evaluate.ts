// evaluateCode: AppSync's EvaluateCode API run offline (API reference: EvaluateCode,
// EvaluateCodeErrorDetail, CodeError). Same input and output shapes, so the CLI can mirror the AWS CLI.
import { authModeOfIdentity, AUTH_TYPE_NAMES, buildContext, type ContextInput } from './context.ts';
import type { CodeError } from './check.ts';
import { createInstance, runHandler, type HandlerName, type HandlerOutcome } from './execute.ts';
import { CodeLoadError, compileCode } from './module.ts';

export interface EvaluateCodeRequest {
  runtime: { name: string; runtimeVersion: string };
  code: string;
  /** The context as a JSON string, as the API takes it. */
  context: string;
  function?: string;
}

export interface EvaluateCodeResponse {
  evaluationResult?: string;
  error?: { message: string; codeErrors?: CodeError[] };
  logs: string[];
  stash?: string;
  outErrors?: string;
}

/** The request itself is invalid: AppSync answers 400 BadRequestException and evaluates nothing. */
export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
  readonly errorType = 'BadRequestException';
}

const FUNCTIONS: readonly HandlerName[] = ['request', 'response'];

export function evaluateCode(request: EvaluateCodeRequest, filename = 'code.js'): EvaluateCodeResponse {
  const { name, runtimeVersion } = request.runtime;
  if (name !== 'APPSYNC_JS') throw new BadRequestError(`runtime name must be APPSYNC_JS, not '${name}'.`);
  if (runtimeVersion !== '1.0.0') throw new BadRequestError(`runtimeVersion must be 1.0.0 (the only APPSYNC_JS version), not '${runtimeVersion}'.`);
  const fn = (request.function ?? 'request') as HandlerName;
  if (!FUNCTIONS.includes(fn)) throw new BadRequestError(`function must be 'request' or 'response', not '${request.function}'.`);
  const input = parseContext(request.context);

  let compiled;
  try {
    compiled = compileCode(request.code, filename);
  } catch (error) {
    if (!(error instanceof CodeLoadError)) throw error;
    return { error: { message: 'The code contains errors.', codeErrors: error.codeErrors }, logs: [] };
  }
  const ctx = buildContext(input);
  const instance = createInstance(compiled, AUTH_TYPE_NAMES[authModeOfIdentity(ctx.identity)]);
  const outcome = runHandler(instance, fn, ctx);
  instance.release();
  const { logs, appendedErrors } = instance.state;
  // Keys in the order the API returns them, so the CLI prints what the AWS CLI prints.
  const response: EvaluateCodeResponse = { ...outcomeFields(outcome), logs, stash: JSON.stringify(ctx.stash) };
  if (appendedErrors.length > 0) response.outErrors = JSON.stringify(appendedErrors);
  return response;
}

function outcomeFields(outcome: HandlerOutcome): Pick<EvaluateCodeResponse, 'evaluationResult' | 'error'> {
  switch (outcome.kind) {
    case 'result':
    case 'earlyReturn':
      return { evaluationResult: JSON.stringify(outcome.value) };
    case 'error':
      return { error: { message: outcome.message } };
    case 'unauthorized':
      return { error: { message: 'Unauthorized' } };
    case 'runtimeError':
      return {
        error: {
          message: outcome.message,
          codeErrors: [{ errorType: 'RUNTIME_ERROR', value: outcome.message, location: { line: outcome.line, column: outcome.column, span: -1 } }],
        },
      };
  }
}

function parseContext(text: string): ContextInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BadRequestError(`context is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequestError('context must be a JSON object such as {"arguments": {}, "stash": {}}.');
  }
  return value;
}
