// AWS's JSON 1.1 protocol as its services answer it: `POST /` with `X-Amz-Target: <Prefix>.<Operation>`, a JSON body,
// and errors as HTTP 400/500 with `x-amzn-errortype` and `{ "__type": ..., "message": ... }` ("Common Errors" in each
// service's API reference). Cognito and Secrets Manager are both served by this one router.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../log.ts';
import { BodyTooLargeError, readBody, type Route } from './http.ts';

export const AMZ_JSON_11 = 'application/x-amz-json-1.1';

/** An error the service means to answer with: its AWS error type, message and HTTP status. */
export class AwsServiceError extends Error {
  constructor(readonly errorType: string, message: string, readonly status = 400) {
    super(message);
    this.name = 'AwsServiceError';
  }
}

export interface JsonResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** One operation: the request's JSON object in, the response's out, or an AwsServiceError thrown. */
export type JsonOperation<Context> = (ctx: Context, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

export interface JsonService<Context> {
  /** The X-Amz-Target prefix, dot included: `AWSCognitoIdentityProviderService.`, `secretsmanager.`. */
  targetPrefix: string;
  operations: Readonly<Record<string, JsonOperation<Context>>>;
  /** What an unexpected exception is answered with (each service names its own: InternalErrorException...). */
  internalError: () => AwsServiceError;
  /** The message of UnknownOperationException for a target the sandbox does not serve. */
  unknownOperation: (target: string) => string;
  log: Logger;
  /** The level of a refused call's log line: `debug` (the default) where refusals are routine (a wrong password),
   * `warn` where one means a misconfigured caller. Successful calls log at debug; an operation may log more. */
  refusalLevel?: 'debug' | 'warn';
}

export function jsonResponse(status: number, body: unknown, requestId: string): JsonResponse {
  return { status, headers: { 'content-type': AMZ_JSON_11, 'x-amzn-requestid': requestId }, body };
}

export function jsonErrorResponse(error: AwsServiceError, requestId: string): JsonResponse {
  return {
    status: error.status,
    headers: { 'content-type': AMZ_JSON_11, 'x-amzn-errortype': error.errorType, 'x-amzn-requestid': requestId },
    body: { __type: error.errorType, message: error.message },
  };
}

const serialization = (): AwsServiceError => new AwsServiceError('SerializationException', 'Start of structure or map found where not expected.');

/** Runs the operation `target` names with `body` (parsed JSON, or null when it was not JSON). */
export async function dispatchJsonCall<Context>(service: JsonService<Context>, ctx: Context, target: string, body: unknown): Promise<JsonResponse> {
  const requestId = randomUUID();
  const name = target.startsWith(service.targetPrefix) ? target.slice(service.targetPrefix.length) : '';
  const operation = Object.hasOwn(service.operations, name) ? service.operations[name] : undefined;
  try {
    if (operation === undefined) throw new AwsServiceError('UnknownOperationException', service.unknownOperation(target));
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw serialization();
    const output = await operation(ctx, body as Record<string, unknown>);
    service.log.debug(`${name} 200`);
    return jsonResponse(200, output, requestId);
  } catch (error) {
    if (error instanceof AwsServiceError) {
      service.log[service.refusalLevel ?? 'debug'](`${name || target} ${error.status} ${error.errorType}: ${error.message}`);
      return jsonErrorResponse(error, requestId);
    }
    service.log.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return jsonErrorResponse(service.internalError(), requestId);
  }
}

export interface JsonRouteOptions {
  targetPrefix: string;
  maxBodyBytes?: number;
  /** Added to every answer (e.g. CORS). */
  headers?: Record<string, string>;
  /** Checked before the body is parsed (e.g. SigV4); a thrown AwsServiceError is the answer. */
  authorize?: (req: IncomingMessage, body: string) => Promise<void>;
  /** Answers one call; `body` is the parsed JSON, or null when the text was not JSON. */
  call: (target: string, body: unknown) => Promise<JsonResponse>;
}

/** The HTTP side: POSTs whose X-Amz-Target has the prefix; anything else is left to the next route. */
export function jsonProtocolRoute(options: JsonRouteOptions): Route {
  const send = (res: Parameters<Route>[1], response: JsonResponse): void => {
    const text = JSON.stringify(response.body);
    res.writeHead(response.status, { ...options.headers, ...response.headers, 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  };
  return async (req, res) => {
    const target = req.headers['x-amz-target'];
    if (req.method !== 'POST' || typeof target !== 'string' || !target.startsWith(options.targetPrefix)) return false;
    try {
      const text = await readBody(req, options.maxBodyBytes);
      await options.authorize?.(req, text);
      send(res, await options.call(target, parseJson(text)));
    } catch (error) {
      // "Common Errors" (every AWS API reference): RequestEntityTooLargeException, HTTP 413. The cap is the sandbox's.
      if (error instanceof BodyTooLargeError) send(res, jsonErrorResponse(new AwsServiceError('RequestEntityTooLargeException', 'The request entity is too large.', 413), randomUUID()));
      else if (error instanceof AwsServiceError) send(res, jsonErrorResponse(error, randomUUID()));
      else throw error;
    }
    return true;
  };
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    // Not JSON: the operation's dispatcher answers SerializationException, as the service does.
    return null;
  }
}
