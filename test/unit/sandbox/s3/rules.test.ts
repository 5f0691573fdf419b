// The pure rules of the sandbox's S3: byte ranges, CORS rule matching, lifecycle expiration times and aws-chunked bodies.
import { describe, expect, it } from '@jest/globals';
import { decodeAwsChunked } from '../../../../sandbox/s3/body.ts';
import { corsHeaders, corsRules, preflight } from '../../../../sandbox/s3/cors.ts';
import { S3Error } from '../../../../sandbox/s3/errors.ts';
import { expirationRules, expiresAt } from '../../../../sandbox/s3/lifecycle.ts';
import { byteRange } from '../../../../sandbox/s3/operations/getObject.ts';

describe('byteRange', () => {
  it('reads the three forms of a single range', () => {
    expect([byteRange('bytes=0-0', 10), byteRange('bytes=7-', 10), byteRange('bytes=-3', 10), byteRange('bytes=5-99', 10)]).toEqual([[0, 0], [7, 9], [7, 9], [5, 9]]);
  });

  it('ignores what S3 ignores: no header, several ranges, a reversed range', () => {
    expect([byteRange(undefined, 10), byteRange('bytes=0-1,3-4', 10), byteRange('bytes=5-2', 10), byteRange('bytes=-', 10)]).toEqual([null, null, null, null]);
  });

  it('refuses a range that starts past the end, or a zero-length suffix, with InvalidRange', () => {
    expect(() => byteRange('bytes=10-', 10)).toThrow(new S3Error('InvalidRange', 'The requested range is not satisfiable', 416));
    expect(() => byteRange('bytes=-0', 10)).toThrow(S3Error);
  });
});

describe('CORS rules', () => {
  const rules = corsRules({ CorsRules: [{ AllowedOrigins: ['https://*.example.com'], AllowedMethods: ['get'], AllowedHeaders: ['*'] }, { AllowedOrigins: ['*'], AllowedMethods: ['HEAD'] }] });

  it('matches an origin by its one wildcard and answers a preflight', () => {
    expect(preflight(rules, { origin: 'https://app.example.com', method: 'GET', requestHeaders: 'X-Anything' })).toMatchObject({ 'access-control-allow-origin': 'https://app.example.com', 'access-control-allow-headers': 'x-anything' });
  });

  it('answers "*" without credentials for a rule allowing any origin', () => {
    expect(corsHeaders(rules, 'http://other.test', 'HEAD')).toMatchObject({ 'access-control-allow-origin': '*' });
    expect(corsHeaders(rules, 'http://other.test', 'HEAD')['access-control-allow-credentials']).toBeUndefined();
  });

  it('adds nothing to a request without an Origin or that no rule matches', () => {
    expect([corsHeaders(rules, undefined, 'GET'), corsHeaders(rules, 'http://other.test', 'GET')]).toEqual([{}, {}]);
  });

  it('refuses a preflight without Access-Control-Request-Method', () => {
    expect(() => preflight(rules, { origin: 'https://app.example.com' })).toThrow('Invalid Access-Control-Request-Method: null');
  });

  it('reads no rules from a template without CorsConfiguration', () => {
    expect([corsRules(undefined), corsRules({})]).toEqual([[], []]);
  });
});

describe('lifecycle expiration', () => {
  const object = (key: string, created: string, size = 1): { key: string; lastModified: number; body: Buffer } => ({ key, lastModified: Date.parse(created), body: Buffer.alloc(size) });

  it('expires at the midnight UTC after creation plus the days ("Expiring objects")', () => {
    const [rule] = expirationRules({ Rules: [{ Status: 'Enabled', Prefix: 'tmp/', ExpirationInDays: 3 }] });

    expect(new Date(expiresAt(rule!, object('tmp/a', '2026-01-15T10:30:00Z')) ?? 0).toISOString()).toBe('2026-01-19T00:00:00.000Z');
    expect(expiresAt(rule!, object('keep/a', '2026-01-15T10:30:00Z'))).toBeUndefined();
  });

  it('expires everything a dated rule covers on its date, within its size bounds', () => {
    const [rule] = expirationRules({ Rules: [{ Status: 'Enabled', ExpirationDate: '2026-02-01T00:00:00Z', ObjectSizeGreaterThan: 10, ObjectSizeLessThan: 100 }] });

    expect([expiresAt(rule!, object('a', '2026-01-01T00:00:00Z', 50)), expiresAt(rule!, object('b', '2026-01-01T00:00:00Z', 5)), expiresAt(rule!, object('c', '2026-01-01T00:00:00Z', 500))])
      .toEqual([Date.parse('2026-02-01T00:00:00Z'), undefined, undefined]);
  });

  it('leaves out disabled rules, rules on tags, and rules that expire nothing', () => {
    expect(expirationRules({ Rules: [
      { Status: 'Disabled', ExpirationInDays: 1 }, { Status: 'Enabled', ExpirationInDays: 1, TagFilters: [{ Key: 'k', Value: 'v' }] }, { Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
    ] })).toEqual([]);
    expect(expirationRules(undefined)).toEqual([]);
  });
});

describe('decodeAwsChunked', () => {
  it('joins the chunks and reads the trailers', () => {
    const body = Buffer.from('5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n');

    expect(decodeAwsChunked(body)).toEqual({ data: Buffer.from('hello world'), trailers: { 'x-amz-checksum-crc32': 'DUoRhQ==' } });
  });

  it('refuses a body cut short with IncompleteBody', () => {
    expect(() => decodeAwsChunked(Buffer.from('5\r\nhel'))).toThrow(new S3Error('IncompleteBody', 'The request body terminated unexpectedly', 400));
    expect(() => decodeAwsChunked(Buffer.from('zz\r\n'))).toThrow(S3Error);
    expect(() => decodeAwsChunked(Buffer.from('5'))).toThrow(S3Error);
  });
});
