// Who may use the admin route: a caller on the loopback interface that holds the secret made at this start. Both,
// since any web page the developer opens can send requests to 127.0.0.1, and the peer address alone cannot tell a
// test from a page. The secret is taken from a header only, which a browser sends cross-origin only after a CORS
// preflight that the route refuses, so a page cannot use it even if it read the secret from amplify_outputs.json.
// It is compared in constant time (sandbox/aws/secrets-equal.ts) and never logged.
import type { IncomingHttpHeaders } from 'node:http';
import { headerOf } from '../aws/http.ts';
import { secretsEqual } from '../aws/secrets-equal.ts';

export const SECRET_HEADER = 'x-sandbox-admin-secret';

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.replace(/^::ffff:/i, '');
  return address === '::1' || /^127(\.\d{1,3}){3}$/.test(v4);
}

/** Why a request may not use the admin route, or undefined when it may. */
export function adminRefusal(remoteAddress: string | undefined, headers: IncomingHttpHeaders, secret: string): string | undefined {
  if (!isLoopback(remoteAddress)) return 'the admin route answers only callers on this machine\'s loopback interface';
  const bearer = /^Bearer (.+)$/i.exec(headerOf(headers, 'authorization') ?? '')?.[1];
  const given = headerOf(headers, SECRET_HEADER) ?? bearer;
  if (given === undefined || given === '') return `the admin route needs this start's secret, in the ${SECRET_HEADER} header or as a Bearer token`;
  return secretsEqual(secret, given) ? undefined : 'the admin secret does not match this start\'s';
}
