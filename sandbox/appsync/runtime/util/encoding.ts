// util.escapeJavaScript, util.urlEncode/urlDecode, util.base64Encode/base64Decode and util.matches,
// with the Java semantics AppSync's utilities come from. AWS AppSync docs, "Built-in utilities".
import { UtilArgumentError } from '../state.ts';

const ESCAPES: Record<string, string> = {
  "'": "\\'", '"': '\\"', '\\': '\\\\', '/': '\\/', '\b': '\\b', '\n': '\\n', '\t': '\\t', '\f': '\\f', '\r': '\\r',
};
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

function text(name: string, value: unknown): string {
  if (typeof value !== 'string') throw new UtilArgumentError(`util.${name}: the argument must be a string`);
  return value;
}

/** Apache Commons Lang's escapeEcmaScript: quotes, backslash and slash escaped, every other char outside 32-127 as \uXXXX. */
export function escapeJavaScript(value: string): string {
  return text('escapeJavaScript', value).replace(/[\s\S]/g, (char) => {
    const code = char.charCodeAt(0);
    return ESCAPES[char] ?? (code < 32 || code > 0x7f ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}` : char);
  });
}

/** Java's URLEncoder with UTF-8: letters, digits and "*-._" kept, space as "+", the rest as %XX of UTF-8 bytes. */
export function urlEncode(value: string): string {
  // Java encodes an unpaired surrogate as "?", which encodeURIComponent would reject.
  return encodeURIComponent(text('urlEncode', value).replace(LONE_SURROGATE, '?'))
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Java's URLDecoder with UTF-8: "+" is a space, %XX bytes are UTF-8; a malformed escape is an error. */
export function urlDecode(value: string): string {
  const input = text('urlDecode', value);
  let result = '';
  let i = 0;
  while (i < input.length) {
    const char = input.charAt(i);
    if (char !== '%') {
      result += char === '+' ? ' ' : char;
      i += 1;
      continue;
    }
    const bytes: number[] = [];
    while (input.charAt(i) === '%') {
      const hex = input.slice(i + 1, i + 3);
      if (hex.length < 2) throw new UtilArgumentError('URLDecoder: Incomplete trailing escape (%) pattern');
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new UtilArgumentError(`URLDecoder: Illegal hex characters in escape (%) pattern - ${hex}`);
      bytes.push(parseInt(hex, 16));
      i += 3;
    }
    result += Buffer.from(bytes).toString('utf8');
  }
  return result;
}

/** Base64 (RFC 4648, with padding) of the string's UTF-8 bytes. */
export function base64Encode(value: string): string {
  return Buffer.from(text('base64Encode', value), 'utf8').toString('base64');
}

/** The UTF-8 text of a base64 string; like Java's Base64 decoder, padding may be left out but nothing else is allowed. */
export function base64Decode(value: string): string {
  if (!BASE64.test(text('base64Decode', value))) throw new UtilArgumentError('util.base64Decode: the argument is not valid base64');
  return Buffer.from(value, 'base64').toString('utf8');
}

const INLINE_FLAGS = /^\(\?([imsx]+)\)/;

/** Java's Pattern.matches: true when the regular expression matches the WHOLE value. */
export function matches(pattern: string, value: string): boolean {
  let source = text('matches', pattern);
  let flags = '';
  // Java's leading inline flags ("(?i)abc"); JavaScript takes them as RegExp flags.
  const inline = INLINE_FLAGS.exec(source);
  if (inline) {
    if (inline[1]?.includes('x')) throw new UtilArgumentError('util.matches: the COMMENTS flag (?x) is not supported');
    flags = inline[1] ?? '';
    source = source.slice(inline[0].length);
  }
  // Sticky, so that the match starts at index 0 even where (?m) lets "^" match at a line start.
  const anchored = `(?:${source})(?![\\s\\S])`;
  let regex: RegExp;
  try {
    regex = new RegExp(anchored, `${flags}uy`);
  } catch {
    try {
      // Some Java-valid escapes (such as "\-" outside a class) are only accepted without the u flag.
      regex = new RegExp(anchored, `${flags}y`);
    } catch (error) {
      throw new UtilArgumentError(`util.matches: invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`);
    }
  }
  return regex.test(text('matches', value));
}
