// util's encoding helpers and util.matches, with the Java semantics AppSync's "Built-in utilities" follow.
import { describe, expect, it } from '@jest/globals';
import { newEvaluationState } from '../../../../../../sandbox/appsync/runtime/state.ts';
import { createUtil } from '../../../../../../sandbox/appsync/runtime/util/index.ts';

const util = createUtil(newEvaluationState());

describe('util.urlEncode', () => {
  it('encodes a space as a plus and reserved characters as %XX', () => {
    expect(util.urlEncode('a/b?c=d&e f')).toBe('a%2Fb%3Fc%3Dd%26e+f');
  });

  it('keeps letters, digits and *-._ but encodes the marks encodeURIComponent keeps', () => {
    expect(util.urlEncode("Az09*-._!~'()")).toBe('Az09*-._%21%7E%27%28%29');
  });

  it('encodes non-ASCII characters as their UTF-8 bytes', () => {
    expect(util.urlEncode('é€😀')).toBe('%C3%A9%E2%82%AC%F0%9F%98%80');
  });

  it('encodes an unpaired surrogate as a question mark', () => {
    expect(util.urlEncode('\uD800x')).toBe('%3Fx');
  });

  it('rejects a value that is not a string', () => {
    expect(() => util.urlEncode(7 as unknown as string)).toThrow('util.urlEncode: the argument must be a string');
  });
});

describe('util.urlDecode', () => {
  it('decodes plus signs and %XX escapes', () => {
    expect(util.urlDecode('Hello+World%21+a%2Fb')).toBe('Hello World! a/b');
  });

  it('decodes multi-byte UTF-8 sequences', () => {
    expect(util.urlDecode('%C3%A9%e2%82%ac')).toBe('é€');
  });

  it('replaces bytes that are not UTF-8 with U+FFFD', () => {
    expect(util.urlDecode('%FFa')).toBe('\uFFFDa');
  });

  it('rejects an incomplete escape at the end', () => {
    expect(() => util.urlDecode('abc%2')).toThrow('URLDecoder: Incomplete trailing escape (%) pattern');
  });

  it('rejects an escape that is not hexadecimal', () => {
    expect(() => util.urlDecode('%zz')).toThrow('URLDecoder: Illegal hex characters in escape (%) pattern - zz');
  });
});

describe('util.escapeJavaScript', () => {
  it('escapes quotes, backslashes and slashes', () => {
    expect(util.escapeJavaScript(`say "it's" a/b\\c`)).toBe(`say \\"it\\'s\\" a\\/b\\\\c`);
  });

  it('escapes control characters by their short forms or as \\u00XX', () => {
    expect(util.escapeJavaScript('\n\t\r\b\f\u0001')).toBe('\\n\\t\\r\\b\\f\\u0001');
  });

  it('escapes characters outside ASCII as upper-case \\uXXXX, surrogate by surrogate', () => {
    expect(util.escapeJavaScript('é😀\u007f')).toBe('\\u00E9\\uD83D\\uDE00\u007f');
  });
});

describe('util.base64Encode and util.base64Decode', () => {
  it('encodes the UTF-8 bytes of a string', () => {
    expect(util.base64Encode('Hello, AppSync! é')).toBe('SGVsbG8sIEFwcFN5bmMhIMOp');
  });

  it('decodes to a UTF-8 string', () => {
    expect(util.base64Decode('SGVsbG8sIEFwcFN5bmMhIMOp')).toBe('Hello, AppSync! é');
  });

  it('decodes input without padding', () => {
    expect(util.base64Decode('w6k')).toBe('é');
  });

  it('rejects characters outside the base64 alphabet', () => {
    expect(() => util.base64Decode('not base64!')).toThrow('util.base64Decode: the argument is not valid base64');
  });

  it('rejects a length that no base64 text has', () => {
    expect(() => util.base64Decode('abcde')).toThrow('util.base64Decode: the argument is not valid base64');
  });
});

describe('util.matches', () => {
  it('matches the documented example', () => {
    expect(util.matches('a*b', 'aaaaab')).toBe(true);
  });

  it('requires the whole value to match, as Pattern.matches does', () => {
    expect([util.matches('a*b', 'aaaaabc'), util.matches('b', 'ab')]).toEqual([false, false]);
  });

  it('takes leading inline flags', () => {
    expect([util.matches('(?i)hello', 'HELLO'), util.matches('(?s)a.b', 'a\nb')]).toEqual([true, true]);
  });

  it('does not let a multiline flag match from a later line', () => {
    expect(util.matches('(?m)^b$', 'a\nb')).toBe(false);
  });

  it('supports Unicode property classes', () => {
    expect(util.matches('\\p{L}+', 'été')).toBe(true);
  });

  it('accepts escapes that only the non-Unicode syntax allows', () => {
    expect(util.matches('a\\-b', 'a-b')).toBe(true);
  });

  it('rejects the comments flag, which JavaScript lacks', () => {
    expect(() => util.matches('(?x) a b', 'ab')).toThrow('util.matches: the COMMENTS flag (?x) is not supported');
  });

  it('rejects an invalid regular expression', () => {
    expect(() => util.matches('(', 'x')).toThrow('util.matches: invalid regular expression "("');
  });
});
