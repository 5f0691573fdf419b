// SigV4 as S3 checks it, in both of S3's forms: the Authorization header ("Signature Calculations for the Authorization
// Header: Transferring Payload in a Single Chunk") and presigned query parameters ("Authenticating Requests: Using Query
// Parameters"), with S3's own rules and error codes. It differs from sandbox/aws/sigv4.ts (which AppSync and the JSON
// services use) where S3 differs: the path is not encoded a second time, x-amz-content-sha256 is required and may say
// UNSIGNED-PAYLOAD, bodies are bytes, and presigned URLs expire after X-Amz-Expires.
import { createHash, createHmac } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { getCanonicalQuery, getSigningKey } from '@smithy/signature-v4';
import { headerOf } from '../aws/http.ts';
import { secretsEqual } from '../aws/secrets-equal.ts';
import type { IamPrincipal } from '../aws/sigv4.ts';
import { accessDenied, S3Error } from './errors.ts';

/** A request as it arrived: the path still percent-encoded, as the client signed it. */
export interface S3Request {
  method: string;
  rawPath: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface S3AuthOptions { principals: readonly IamPrincipal[]; region: string; now: () => number }

/** How the signature covers the body; `streaming` bodies are aws-chunked and decoded after the check. */
export type PayloadKind = 'hashed' | 'unsigned' | 'streaming';

const MAX_SKEW_MS = 15 * 60 * 1000;
const WEEK_S = 604_800;
const ALGORITHM = 'AWS4-HMAC-SHA256';

interface Scope { accessKeyId: string; date: string; region: string; service: string }

function parseScope(credential: string): Scope | null {
  const m = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/.exec(credential);
  return m ? { accessKeyId: m[1] ?? '', date: m[2] ?? '', region: m[3] ?? '', service: m[4] ?? '' } : null;
}

export function parseAmzDate(value: string | undefined): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s));
}

export const isoSeconds = (time: number): string => new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function findPrincipal(principals: readonly IamPrincipal[], accessKeyId: string): IamPrincipal {
  const principal = principals.find((p) => p.accessKeyId === accessKeyId);
  if (!principal) throw new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, { AWSAccessKeyId: accessKeyId });
  return principal;
}

/** The signature `principal`'s key for `scope` gives `stringToSign`: the last step of every SigV4 form, POST policies included. */
export async function signatureOf(principal: IamPrincipal, scope: Scope, stringToSign: string): Promise<string> {
  const key = await getSigningKey(Sha256, principal, scope.date, scope.region, scope.service);
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

// getCanonicalQuery leaves X-Amz-Signature out, as a presigned URL's canonical request does.
function canonicalRequest(request: S3Request, signedHeaders: string[], payloadHash: string): string {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of request.query) {
    const had = query[name];
    query[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  }
  const headers = signedHeaders.map((name) => `${name}:${(headerOf(request.headers, name) ?? '').trim().replace(/\s+/g, ' ')}`);
  return [request.method, request.rawPath, getCanonicalQuery({ method: request.method, protocol: 'http:', hostname: '', path: request.rawPath, headers: {}, query }), ...headers, '', signedHeaders.join(';'), payloadHash].join('\n');
}

async function checkSignature(request: S3Request, principal: IamPrincipal, scope: Scope, signed: { amzDate: string; headers: string[]; payloadHash: string; signature: string }): Promise<void> {
  const canonical = canonicalRequest(request, signed.headers, signed.payloadHash);
  const stringToSign = [ALGORITHM, signed.amzDate, `${scope.date}/${scope.region}/${scope.service}/aws4_request`, createHash('sha256').update(canonical).digest('hex')].join('\n');
  if (!secretsEqual(await signatureOf(principal, scope, stringToSign), signed.signature)) {
    throw new S3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403, {
      AWSAccessKeyId: principal.accessKeyId, StringToSign: stringToSign, SignatureProvided: signed.signature, CanonicalRequest: canonical,
    });
  }
}

function checkScope(scope: Scope, region: string, malformed: (message: string, details?: Record<string, string>) => S3Error): void {
  if (scope.service !== 's3') throw malformed(`incorrect service "${scope.service}". This endpoint belongs to "s3".`);
  if (scope.region !== region) throw malformed(`the region '${scope.region}' is wrong; expecting '${region}'`, { Region: region });
}

/**
 * Verifies a header-signed or presigned request by one of the principals; resolves to the principal and how the body
 * is covered, or throws the S3Error S3 answers. A request with neither is anonymous: the template's buckets are private.
 */
export async function verifyS3Request(request: S3Request, options: S3AuthOptions): Promise<{ principal: IamPrincipal; payload: PayloadKind }> {
  if (request.query.has('X-Amz-Algorithm') || request.query.has('X-Amz-Credential')) return { principal: await verifyPresigned(request, options), payload: 'unsigned' };
  const authorization = headerOf(request.headers, 'authorization');
  if (authorization === undefined) throw accessDenied();
  return verifyHeader(request, authorization, options);
}

async function verifyHeader(request: S3Request, authorization: string, options: S3AuthOptions): Promise<{ principal: IamPrincipal; payload: PayloadKind }> {
  if (!authorization.startsWith(`${ALGORITHM} `)) throw new S3Error('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.', 400);
  const malformed = (message: string, details: Record<string, string> = {}): S3Error => new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${message}`, 400, details);
  const m = /Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/.exec(authorization);
  const scope = m ? parseScope(m[1] ?? '') : null;
  if (!m || !scope) throw malformed('the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  const principal = findPrincipal(options.principals, scope.accessKeyId);
  checkScope(scope, options.region, malformed);
  const amzDate = headerOf(request.headers, 'x-amz-date') ?? '';
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) throw accessDenied('AWS authentication requires a valid Date or x-amz-date header');
  if (amzDate.slice(0, 8) !== scope.date) throw malformed('Invalid credential date. Date is not the same as X-Amz-Date.');
  const now = options.now();
  if (Math.abs(now - signingDate.getTime()) > MAX_SKEW_MS) {
    throw new S3Error('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403, {
      RequestTime: amzDate, ServerTime: isoSeconds(now), MaxAllowedSkewMilliseconds: MAX_SKEW_MS,
    });
  }
  const payloadHash = headerOf(request.headers, 'x-amz-content-sha256');
  if (payloadHash === undefined) throw new S3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 400);
  const payload = payloadKind(request, payloadHash);
  await checkSignature(request, principal, scope, { amzDate, headers: (m[2] ?? '').split(';'), payloadHash, signature: m[3] ?? '' });
  return { principal, payload };
}

function payloadKind(request: S3Request, payloadHash: string): PayloadKind {
  if (payloadHash === 'UNSIGNED-PAYLOAD') return 'unsigned';
  if (payloadHash === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') return 'streaming';
  if (payloadHash.startsWith('STREAMING-')) throw new S3Error('NotImplemented', 'A header you provided implies functionality that is not implemented', 501, { Header: 'x-amz-content-sha256' });
  const computed = createHash('sha256').update(request.body).digest('hex');
  if (payloadHash !== computed) {
    throw new S3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
      ClientComputedContentSHA256: payloadHash, S3ComputedContentSHA256: computed,
    });
  }
  return 'hashed';
}

async function verifyPresigned(request: S3Request, options: S3AuthOptions): Promise<IamPrincipal> {
  const q = (name: string): string | null => request.query.get(name);
  const parametersError = (message: string, details: Record<string, string> = {}): S3Error => new S3Error('AuthorizationQueryParametersError', message, 400, details);
  if (q('X-Amz-Algorithm') !== ALGORITHM) throw parametersError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const [credential, amzDate, expiresText, signedHeaders, signature] = ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'].map(q);
  if (!credential || !amzDate || !expiresText || !signedHeaders || !signature) {
    throw parametersError('Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  }
  const scope = parseScope(credential);
  if (!scope) throw parametersError('Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  const expires = Number(expiresText);
  if (!/^-?\d+$/.test(expiresText)) throw parametersError('X-Amz-Expires should be a number');
  if (expires < 0) throw parametersError('X-Amz-Expires must be non-negative');
  if (expires > WEEK_S) throw parametersError(`X-Amz-Expires must be less than a week (in seconds) that is ${WEEK_S}`);
  const principal = findPrincipal(options.principals, scope.accessKeyId);
  checkScope(scope, options.region, (message, details) => parametersError(`Error parsing the X-Amz-Credential parameter; ${message}`, details));
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) throw parametersError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  const now = options.now();
  if (signingDate.getTime() - now > MAX_SKEW_MS) throw new S3Error('AccessDenied', 'Request is not yet valid', 403, { 'X-Amz-Date': amzDate, ServerTime: isoSeconds(now) });
  const expiresAt = signingDate.getTime() + expires * 1000;
  if (now > expiresAt) throw new S3Error('AccessDenied', 'Request has expired', 403, { 'X-Amz-Expires': expiresText, Expires: isoSeconds(expiresAt), ServerTime: isoSeconds(now) });
  await checkSignature(request, principal, scope, {
    amzDate, headers: signedHeaders.split(';'), payloadHash: q('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD', signature,
  });
  return principal;
}
