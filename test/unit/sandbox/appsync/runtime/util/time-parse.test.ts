// util.time.parseFormattedToEpochMilliSeconds with java.time DateTimeFormatter patterns.
import { describe, expect, it } from '@jest/globals';
import { newEvaluationState } from '../../../../../../sandbox/appsync/runtime/state.ts';
import { createUtil } from '../../../../../../sandbox/appsync/runtime/util/index.ts';

const { time } = createUtil(newEvaluationState());
const LA = 'America/Los_Angeles';

function parse(text: string, pattern: string, zone?: string): number {
  return zone === undefined ? time.parseFormattedToEpochMilliSeconds(text, pattern) : time.parseFormattedToEpochMilliSeconds(text, pattern, zone);
}

describe('util.time parsing of fields', () => {
  it('reads a time without offset or zone as UTC', () => {
    expect(parse('2018-02-06 19:01:35', 'yyyy-MM-dd HH:mm:ss')).toBe(Date.UTC(2018, 1, 6, 19, 1, 35));
  });

  it('reads English month and day names', () => {
    expect(parse('Tuesday, 6 February 2018', 'EEEE, d MMMM yyyy')).toBe(Date.UTC(2018, 1, 6));
  });

  it('reads abbreviated month and day names', () => {
    expect(parse('Tue 06 Feb 18', 'EEE dd MMM yy')).toBe(Date.UTC(2018, 1, 6));
  });

  it('reads adjacent numbers by the widths of their letters', () => {
    expect(parse('20180206190135', 'yyyyMMddHHmmss')).toBe(Date.UTC(2018, 1, 6, 19, 1, 35));
  });

  it('reads single letters as one or two digits', () => {
    expect(parse('2018-2-6 9:5:7', 'y-M-d H:m:s')).toBe(Date.UTC(2018, 1, 6, 9, 5, 7));
  });

  it('reads the hour on a 12-hour clock with AM or PM', () => {
    expect([parse('12:30 AM', 'hh:mm a'), parse('12:30 PM', 'hh:mm a'), parse('11 PM', 'K a')]).toEqual([1_800_000, 45_000_000, 82_800_000]);
  });

  it('reads the hour on the 1-24 clock', () => {
    expect(parse('1970-01-01 24', 'yyyy-MM-dd k')).toBe(0);
  });

  it('reads fractions of a second of any width', () => {
    expect([parse('00:00:00.5', 'HH:mm:ss.S'), parse('00:00:00.123456', 'HH:mm:ss.SSSSSS')]).toEqual([500, 123]);
  });

  it('reads the day of year', () => {
    expect(parse('2018-037', 'yyyy-DDD')).toBe(Date.UTC(2018, 1, 6));
  });

  it('reads an era name', () => {
    expect(parse('2018 AD', 'yyyy G')).toBe(Date.UTC(2018, 0, 1));
  });

  it('moves a day past the end of a month back to its last day', () => {
    expect(parse('2018-02-30', 'yyyy-MM-dd')).toBe(Date.UTC(2018, 1, 28));
  });
});

describe('util.time parsing of offsets and zones', () => {
  it('prefers an offset in the text to the zone argument', () => {
    expect(parse('2018-02-06 19:01:35 +0000', 'yyyy-MM-dd HH:mm:ss Z', '+08:00')).toBe(Date.UTC(2018, 1, 6, 19, 1, 35));
  });

  it('reads Z as a zero offset where the pattern prints one', () => {
    expect([parse('00:00Z', 'HH:mmX'), parse('00:00Z', 'HH:mmZZZZZ')]).toEqual([0, 0]);
  });

  it('reads x and Z offsets with or without a colon', () => {
    expect([parse('00:00-08', 'HH:mmx'), parse('00:00+05:30', 'HH:mmZ')]).toEqual([28_800_000, -19_800_000]);
  });

  it('reads localized GMT offsets', () => {
    expect([parse('00:00 GMT+8', 'HH:mm O'), parse('00:00 GMT', 'HH:mm O'), parse('00:00 GMT-08:00', 'HH:mm ZZZZ')]).toEqual([-28_800_000, 0, 28_800_000]);
  });

  it('reads a zone id', () => {
    expect(parse('2018-07-01 05:00 America/Los_Angeles', 'yyyy-MM-dd HH:mm VV')).toBe(Date.UTC(2018, 6, 1, 12));
  });

  it('reads a zone abbreviation', () => {
    expect(parse('2018-02-06 19:01 UTC', 'yyyy-MM-dd HH:mm z', LA)).toBe(Date.UTC(2018, 1, 6, 19, 1));
  });

  it('reads a wall time in a region zone with its daylight saving offset', () => {
    expect(parse('2018-07-01 05:00', 'yyyy-MM-dd HH:mm', LA)).toBe(Date.UTC(2018, 6, 1, 12));
  });

  it('moves a wall time in a spring-forward gap later by the gap', () => {
    expect(parse('2024-03-10 02:30', 'yyyy-MM-dd HH:mm', LA)).toBe(Date.parse('2024-03-10T03:30:00-07:00'));
  });

  it('takes the earlier offset for a wall time that occurs twice', () => {
    expect(parse('2024-11-03 01:30', 'yyyy-MM-dd HH:mm', LA)).toBe(Date.parse('2024-11-03T01:30:00-07:00'));
  });
});

describe('util.time parse errors', () => {
  it('names the index where the text stops matching the pattern', () => {
    expect(() => parse('2018/02/06', 'yyyy-MM-dd')).toThrow("Text '2018/02/06' could not be parsed at index 4");
  });

  it('rejects text left over after the pattern', () => {
    expect(() => parse('2018-02-06T00', 'yyyy-MM-dd')).toThrow("Text '2018-02-06T00' could not be parsed: Unparsed text found at index 10");
  });

  it('rejects a number with too few digits', () => {
    expect(() => parse('2018-2-06', 'yyyy-MM-dd')).toThrow("Text '2018-2-06' could not be parsed at index 5");
  });

  it('rejects a name that is not one', () => {
    expect(() => parse('Foo 2018', 'MMM yyyy')).toThrow("Text 'Foo 2018' could not be parsed at index 0");
  });

  it('rejects a missing offset', () => {
    expect(() => parse('00:00', 'HH:mmXXX')).toThrow("Text '00:00' could not be parsed at index 5");
  });

  it('rejects a month out of range', () => {
    expect(() => parse('2018-13-01', 'yyyy-MM-dd')).toThrow("Text '2018-13-01' could not be parsed: Invalid value for MonthOfYear (valid values 1 - 12): 13");
  });

  it('rejects an hour out of range', () => {
    expect(() => parse('25:00', 'HH:mm')).toThrow('Invalid value for HourOfDay (valid values 0 - 23): 25');
  });

  it('rejects a day of week that contradicts the date', () => {
    expect(() => parse('Mon 2018-02-06', 'EEE yyyy-MM-dd')).toThrow("day-of-week Monday differs from the date's Tuesday");
  });

  it('rejects an unknown zone in the text', () => {
    expect(() => parse('00:00 Nowhere/Land', 'HH:mm VV')).toThrow('Unknown time-zone ID: Nowhere/Land');
  });
});
