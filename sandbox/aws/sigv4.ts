// Signature Version 4, verified as AWS services verify it ("Signature Version 4 signing process" and "Elements of an
// AWS API request signature"): the signature is recomputed with the principal's secret over the headers the client
// signed, the request time must be within 15 minutes, and the credential scope must name the service called.
// AppSync's IAM mode, Secrets Manager and Bedrock Runtime all verify through this one function.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { secretsEqual } from './secrets-equal.ts';
import { headerOf, sourceIpOf } from './http.ts';

/** An IAM principal the sandbox knows, by access key id. */
export interface IamPrincipal { accessKeyId: string; secretAccessKey: string; accountId: string; userArn: string; username: string }

/** What a signature covers: a request as it arrived (HTTP), or a real-time connection's header JSON. */
export interface SignedRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  sourceIp: string;
}

export type SigV4Result =
  | { ok: true; principal: IamPrincipal }
  | { ok: false; errorType: SigV4ErrorType; message: string };

export type SigV4ErrorType = 'MissingAuthenticationTokenException' | 'IncompleteSignatureException' | 'UnrecognizedClientException' | 'InvalidSignatureException';

export interface SigV4Options {
  /** The service the credential scope must name (`appsync`, `secretsmanager`, `bedrock`); any when absent. */
  service?: string;
  now?: () => number;
}

const refused = (errorType: SigV4ErrorType, message: string): SigV4Result => ({ ok: false, errorType, message });

/** The parts of a request a signature covers, read from a Node request and its raw body. */
export function signedRequestOf(req: IncomingMessage, body: string): SignedRequest {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  return { method: req.method ?? 'POST', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, sourceIp: sourceIpOf(req) };
}

/** "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/appsync/aws4_request, SignedHeaders=a;b, Signature=hex" */
function parseAuthorization(value: string): { accessKeyId: string; region: string; service: string; signedHeaders: string[]; signature: string } | null {
  const match = /Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]+)/.exec(value);
  if (!match) return null;
  const [, accessKeyId = '', , region = '', service = '', signed = '', signature = ''] = match;
  return { accessKeyId, region, service, signedHeaders: signed.split(';'), signature };
}

function parseAmzDate(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s));
}

/** True when `request` carries a SigV4 Authorization header (whether or not it verifies). */
export function isSigV4(request: Pick<SignedRequest, 'headers'>): boolean {
  return headerOf(request.headers, 'authorization')?.startsWith('AWS4-HMAC-SHA256') ?? false;
}

/** Verifies `request` was signed by one of `principals`; the refusal carries AWS's errorType and message. */
export async function verifySigV4(request: SignedRequest, principals: readonly IamPrincipal[], options: SigV4Options = {}): Promise<SigV4Result> {
  const authorization = headerOf(request.headers, 'authorization');
  if (authorization === undefined || authorization === '') return refused('MissingAuthenticationTokenException', 'Missing Authentication Token');
  if (options.service !== undefined) {
    const scope = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request,/.exec(authorization);
    if (scope?.[1] !== options.service) return refused('InvalidSignatureException', `Credential should be scoped to correct service: '${options.service}'.`);
  }
  const parsed = parseAuthorization(authorization);
  if (!parsed) return refused('IncompleteSignatureException', 'Authorization header requires \'Credential\', \'Signature\' and \'SignedHeaders\' parameters.');
  const principal = principals.find((p) => p.accessKeyId === parsed.accessKeyId);
  if (!principal) return refused('UnrecognizedClientException', 'The security token included in the request is invalid.');
  const amzDate = headerOf(request.headers, 'x-amz-date');
  const signingDate = amzDate ? parseAmzDate(amzDate) : null;
  const now = options.now?.() ?? Date.now();
  if (!signingDate || Math.abs(now - signingDate.getTime()) > 15 * 60 * 1000) {
    return refused('InvalidSignatureException', 'Signature expired or the request time is not within 15 minutes of the server time.');
  }
  // A signed x-amz-content-sha256 stands for the body in the signature: it must be the body's hash.
  const contentHash = headerOf(request.headers, 'x-amz-content-sha256');
  if (contentHash !== undefined && contentHash !== createHash('sha256').update(request.body).digest('hex')) {
    return refused('InvalidSignatureException', 'The provided x-amz-content-sha256 header does not match what was computed.');
  }
  const expected = await expectedSignature(request, parsed, principal, signingDate);
  if (expected === undefined || !secretsEqual(expected, parsed.signature)) {
    return refused('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
  }
  return { ok: true, principal };
}

/** The signature the principal's secret gives over the headers the client says it signed. */
async function expectedSignature(request: SignedRequest, parsed: NonNullable<ReturnType<typeof parseAuthorization>>, principal: IamPrincipal, signingDate: Date): Promise<string | undefined> {
  const headers: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const value = headerOf(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const sessionToken = headerOf(request.headers, 'x-amz-security-token');
  const signer = new SignatureV4({
    credentials: { accessKeyId: principal.accessKeyId, secretAccessKey: principal.secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) },
    region: parsed.region,
    service: parsed.service,
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: request.method,
    protocol: 'http:',
    hostname: headers.host?.split(':')[0] ?? '',
    path: request.path,
    query: request.query ?? {},
    headers,
    body: request.body,
  }, { signingDate, signableHeaders: new Set(parsed.signedHeaders) });
  return parseAuthorization(String(signed.headers.authorization ?? signed.headers.Authorization ?? ''))?.signature;
}
