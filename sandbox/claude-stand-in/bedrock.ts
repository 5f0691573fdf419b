// Claude on Amazon Bedrock, as the stand-in serves it: `POST <prefix>/model/{modelId}/invoke` and
// `.../invoke-with-response-stream` (Bedrock Runtime's InvokeModel and InvokeModelWithResponseStream), SigV4 checked
// against the sandbox's IAM principals, the Anthropic body with `anthropic_version` instead of `model` and `stream`,
// and Bedrock's errors: an HTTP status, `x-amzn-errortype` and a `{"message": ...}` body.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signedRequestOf, verifySigV4, type IamPrincipal } from '../aws/sigv4.ts';
import { ClaudeApiError, type ClaudeErrorType } from './errors.ts';
import type { AnswerHeaders } from './messages.ts';

export interface BedrockRoute {
  modelId: string;
  stream: boolean;
}

/** The model and operation of a Bedrock Runtime path; undefined when the path is not one. */
export function bedrockRouteOf(url: string | undefined): BedrockRoute | undefined {
  const path = new URL(url ?? '/', 'http://stand-in').pathname;
  const match = /\/model\/([^/]+)\/(invoke|invoke-with-response-stream)$/.exec(path);
  if (!match) return undefined;
  let modelId: string;
  try {
    modelId = decodeURIComponent(match[1] ?? '');
  } catch {
    return undefined;
  }
  return { modelId, stream: match[2] === 'invoke-with-response-stream' };
}

/** An error as Bedrock Runtime answers it. */
export class BedrockApiError extends Error {
  override readonly name = 'BedrockApiError';
  constructor(readonly status: number, readonly errorType: string, message: string) {
    super(message);
  }
}

/** The Bedrock error an Anthropic error stands for (the sandbox's reading of Bedrock Runtime's error list). */
const FROM_ANTHROPIC: Record<ClaudeErrorType, [number, string, string?]> = {
  invalid_request_error: [400, 'ValidationException'],
  authentication_error: [403, 'AccessDeniedException'],
  not_found_error: [404, 'ResourceNotFoundException'],
  request_too_large: [400, 'ValidationException', 'Input is too long for requested model.'],
  rate_limit_error: [429, 'ThrottlingException', 'Too many requests, please wait before trying again.'],
  api_error: [500, 'InternalServerException', 'The server encountered an internal error while processing the request.'],
  overloaded_error: [503, 'ServiceUnavailableException', 'The service isn\'t available. Try again later.'],
};

export function bedrockErrorOf(error: unknown): BedrockApiError {
  if (error instanceof BedrockApiError) return error;
  if (!(error instanceof ClaudeApiError)) return new BedrockApiError(500, 'InternalServerException', 'The server encountered an internal error while processing the request.');
  const [status, errorType, message] = FROM_ANTHROPIC[error.errorType];
  return new BedrockApiError(status, errorType, message ?? error.message);
}

export function sendBedrockError(res: ServerResponse, error: BedrockApiError, requestId: string): void {
  const text = JSON.stringify({ message: error.message });
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': `${error.errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
  });
  res.end(text);
}

/** Headers of a successful InvokeModel answer. */
export const bedrockAnswerHeaders: AnswerHeaders = (plan, message) => ({
  'x-amzn-requestid': plan.requestId,
  'x-amzn-bedrock-input-token-count': String(message.usage.input_tokens),
  'x-amzn-bedrock-output-token-count': String(message.usage.output_tokens),
});

/**
 * Claude's model ids on Bedrock: a foundation model (`anthropic.claude-sonnet-4-6`, with a version suffix such as
 * `-v1:0` on older ones), a cross-region inference profile (`us.`, `eu.`, `apac.`, `global.` ...), or an ARN of either.
 */
const MODEL_ID = /^(?:arn:aws[a-z-]*:bedrock:[a-z0-9-]*:\d{0,12}:(?:foundation-model|inference-profile|application-inference-profile)\/)?(?:[a-z-]+\.)?anthropic\.claude-[a-z0-9.-]+(?::\d+)?$/;

export function checkModelId(modelId: string): void {
  if (!MODEL_ID.test(modelId)) throw new BedrockApiError(400, 'ValidationException', 'The provided model identifier is invalid.');
}

/** The Anthropic Messages body a Bedrock body stands for: `model` and `stream` come from the path. */
export function anthropicBodyOf(body: unknown, route: BedrockRoute): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const fields = body as Record<string, unknown>;
  for (const key of ['model', 'stream']) {
    if (key in fields) throw new BedrockApiError(400, 'ValidationException', `Malformed input request: #: extraneous key [${key}] is not permitted, please reformat your input and try again.`);
  }
  if (typeof fields['anthropic_version'] !== 'string') {
    throw new BedrockApiError(400, 'ValidationException', 'Malformed input request: #: required key [anthropic_version] not found, please reformat your input and try again.');
  }
  const rest = Object.entries(fields).filter(([key]) => key !== 'anthropic_version' && key !== 'anthropic_beta');
  return { ...Object.fromEntries(rest), model: route.modelId, stream: route.stream };
}

/** Checks the request's SigV4 signature (service `bedrock`) against the sandbox's principals. */
export async function checkSignature(req: IncomingMessage, body: string, principals: readonly IamPrincipal[]): Promise<void> {
  const result = await verifySigV4(signedRequestOf(req, body), principals, { service: 'bedrock' });
  if (!result.ok) throw new BedrockApiError(403, result.errorType, result.message);
}
