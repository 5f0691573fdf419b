// SigV4 on the sandbox's AWS service stand-ins (Bedrock Runtime, Secrets Manager): the signature is recomputed with
// the principal's secret, as AppSync's IAM mode does (appsync/auth.ts), and scoped to the service called.
import type { IncomingMessage } from 'node:http';
import { authenticate, type IamPrincipal } from '../appsync/auth.ts';

export type SignatureCheck = { ok: true } | { ok: false; errorType: string; message: string };

/** Checks `req` (with its raw `body`) was signed for `service` by one of `principals`. */
export async function checkAwsSignature(req: IncomingMessage, body: string, principals: readonly IamPrincipal[], service: string): Promise<SignatureCheck> {
  const authorization = req.headers.authorization;
  if (authorization === undefined || authorization === '') return { ok: false, errorType: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  const scope = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request,/.exec(authorization);
  if (scope?.[1] !== service) {
    return { ok: false, errorType: 'InvalidSignatureException', message: `Credential should be scoped to correct service: '${service}'.` };
  }
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const result = await authenticate({
    method: req.method ?? 'POST',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    body,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
  }, { api: { auth: { default: { type: 'AWS_IAM' }, additional: [] }, apiKeys: [] }, userPools: [], iamPrincipals: principals });
  return result.ok ? { ok: true } : { ok: false, errorType: result.errorType, message: result.message };
}
