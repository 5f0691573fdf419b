// util.time formatting with java.time DateTimeFormatter pattern letters.
import { describe, expect, it } from '@jest/globals';
import { newEvaluationState, UtilArgumentError } from '../../../../../../sandbox/appsync/runtime/state.ts';
import { createUtil } from '../../../../../../sandbox/appsync/runtime/util/index.ts';

const { time } = createUtil(newEvaluationState());
// Tuesday 2018-02-06T19:01:35.758Z; 11:01:35 AM in Los Angeles (PST, -08:00).
const INSTANT = 1517943695758;
const LA = 'America/Los_Angeles';

function format(pattern: string, zone?: string): string {
  return zone === undefined ? time.epochMilliSecondsToFormatted(INSTANT, pattern) : time.epochMilliSecondsToFormatted(INSTANT, pattern, zone);
}

describe('util.time formatting of date fields', () => {
  it('pads or shortens the year by letter count', () => {
    expect(format('y yy yyy yyyy yyyyy u')).toBe('2018 18 2018 2018 02018 2018');
  });

  it('writes months as numbers or English names', () => {
    expect(format('M MM MMM MMMM MMMMM LL')).toBe('2 02 Feb February F 02');
  });

  it('writes the day of month and the day of year', () => {
    expect(format('d dd D DDD')).toBe('6 06 37 037');
  });

  it('writes the day of week in English', () => {
    expect(format('E EEE EEEE EEEEE')).toBe('Tue Tue Tuesday T');
  });

  it('writes the era', () => {
    expect(format('G GGGG GGGGG')).toBe('AD Anno Domini A');
  });
});

describe('util.time formatting of time fields', () => {
  it('writes hours in the four clocks and the half of day', () => {
    expect(format('H HH h hh K k a', LA)).toBe('11 11 11 11 11 11 AM');
  });

  it('writes midnight as 12 AM on the 12-hour clock and as 24 on the 1-24 clock', () => {
    expect(time.epochMilliSecondsToFormatted(Date.UTC(2018, 1, 6), 'hh a k H K')).toBe('12 AM 24 0 0');
  });

  it('writes the afternoon as PM', () => {
    expect(format('h a')).toBe('7 PM');
  });

  it('writes minutes, seconds and fractions of a second', () => {
    expect(format('m mm s ss S SS SSS SSSSSS')).toBe('1 01 35 35 7 75 758 758000');
  });
});

describe('util.time formatting of offsets and zones', () => {
  it('writes offsets in the X, x and Z styles', () => {
    expect(format('X XX XXX XXXX XXXXX|x xx xxx|Z ZZZZ ZZZZZ', LA)).toBe('-08 -0800 -08:00 -0800 -08:00|-08 -0800 -08:00|-0800 GMT-08:00 -08:00');
  });

  it('writes a zero offset as Z in the X styles and as digits in the x and Z styles', () => {
    expect(format('X XXX x Z ZZZZ ZZZZZ O')).toBe('Z Z +00 +0000 GMT Z GMT');
  });

  it('writes the minutes of an offset that has them', () => {
    expect(format('X O OOOO', 'Asia/Kolkata')).toBe('+0530 GMT+5:30 GMT+05:30');
  });

  it('writes the zone id and names', () => {
    expect(format('VV z zzzz', LA)).toBe('America/Los_Angeles PST Pacific Standard Time');
  });

  it('names a fixed-offset zone by its id', () => {
    expect(format('VV z', '+05:00')).toBe('+05:00 +05:00');
  });

  it('follows daylight saving time in a region zone', () => {
    expect(time.epochMilliSecondsToFormatted(Date.UTC(2018, 6, 1, 12), 'HH:mm XXX z', LA)).toBe('05:00 -07:00 PDT');
  });
});

describe('util.time pattern syntax', () => {
  it('copies quoted text and punctuation literally', () => {
    expect(format("yyyy-MM-dd'T'HH:mm 'at' h 'o''clock' ''", 'UTC')).toBe("2018-02-06T19:01 at 7 o'clock '");
  });

  it('rejects an unterminated quote', () => {
    expect(() => format("HH 'oops")).toThrow("Pattern ends with an incomplete string literal: HH 'oops");
  });

  it('rejects too many letters for a field', () => {
    expect(() => format('ddd')).toThrow('Too many pattern letters: d');
  });

  it('rejects a zone-id letter count other than two', () => {
    expect(() => format('V')).toThrow(UtilArgumentError);
  });

  it('rejects a localized-offset letter count other than one or four', () => {
    expect(() => format('OO')).toThrow('Too many pattern letters: O');
  });

  it('rejects optional sections, which the emulator does not support', () => {
    expect(() => format('yyyy[-MM]')).toThrow('Pattern character not supported by this emulator: [');
  });
});
