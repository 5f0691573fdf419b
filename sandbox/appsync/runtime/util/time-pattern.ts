// java.time.format.DateTimeFormatter patterns ("yyyy-MM-dd HH:mm:ssZ"): compiled once, then used to
// format an instant in a zone or to parse text back to one. English names, as AppSync prints them.
import { UtilArgumentError } from '../state.ts';
import { utcMillis, zoneName, type TimeZone } from './time-zone.ts';

export type Token = { kind: 'literal'; text: string } | { kind: 'field'; letter: string; count: number };

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const ERAS = ['AD', 'Anno Domini', 'A'];
export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The supported pattern letters and how many times each may be repeated, as DateTimeFormatterBuilder.appendPattern allows. */
const MAX_COUNT: Record<string, number> = {
  G: 5, u: 19, y: 19, M: 5, L: 5, d: 2, D: 3, E: 5, a: 1, h: 2, K: 2, k: 2, H: 2, m: 2, s: 2, S: 9,
  V: 2, z: 4, O: 4, X: 5, x: 5, Z: 5,
};

/** Splits a pattern into fields and literal text; throws UtilArgumentError as ofPattern throws IllegalArgumentException. */
export function compilePattern(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const char = pattern.charAt(i);
    if (/[A-Za-z]/.test(char)) {
      let count = 1;
      while (pattern.charAt(i + count) === char) count += 1;
      const max = MAX_COUNT[char];
      if (max === undefined) throw new UtilArgumentError(`Unknown pattern letter: ${char}`);
      if (count > max || (char === 'V' && count !== 2) || (char === 'O' && count !== 1 && count !== 4)) {
        throw new UtilArgumentError(`Too many pattern letters: ${char}`);
      }
      tokens.push({ kind: 'field', letter: char, count });
      i += count;
    } else if (char === "'") {
      let end = i + 1;
      let literal = '';
      for (;;) {
        if (end >= pattern.length) throw new UtilArgumentError(`Pattern ends with an incomplete string literal: ${pattern}`);
        if (pattern.charAt(end) === "'") {
          if (pattern.charAt(end + 1) !== "'") break;
          end += 1;
        }
        literal += pattern.charAt(end);
        end += 1;
      }
      tokens.push({ kind: 'literal', text: end === i + 1 ? "'" : literal });
      i = end + 1;
    } else if ('[]{}#'.includes(char)) {
      throw new UtilArgumentError(`Pattern character not supported by this emulator: ${char}`);
    } else {
      tokens.push({ kind: 'literal', text: char });
      i += 1;
    }
  }
  return tokens;
}

function pad(value: number, width: number): string {
  const digits = String(Math.abs(value)).padStart(width, '0');
  return value < 0 ? `-${digits}` : digits;
}

/** An offset in one of java.time's styles: "+HH", "+HHmm", "+HHMM", "+HH:MM", ... */
export function formatOffset(minutes: number, colon: boolean, minutesOptional: boolean, zeroText: string | null): string {
  if (minutes === 0 && zeroText !== null) return zeroText;
  const sign = minutes < 0 ? '-' : '+';
  const hours = pad(Math.floor(Math.abs(minutes) / 60), 2);
  const rest = Math.abs(minutes) % 60;
  if (minutesOptional && rest === 0) return `${sign}${hours}`;
  return `${sign}${hours}${colon ? ':' : ''}${pad(rest, 2)}`;
}

function localizedOffset(minutes: number, full: boolean): string {
  if (minutes === 0) return 'GMT';
  const sign = minutes < 0 ? '-' : '+';
  const hours = Math.floor(Math.abs(minutes) / 60);
  const rest = Math.abs(minutes) % 60;
  if (full) return `GMT${sign}${pad(hours, 2)}:${pad(rest, 2)}`;
  return `GMT${sign}${hours}${rest === 0 ? '' : `:${pad(rest, 2)}`}`;
}

function text(names: string[], index: number, count: number): string {
  const name = names[index] ?? '';
  if (count === 4) return name;
  if (count === 5) return name.charAt(0);
  return name.slice(0, 3);
}

function formatField(letter: string, count: number, date: Date, epochMs: number, zone: TimeZone, offset: number): string {
  const year = date.getUTCFullYear();
  const hour = date.getUTCHours();
  switch (letter) {
    case 'G': return (year > 0 ? ERAS : ['BC', 'Before Christ', 'B'])[count === 4 ? 1 : count === 5 ? 2 : 0] ?? '';
    case 'u': case 'y': return count === 2 ? pad(year % 100, 2) : pad(year, count);
    case 'M': case 'L': return count >= 3 ? text(MONTHS, date.getUTCMonth(), count) : pad(date.getUTCMonth() + 1, count);
    case 'd': return pad(date.getUTCDate(), count);
    case 'D': return pad(Math.floor((date.getTime() - utcMillis(year, 1, 1, 0, 0, 0, 0)) / 86_400_000) + 1, count);
    case 'E': return text(DAYS, date.getUTCDay(), count);
    case 'a': return hour < 12 ? 'AM' : 'PM';
    case 'h': return pad(hour % 12 === 0 ? 12 : hour % 12, count);
    case 'K': return pad(hour % 12, count);
    case 'k': return pad(hour === 0 ? 24 : hour, count);
    case 'H': return pad(hour, count);
    case 'm': return pad(date.getUTCMinutes(), count);
    case 's': return pad(date.getUTCSeconds(), count);
    case 'S': return pad(date.getUTCMilliseconds(), 3).padEnd(count, '0').slice(0, count);
    case 'V': return zone.id;
    case 'z': return zoneName(zone, epochMs, count === 4 ? 'long' : 'short');
    case 'O': return localizedOffset(offset, count === 4);
    case 'X': case 'x': {
      const zero = letter === 'X' ? 'Z' : null;
      return formatOffset(offset, count === 3 || count === 5, count === 1, zero);
    }
    default: // 'Z'
      return count === 4 ? localizedOffset(offset, true) : formatOffset(offset, count === 5, false, count === 5 ? 'Z' : null);
  }
}

/** Formats the instant `epochMs` as seen in `zone`. */
export function formatInstant(tokens: Token[], epochMs: number, zone: TimeZone): string {
  const offset = zone.offsetAt(epochMs);
  const date = new Date(epochMs + offset * 60000);
  return tokens.map((token) => (token.kind === 'literal' ? token.text : formatField(token.letter, token.count, date, epochMs, zone, offset))).join('');
}
