// Parses text with a compiled DateTimeFormatter pattern back to epoch milliseconds, resolving fields
// as java.time's SMART resolver does; errors read like DateTimeParseException's.
import { UtilArgumentError } from '../state.ts';
import { DAYS, ERAS, MONTHS, type Token } from './time-pattern.ts';
import { localToEpoch, parseOffsetId, resolveZone, utcMillis, type TimeZone } from './time-zone.ts';

const NUMERIC = new Set(['u', 'y', 'd', 'D', 'h', 'K', 'k', 'H', 'm', 's', 'S']);

/** What the text gave: numeric fields by pattern letter, and a zone named in the text. */
interface Parsed {
  values: Record<string, number | undefined>;
  zone?: TimeZone;
}

class Cursor {
  position = 0;
  constructor(readonly text: string) {}

  fail(reason = ''): never {
    throw new UtilArgumentError(`Text '${this.text}' could not be parsed${reason ? `: ${reason}` : ` at index ${this.position}`}`);
  }

  digits(min: number, max: number): number {
    const match = /^\d+/.exec(this.text.slice(this.position, this.position + max));
    if (!match || match[0].length < min) this.fail();
    this.position += match[0].length;
    return Number(match[0]);
  }

  /** Index of the name that the text continues with (the longest one when several match). */
  oneOf(names: string[]): number {
    let best = -1;
    names.forEach((name, index) => {
      if (name && this.text.startsWith(name, this.position) && name.length > (names[best]?.length ?? 0)) best = index;
    });
    if (best === -1) this.fail();
    this.position += names[best]?.length ?? 0;
    return best;
  }

  matching(pattern: RegExp): string {
    const match = pattern.exec(this.text.slice(this.position));
    if (!match) this.fail();
    this.position += match[0].length;
    return match[0];
  }
}

function isNumeric(token: Token | undefined): boolean {
  return token?.kind === 'field' && (NUMERIC.has(token.letter) || ('ML'.includes(token.letter) && token.count <= 2));
}

function names(all: string[], count: number): string[] {
  if (count === 4) return all;
  if (count === 5) return all.map((name) => name.charAt(0));
  return all.map((name) => name.slice(0, 3));
}

function parseOffset(cursor: Cursor, allowZ: boolean): number {
  if (allowZ && cursor.text.startsWith('Z', cursor.position)) {
    cursor.position += 1;
    return 0;
  }
  return parseOffsetId(cursor.matching(/^[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?/)) ?? 0;
}

function parseGmtOffset(cursor: Cursor): number {
  cursor.matching(/^GMT/);
  if (!/^[+-]/.test(cursor.text.slice(cursor.position))) return 0;
  return parseOffsetId(cursor.matching(/^[+-]\d{1,2}(?::\d{2}(?::\d{2})?)?/)) ?? 0;
}

function parseField(cursor: Cursor, letter: string, count: number, next: Token | undefined, parsed: Parsed): void {
  const values = parsed.values;
  if (isNumeric({ kind: 'field', letter, count })) {
    const fixed = letter === 'S' || isNumeric(next) || (count >= 2 && !(count > 2 && 'uy'.includes(letter)));
    const value = cursor.digits(count, fixed ? count : letter === 'D' ? 3 : 'uy'.includes(letter) ? 19 : 2);
    if (letter === 'S') values.ms = count >= 3 ? Math.floor(value / 10 ** (count - 3)) : value * 10 ** (3 - count);
    else if ('uy'.includes(letter)) values.y = count === 2 ? 2000 + value : value;
    else values[letter === 'L' ? 'M' : letter] = value;
    return;
  }
  switch (letter) {
    case 'M': case 'L': values.M = cursor.oneOf(names(MONTHS, count)) + 1; return;
    case 'E': values.E = cursor.oneOf(names(DAYS, count)); return;
    case 'a': values.pm = cursor.oneOf(['AM', 'PM']); return;
    case 'G': cursor.oneOf([ERAS[count === 4 ? 1 : count === 5 ? 2 : 0] ?? 'AD']); return;
    case 'V': parsed.zone = resolveZone(cursor.matching(/^[A-Za-z0-9~/._+-]+/)); return;
    case 'z': parsed.zone = resolveZone(cursor.matching(/^[A-Za-z][A-Za-z0-9~/._+-]*/)); return;
    case 'O': values.offset = parseGmtOffset(cursor); return;
    case 'Z': values.offset = count === 4 ? parseGmtOffset(cursor) : parseOffset(cursor, count === 5); return;
    default: values.offset = parseOffset(cursor, letter === 'X'); // 'X' and 'x'
  }
}

function check(cursor: Cursor, field: string, value: number, min: number, max: number): number {
  if (value < min || value > max) cursor.fail(`Invalid value for ${field} (valid values ${min} - ${max}): ${value}`);
  return value;
}

function daysInMonth(year: number, month: number): number {
  return new Date(utcMillis(year, month + 1, 0, 0, 0, 0, 0)).getUTCDate();
}

/** Epoch milliseconds of `text` read with `tokens`; a time without offset or zone is in `defaultZone`. */
export function parseToEpoch(tokens: Token[], text: string, defaultZone: TimeZone): number {
  const cursor = new Cursor(text);
  const parsed: Parsed = { values: {} };
  const fields = parsed.values;
  tokens.forEach((token, index) => {
    if (token.kind === 'literal') {
      if (!text.startsWith(token.text, cursor.position)) cursor.fail();
      cursor.position += token.text.length;
    } else {
      parseField(cursor, token.letter, token.count, tokens[index + 1], parsed);
    }
  });
  if (cursor.position < text.length) cursor.fail(`Unparsed text found at index ${cursor.position}`);

  const year = fields.y ?? 1970;
  let month = check(cursor, 'MonthOfYear', fields.M ?? 1, 1, 12);
  let day = check(cursor, 'DayOfMonth', fields.d ?? 1, 1, 31);
  if (fields.D !== undefined && fields.M === undefined && fields.d === undefined) {
    const date = new Date(utcMillis(year, 1, check(cursor, 'DayOfYear', fields.D, 1, 366), 0, 0, 0, 0));
    [month, day] = [date.getUTCMonth() + 1, date.getUTCDate()];
  }
  day = Math.min(day, daysInMonth(year, month));

  let hour = fields.H ?? 0;
  if (fields.H === undefined && fields.k !== undefined) hour = check(cursor, 'ClockHourOfDay', fields.k, 1, 24) % 24;
  if (fields.H === undefined && fields.k === undefined) {
    const ofAmPm = fields.h !== undefined ? check(cursor, 'ClockHourOfAmPm', fields.h, 1, 12) % 12 : check(cursor, 'HourOfAmPm', fields.K ?? 0, 0, 11);
    hour = ofAmPm + (fields.pm ?? 0) * 12;
  }
  const local = utcMillis(year, month, day,
    check(cursor, 'HourOfDay', hour, 0, 23), check(cursor, 'MinuteOfHour', fields.m ?? 0, 0, 59),
    check(cursor, 'SecondOfMinute', fields.s ?? 0, 0, 59), fields.ms ?? 0);

  if (fields.E !== undefined && new Date(local).getUTCDay() !== fields.E) {
    cursor.fail(`Conflict found: day-of-week ${DAYS[fields.E]} differs from the date's ${DAYS[new Date(local).getUTCDay()]}`);
  }
  if (fields.offset !== undefined) return local - fields.offset * 60000;
  return localToEpoch(local, parsed.zone ?? defaultZone);
}
