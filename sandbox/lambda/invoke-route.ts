// Lambda's Invoke API on the sandbox's server (`POST /2015-03-31/functions/{FunctionName}/invocations`, SigV4 for the
// `lambda` service), so a function invokes another one as it does on AWS (the chat function's Lambda tools:
// functions/chat/tools/lambda.ts). Shapes from the Lambda API reference's "Invoke": the function's result as the
// body; a function error is still 200, with X-Amz-Function-Error and the error document; Event is 202 and empty.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, headerOf, readBody, sendJson, type Route } from '../aws/http.ts';
import { signedRequestOf, verifySigV4, type IamPrincipal } from '../aws/sigv4.ts';
import type { Logger } from '../log.ts';
import { FunctionNotFoundError, type LambdaService } from './runtime.ts';

/** Lambda's synchronous payload quota: 6 MB of request. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
const PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** A REST error of the Lambda API: its type in `x-amzn-ErrorType` and in the body. */
function refuse(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { Type: status >= 500 ? 'Service' : 'User', message }, { 'x-amzn-errortype': type });
}

/** The function's name from a name, a partial ARN (`account:function:name`) or a full ARN; a qualifier is dropped. */
export function functionNameOf(value: string): string {
  const parts = decodeURIComponent(value).split(':');
  const at = parts.indexOf('function');
  return at >= 0 ? (parts[at + 1] ?? '') : (parts[0] ?? '');
}

export function invokeRoute(lambda: Pick<LambdaService, 'invoke'>, principals: readonly IamPrincipal[], log: Logger): Route {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const match = PATH.exec(new URL(req.url ?? '/', 'http://sandbox').pathname);
    if (req.method !== 'POST' || !match) return false;
    let body: string;
    try {
      body = await readBody(req, MAX_PAYLOAD_BYTES);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      refuse(res, 413, 'RequestTooLargeException', `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`);
      return true;
    }
    const signed = await verifySigV4(signedRequestOf(req, body), principals, { service: 'lambda' });
    if (!signed.ok) {
      log.warn(`Invoke refused: ${signed.errorType}`);
      refuse(res, 403, signed.errorType, signed.message);
      return true;
    }
    const type = headerOf(req.headers, 'x-amz-invocation-type') ?? 'RequestResponse';
    if (type !== 'RequestResponse' && type !== 'Event') {
      refuse(res, 400, 'InvalidParameterValueException', `The sandbox serves RequestResponse and Event invocations, not ${type}.`);
      return true;
    }
    let payload: unknown;
    try {
      payload = body === '' ? undefined : JSON.parse(body);
    } catch {
      refuse(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json: Unexpected character');
      return true;
    }
    try {
      const result = await lambda.invoke(functionNameOf(match[1] ?? ''), payload, type);
      if (result.statusCode === 202) {
        res.writeHead(202, { 'content-length': 0 });
        res.end();
        return true;
      }
      sendJson(res, 200, result.functionError ? result.error : (result.payload ?? null), {
        'x-amz-executed-version': '$LATEST',
        ...(result.functionError ? { 'x-amz-function-error': result.functionError } : {}),
      });
    } catch (error) {
      if (!(error instanceof FunctionNotFoundError)) throw error;
      refuse(res, 404, 'ResourceNotFoundException', error.message);
    }
    return true;
  };
}
