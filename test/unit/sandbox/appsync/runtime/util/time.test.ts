// util.time against the examples of AWS AppSync's "Time helpers in util.time" pages, and its errors.
import { describe, expect, it } from '@jest/globals';
import { newEvaluationState, UtilArgumentError } from '../../../../../../sandbox/appsync/runtime/state.ts';
import { createUtil } from '../../../../../../sandbox/appsync/runtime/util/index.ts';

const { time } = createUtil(newEvaluationState());
// The instant of the documented examples: 2018-02-06T19:01:35.758Z.
const DOC_INSTANT = 1517943695758;

describe('util.time now functions', () => {
  it('gives the current time in ISO 8601 with milliseconds in UTC', () => {
    const before = Date.now();

    const now = time.nowISO8601();

    expect(now).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(now)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(now)).toBeLessThanOrEqual(Date.now());
  });

  it('gives the current epoch seconds', () => {
    const before = Math.floor(Date.now() / 1000);

    const seconds = time.nowEpochSeconds();

    expect(Number.isInteger(seconds)).toBe(true);
    expect(seconds).toBeGreaterThanOrEqual(before);
    expect(seconds).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('gives the current epoch milliseconds', () => {
    const before = Date.now();

    const milliseconds = time.nowEpochMilliSeconds();

    expect(milliseconds).toBeGreaterThanOrEqual(before);
    expect(milliseconds).toBeLessThanOrEqual(Date.now());
  });

  it('formats the current time in UTC when no zone is given', () => {
    const before = Date.now();

    const formatted = time.nowFormatted('yyyy-MM-dd HH:mm:ss.SSSZ');

    expect(formatted).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    const parsed = Date.parse(formatted.replace(' ', 'T').replace('+0000', 'Z'));
    expect(parsed).toBeGreaterThanOrEqual(before);
    expect(parsed).toBeLessThanOrEqual(Date.now());
  });

  it('formats the current time in the given zone', () => {
    const formatted = time.nowFormatted('XXX', '+08:00');

    expect(formatted).toBe('+08:00');
  });
});

describe('util.time documented examples', () => {
  it('converts epoch milliseconds to seconds', () => {
    expect(time.epochMilliSecondsToSeconds(DOC_INSTANT)).toBe(1517943695);
  });

  it('converts epoch milliseconds to ISO 8601', () => {
    expect(time.epochMilliSecondsToISO8601(DOC_INSTANT)).toBe('2018-02-06T19:01:35.758Z');
  });

  it('formats epoch milliseconds in UTC', () => {
    expect(time.epochMilliSecondsToFormatted(DOC_INSTANT, 'yyyy-MM-dd HH:mm:ssZ')).toBe('2018-02-06 19:01:35+0000');
  });

  it('formats epoch milliseconds at a fixed offset', () => {
    expect(time.epochMilliSecondsToFormatted(DOC_INSTANT, 'yyyy-MM-dd HH:mm:ssZ', '+08:00')).toBe('2018-02-07 03:01:35+0800');
  });

  it('formats epoch milliseconds in a region zone', () => {
    expect(time.epochMilliSecondsToFormatted(DOC_INSTANT, 'yyyy-MM-dd HH:mm:ssZ', 'Australia/Perth')).toBe('2018-02-07 03:01:35+0800');
  });

  it('parses a timestamp whose format holds the offset', () => {
    expect(time.parseFormattedToEpochMilliSeconds('2018-02-01 17:21:05.180+08:00', 'yyyy-MM-dd HH:mm:ss.SSSXXX')).toBe(1517476865180);
  });

  it('parses a timestamp in the given zone', () => {
    expect(time.parseFormattedToEpochMilliSeconds('2018-02-02 01:19:22', 'yyyy-MM-dd HH:mm:ss', '+08:00')).toBe(1517505562000);
  });

  it('parses an ISO 8601 timestamp with an offset', () => {
    expect(time.parseISO8601ToEpochMilliSeconds('2018-02-01T17:21:05.180+08:00')).toBe(1517476865180);
  });
});

describe('util.time ISO 8601 parsing', () => {
  it('reads Z as UTC', () => {
    expect(time.parseISO8601ToEpochMilliSeconds('2018-02-06T19:01:35.758Z')).toBe(DOC_INSTANT);
  });

  it('accepts a time without seconds and a lower-case t and z', () => {
    expect(time.parseISO8601ToEpochMilliSeconds('2018-02-06t19:01z')).toBe(Date.UTC(2018, 1, 6, 19, 1));
  });

  it('keeps only the milliseconds of a nanosecond fraction', () => {
    expect(time.parseISO8601ToEpochMilliSeconds('2018-02-06T19:01:35.758999999Z')).toBe(DOC_INSTANT);
  });

  it('accepts a region id in brackets after the offset', () => {
    expect(time.parseISO8601ToEpochMilliSeconds('2018-02-06T11:01:35.758-08:00[America/Los_Angeles]')).toBe(DOC_INSTANT);
  });

  it('rejects a timestamp without an offset', () => {
    expect(() => time.parseISO8601ToEpochMilliSeconds('2018-02-06T19:01:35')).toThrow(
      "Text '2018-02-06T19:01:35' could not be parsed as an ISO 8601 date-time",
    );
  });

  it('rejects a day that the month does not have', () => {
    expect(() => time.parseISO8601ToEpochMilliSeconds('2018-02-30T00:00:00Z')).toThrow(UtilArgumentError);
  });

  it('rejects a value that is not a string', () => {
    expect(() => time.parseISO8601ToEpochMilliSeconds(42 as unknown as string)).toThrow("Text '42' could not be parsed");
  });
});

describe('util.time argument checks', () => {
  it('rejects a timestamp that is not a number', () => {
    expect(() => time.epochMilliSecondsToISO8601('1517943695758' as unknown as number)).toThrow(
      'util.time.epochMilliSecondsToISO8601: the timestamp must be a number of milliseconds',
    );
  });

  it('rejects a format that is not a string', () => {
    expect(() => time.nowFormatted(null as unknown as string)).toThrow('util.time.nowFormatted: the format must be a string');
  });

  it('rejects a time zone that is not a string', () => {
    expect(() => time.nowFormatted('yyyy', 8 as unknown as string)).toThrow('util.time.nowFormatted: the time zone must be a string');
  });

  it('rejects a parsed timestamp that is not a string', () => {
    expect(() => time.parseFormattedToEpochMilliSeconds(5 as unknown as string, 'yyyy')).toThrow(
      'util.time.parseFormattedToEpochMilliSeconds: the timestamp must be a string',
    );
  });

  it('rejects an unknown pattern letter with a clear message', () => {
    expect(() => time.epochMilliSecondsToFormatted(DOC_INSTANT, 'yyyy-bb')).toThrow('Unknown pattern letter: b');
  });

  it('rejects an unknown time zone with a clear message', () => {
    expect(() => time.nowFormatted('yyyy', 'Mars/Olympus_Mons')).toThrow('Unknown time-zone ID: Mars/Olympus_Mons');
  });

  it('truncates a fractional millisecond timestamp', () => {
    expect(time.epochMilliSecondsToISO8601(DOC_INSTANT + 0.9)).toBe('2018-02-06T19:01:35.758Z');
  });
});
