// The POST policy checker on its own: the document's shape, expiration, each condition form, the fields a policy must
// name, and the size range, with the codes and messages S3 answers.
import { describe, expect, it } from '@jest/globals';
import { checkPostPolicy, parsePolicy } from '../../../../sandbox/s3/post-policy.ts';
import { S3Error } from '../../../../sandbox/s3/errors.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const encode = (policy: unknown): string => Buffer.from(JSON.stringify(policy)).toString('base64');

function check(conditions: unknown[], fields: Record<string, string>, options: { fileSize?: number; expiration?: string; now?: number } = {}): S3Error | null {
  try {
    checkPostPolicy({
      policy: encode({ expiration: options.expiration ?? '2026-01-01T12:05:00.000Z', conditions }),
      fields: new Map(Object.entries(fields)), bucket: 'b', fileSize: options.fileSize ?? 10, now: options.now ?? NOW,
    });
    return null;
  } catch (error) {
    if (error instanceof S3Error) return error;
    throw error;
  }
}

const outcome = (error: S3Error | null): unknown => (error === null ? 'accepted' : { code: error.errorType, status: error.status, message: error.message, ...error.details });

describe('checkPostPolicy', () => {
  it('accepts fields that meet every condition, object and array forms alike, the bucket from the URL', () => {
    expect(outcome(check([{ bucket: 'b' }, ['eq', '$key', 'k'], ['starts-with', '$Content-Type', 'image/'], ['content-length-range', 1, 10]], { key: 'k', 'content-type': 'image/png' }))).toBe('accepted');
  });

  it('lets starts-with "" match any value of a field that is present', () => {
    expect(outcome(check([['starts-with', '$key', '']], { key: 'anything' }))).toBe('accepted');
  });

  it('fails starts-with "" on a field that is absent', () => {
    expect(outcome(check([['starts-with', '$x-amz-meta-tag', '']], {}))).toMatchObject({ code: 'AccessDenied', message: 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$x-amz-meta-tag", ""]' });
  });

  it('reports a failed object condition in its array form', () => {
    expect(outcome(check([{ acl: 'private' }], { acl: 'public-read' }))).toEqual({ code: 'AccessDenied', status: 403, message: 'Invalid according to Policy: Policy Condition failed: ["eq", "$acl", "private"]' });
  });

  it('refuses a bucket other than the one posted to', () => {
    expect(outcome(check([{ bucket: 'other' }], {}))).toMatchObject({ message: 'Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "other"]' });
  });

  it('compares field names without case', () => {
    expect(outcome(check([['eq', '$CONTENT-TYPE', 'text/plain']], { 'content-type': 'text/plain' }))).toBe('accepted');
  });

  it('names every field no condition covers, sparing x-amz-signature, policy, file and x-ignore-*', () => {
    expect(outcome(check([], { 'x-amz-signature': 's', policy: 'p', 'x-ignore-submit': 'go', acl: 'private', success_action_status: '201' }))).toMatchObject({ message: 'Invalid according to Policy: Extra input fields: acl, success_action_status' });
  });

  it('refuses a file over the range with EntityTooLarge, giving both sizes', () => {
    expect(outcome(check([['content-length-range', 0, 100]], {}, { fileSize: 101 }))).toEqual({ code: 'EntityTooLarge', status: 400, message: 'Your proposed upload exceeds the maximum allowed size', ProposedSize: 101, MaxSizeAllowed: 100 });
  });

  it('accepts a file exactly at either bound of the range', () => {
    expect([check([['content-length-range', 5, 100]], {}, { fileSize: 5 }), check([['content-length-range', 5, 100]], {}, { fileSize: 100 })]).toEqual([null, null]);
  });

  it('refuses a file under the range with EntityTooSmall', () => {
    expect(outcome(check([['content-length-range', 5, 100]], {}, { fileSize: 4 }))).toEqual({ code: 'EntityTooSmall', status: 400, message: 'Your proposed upload is smaller than the minimum allowed size', ProposedSize: 4, MinSizeAllowed: 5 });
  });

  it('checks the fields before the size: a wrong key and a big file report the key', () => {
    expect(outcome(check([['content-length-range', 0, 1], ['eq', '$key', 'a']], { key: 'b' }, { fileSize: 2 }))).toMatchObject({ code: 'AccessDenied' });
  });

  it('refuses an expired policy, and accepts one at its expiration instant', () => {
    expect(outcome(check([], {}, { now: Date.parse('2026-01-01T12:05:00.001Z') }))).toMatchObject({ code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.' });
    expect(check([], {}, { now: Date.parse('2026-01-01T12:05:00.000Z') })).toBeNull();
  });
});

describe('parsePolicy', () => {
  const invalid = (policy: string): unknown => {
    try {
      parsePolicy(policy);
      return 'parsed';
    } catch (error) {
      return { code: (error as S3Error).errorType, status: (error as S3Error).status, message: (error as S3Error).message };
    }
  };

  it('refuses a policy that is not base64 JSON with InvalidPolicyDocument', () => {
    expect(invalid('not json')).toEqual({ code: 'InvalidPolicyDocument', status: 400, message: 'Invalid Policy: Invalid JSON.' });
    expect(invalid(encode([1]))).toMatchObject({ message: 'Invalid Policy: Invalid JSON.' });
  });

  it('requires an ISO 8601 UTC expiration and a conditions list', () => {
    expect(invalid(encode({ conditions: [] }))).toMatchObject({ message: 'Invalid Policy: Policy missing expiration.' });
    expect(invalid(encode({ expiration: 'tomorrow', conditions: [] }))).toMatchObject({ message: "Invalid Policy: Invalid 'expiration' value: 'tomorrow'" });
    expect(invalid(encode({ expiration: '2026-01-01T00:00:00Z' }))).toMatchObject({ message: 'Invalid Policy: Policy missing conditions.' });
  });

  it('refuses conditions of unknown operators or shapes', () => {
    expect(invalid(encode({ expiration: '2026-01-01T00:00:00Z', conditions: [['ends-with', '$key', 'x']] }))).toMatchObject({ code: 'InvalidPolicyDocument', message: 'Invalid Policy: Invalid Condition: ["ends-with","$key","x"]' });
    expect(invalid(encode({ expiration: '2026-01-01T00:00:00Z', conditions: [['eq', 'key', 'x']] }))).toMatchObject({ code: 'InvalidPolicyDocument' });
    expect(invalid(encode({ expiration: '2026-01-01T00:00:00Z', conditions: [['content-length-range', -1, 5]] }))).toMatchObject({ code: 'InvalidPolicyDocument' });
    expect(invalid(encode({ expiration: '2026-01-01T00:00:00Z', conditions: [{ key: 1 }] }))).toMatchObject({ message: 'Invalid Policy: Invalid Simple-Condition: value must be a string.' });
    expect(invalid(encode({ expiration: '2026-01-01T00:00:00Z', conditions: [{ a: '1', b: '2' }] }))).toMatchObject({ code: 'InvalidPolicyDocument' });
  });
});
