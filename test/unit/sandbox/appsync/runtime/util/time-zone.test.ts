// Zone ids as util.time's formatting reads them (java.time.ZoneId.of): UTC, offsets, prefixes, region ids.
import { describe, expect, it } from '@jest/globals';
import { newEvaluationState } from '../../../../../../sandbox/appsync/runtime/state.ts';
import { createUtil } from '../../../../../../sandbox/appsync/runtime/util/index.ts';

const { time } = createUtil(newEvaluationState());
// Tuesday 2018-02-06T19:01:35.758Z.
const INSTANT = 1517943695758;

function format(pattern: string, zone: string): string {
  return time.epochMilliSecondsToFormatted(INSTANT, pattern, zone);
}

describe('util.time zone ids', () => {
  it('accepts UTC, GMT and Z', () => {
    expect([format('XXX', 'UTC'), format('XXX', 'GMT'), format('XXX', 'Z')]).toEqual(['Z', 'Z', 'Z']);
  });

  it('accepts offsets after a UTC or GMT prefix', () => {
    expect([format('XXX', 'GMT+8'), format('XXX', 'UTC-03:30')]).toEqual(['+08:00', '-03:30']);
  });

  it('accepts offsets of one or two hour digits, with or without a colon', () => {
    expect([format('XXX', '+8'), format('XXX', '-0930'), format('XXX', '+05:45:00')]).toEqual(['+08:00', '-09:30', '+05:45']);
  });

  it('rejects an offset beyond 18 hours', () => {
    expect(() => format('XXX', '+19:00')).toThrow('Zone offset not in valid range: +19:00');
  });

  it('rejects an offset-like id after an unknown prefix', () => {
    expect(() => format('XXX', 'XYZ+8')).toThrow('Unknown time-zone ID: XYZ+8');
  });

  it('rejects an id with characters no zone id has', () => {
    expect(() => format('XXX', 'Europe Paris')).toThrow('Invalid ID for region-based ZoneId, invalid format: Europe Paris');
  });
});
