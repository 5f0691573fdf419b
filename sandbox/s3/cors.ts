// A bucket's CORS configuration applied as S3 applies it ("Using cross-origin resource sharing (CORS)" and "How does
// Amazon S3 evaluate the CORS configuration on a bucket?" in the Amazon S3 user guide): the first rule whose origin
// (one `*` wildcard allowed), method and every requested header match answers; a preflight nothing matches is a 403.
// The rules are the template's, in CloudFormation's shape ("AWS::S3::Bucket CorsRule").
import { S3Error } from './errors.ts';

export interface CorsRule {
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposedHeaders: string[];
  maxAge?: number;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** The rules of a template's CorsConfiguration (`{ CorsRules: [...] }`); none when it has none. */
export function corsRules(configuration: unknown): CorsRule[] {
  const rules = (configuration as { CorsRules?: unknown } | undefined)?.CorsRules;
  if (!Array.isArray(rules)) return [];
  return rules.map((rule: Record<string, unknown>) => ({
    allowedOrigins: strings(rule.AllowedOrigins),
    allowedMethods: strings(rule.AllowedMethods).map((m) => m.toUpperCase()),
    allowedHeaders: strings(rule.AllowedHeaders),
    exposedHeaders: strings(rule.ExposedHeaders),
    ...(typeof rule.MaxAge === 'number' ? { maxAge: rule.MaxAge } : {}),
  }));
}

/** `*` stands for any run of characters; everything else is literal, compared without case. */
function wildcardMatch(pattern: string, value: string): boolean {
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 'i').test(value);
}

function matchingRule(rules: readonly CorsRule[], origin: string, method: string, requestHeaders: string[]): CorsRule | undefined {
  return rules.find((rule) => rule.allowedOrigins.some((allowed) => wildcardMatch(allowed, origin))
    && rule.allowedMethods.includes(method)
    && requestHeaders.every((header) => rule.allowedHeaders.some((allowed) => wildcardMatch(allowed, header))));
}

function ruleHeaders(rule: CorsRule, origin: string): Record<string, string> {
  const anyOrigin = rule.allowedOrigins.includes('*');
  return {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    ...(anyOrigin ? {} : { 'access-control-allow-credentials': 'true' }),
    ...(rule.exposedHeaders.length > 0 ? { 'access-control-expose-headers': rule.exposedHeaders.join(', ') } : {}),
    ...(rule.maxAge === undefined ? {} : { 'access-control-max-age': String(rule.maxAge) }),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
}

/** The answer to a preflight OPTIONS: its headers, or the S3Error S3 sends. */
export function preflight(rules: readonly CorsRule[], headers: { origin?: string | undefined; method?: string | undefined; requestHeaders?: string | undefined }): Record<string, string> {
  if (headers.origin === undefined) throw new S3Error('BadRequest', 'Insufficient information. Origin request header needed.', 400);
  if (headers.method === undefined) throw new S3Error('BadRequest', 'Invalid Access-Control-Request-Method: null', 400);
  if (rules.length === 0) throw new S3Error('AccessForbidden', 'CORSResponse: CORS is not enabled for this bucket.', 403, { Method: headers.method, ResourceType: 'BUCKET' });
  const requested = (headers.requestHeaders ?? '').split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  const rule = matchingRule(rules, headers.origin, headers.method, requested);
  if (!rule) {
    throw new S3Error('AccessForbidden', "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.", 403, {
      Method: headers.method, ResourceType: 'OBJECT',
    });
  }
  return { ...ruleHeaders(rule, headers.origin), ...(requested.length > 0 ? { 'access-control-allow-headers': requested.join(', ') } : {}) };
}

/** Headers an actual (not preflight) request from `origin` gets, answered or refused; none when no rule matches. */
export function corsHeaders(rules: readonly CorsRule[], origin: string | undefined, method: string): Record<string, string> {
  if (origin === undefined) return {};
  const rule = matchingRule(rules, origin, method, []);
  return rule ? ruleHeaders(rule, origin) : {};
}
