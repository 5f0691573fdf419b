// The POST policy of a browser upload, checked as S3 checks it ("Creating a POST Policy" and "Browser-Based Uploads Using
// POST (AWS Signature Version 4)" in the Amazon S3 API Reference): a base64 JSON document with an expiration and
// conditions; every form field (but x-amz-signature, file, policy and x-ignore-*) must be named by a condition; exact
// matches (`{"key": "v"}` or `["eq", "$key", "v"]`), `starts-with` (`""` matches anything present), and the file's size
// within `content-length-range`. Field names are compared without case. The messages are those S3 answers; the order
// in which S3 checks several failing conditions is undocumented: here the field conditions in policy order, then the
// fields no condition names, then the size, which S3 only knows once the file has arrived.
import { S3Error } from './errors.ts';

export interface PostPolicyInput {
  /** The `policy` form field as sent. */
  policy: string;
  /** Every form field but the file, by lower-case name, values of a repeated field joined with commas. */
  fields: ReadonlyMap<string, string>;
  /** The bucket the form was posted to, which the `bucket` condition names. */
  bucket: string;
  /** The size of the file part, in bytes. */
  fileSize: number;
  now: number;
}

type Condition =
  | { kind: 'eq' | 'starts-with'; field: string; written: string; value: string }
  | { kind: 'content-length-range'; min: number; max: number };

/** Form fields no condition needs to name ("Creating a POST Policy", Conditions). */
const EXEMPT = new Set(['x-amz-signature', 'file', 'policy']);

const invalidPolicy = (message: string): S3Error => new S3Error('InvalidPolicyDocument', `Invalid Policy: ${message}`, 400);
const refused = (message: string): S3Error => new S3Error('AccessDenied', `Invalid according to Policy: ${message}`, 403);

function parseCondition(raw: unknown): Condition {
  if (Array.isArray(raw)) {
    const [op, first, second] = raw as unknown[];
    const kind = typeof op === 'string' ? op.toLowerCase() : '';
    if (kind === 'content-length-range' && raw.length === 3 && Number.isSafeInteger(first) && Number.isSafeInteger(second) && (first as number) >= 0) {
      return { kind, min: first as number, max: second as number };
    }
    if ((kind === 'eq' || kind === 'starts-with') && raw.length === 3 && typeof first === 'string' && first.startsWith('$') && typeof second === 'string') {
      return { kind, field: first.slice(1).toLowerCase(), written: first, value: second };
    }
    throw invalidPolicy(`Invalid Condition: ${JSON.stringify(raw)}`);
  }
  if (typeof raw === 'object' && raw !== null && Object.keys(raw).length === 1) {
    const [[name, value] = ['', undefined]] = Object.entries(raw);
    if (typeof value !== 'string') throw invalidPolicy('Invalid Simple-Condition: value must be a string.');
    return { kind: 'eq', field: name.toLowerCase(), written: `$${name}`, value };
  }
  throw invalidPolicy(`Invalid Condition: ${JSON.stringify(raw)}`);
}

/** The policy's expiration (ms) and conditions, or S3's InvalidPolicyDocument. */
export function parsePolicy(policy: string): { expiration: number; conditions: Condition[] } {
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw invalidPolicy('Invalid JSON.');
  const { expiration, conditions } = document as { expiration?: unknown; conditions?: unknown };
  if (expiration === undefined) throw invalidPolicy('Policy missing expiration.');
  const expires = typeof expiration === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(expiration) ? Date.parse(expiration) : Number.NaN;
  if (Number.isNaN(expires)) throw invalidPolicy(`Invalid 'expiration' value: '${typeof expiration === 'string' ? expiration : JSON.stringify(expiration)}'`);
  if (!Array.isArray(conditions)) throw invalidPolicy('Policy missing conditions.');
  return { expiration: expires, conditions: conditions.map(parseCondition) };
}

const written = (c: Extract<Condition, { field: string }>): string => `[${[c.kind, c.written, c.value].map((part) => JSON.stringify(part)).join(', ')}]`;

/** Checks the upload against its policy; throws the S3Error S3 answers for the first rule it breaks. */
export function checkPostPolicy(input: PostPolicyInput): void {
  const { expiration, conditions } = parsePolicy(input.policy);
  if (input.now > expiration) throw refused('Policy expired.');
  const named = new Set<string>();
  for (const condition of conditions) {
    if (condition.kind === 'content-length-range') continue;
    named.add(condition.field);
    const value = condition.field === 'bucket' ? input.bucket : input.fields.get(condition.field);
    const holds = value !== undefined && (condition.kind === 'eq' ? value === condition.value : value.startsWith(condition.value));
    if (!holds) throw refused(`Policy Condition failed: ${written(condition)}`);
  }
  const extra = [...input.fields.keys()].filter((name) => !EXEMPT.has(name) && !name.startsWith('x-ignore-') && !named.has(name));
  if (extra.length > 0) throw refused(`Extra input fields: ${extra.join(', ')}`);
  for (const condition of conditions) {
    if (condition.kind !== 'content-length-range') continue;
    if (input.fileSize > condition.max) {
      throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, { ProposedSize: input.fileSize, MaxSizeAllowed: condition.max });
    }
    if (input.fileSize < condition.min) {
      throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 400, { ProposedSize: input.fileSize, MinSizeAllowed: condition.min });
    }
  }
}
