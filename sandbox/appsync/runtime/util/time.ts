// util.time: timestamps now and conversions between epoch numbers, ISO 8601 and formatted text.
// AWS AppSync docs, "Time helpers in util.time": formats are java.time DateTimeFormatter patterns.
import type { Util } from '@aws-appsync/utils';
import { UtilArgumentError } from '../state.ts';
import { parseToEpoch } from './time-parse.ts';
import { compilePattern, formatInstant } from './time-pattern.ts';
import { parseOffsetId, resolveZone, UTC, utcMillis, type TimeZone } from './time-zone.ts';

// ISO_OFFSET_DATE_TIME (seconds and fraction optional), optionally followed by a [region] as ISO_ZONED_DATE_TIME allows.
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}(?::\d{2})?)(?:\[[A-Za-z0-9~/._+-]+\])?$/i;

function zoneOf(name: string, timezone: string | undefined): TimeZone {
  if (timezone === undefined) return UTC;
  if (typeof timezone !== 'string') throw new UtilArgumentError(`${name}: the time zone must be a string`);
  return resolveZone(timezone);
}

function patternOf(name: string, format: unknown): string {
  if (typeof format !== 'string') throw new UtilArgumentError(`${name}: the format must be a string`);
  return format;
}

function epochOf(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new UtilArgumentError(`${name}: the timestamp must be a number of milliseconds`);
  return Math.trunc(value);
}

function formatted(name: string, epochMs: number, format: unknown, timezone?: string): string {
  return formatInstant(compilePattern(patternOf(name, format)), epochMs, zoneOf(name, timezone));
}

function parseISO8601(timestamp: string): number {
  const match = typeof timestamp === 'string' ? ISO_8601.exec(timestamp) : null;
  if (!match) throw new UtilArgumentError(`Text '${String(timestamp)}' could not be parsed as an ISO 8601 date-time`);
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const local = utcMillis(year, month, day, hour, minute, second, Number((match[7] ?? '').padEnd(3, '0').slice(0, 3)));
  const date = new Date(local);
  if (date.getUTCMonth() + 1 !== month || date.getUTCDate() !== day || date.getUTCHours() !== hour || date.getUTCMinutes() !== minute || date.getUTCSeconds() !== second) {
    throw new UtilArgumentError(`Text '${timestamp}' could not be parsed: invalid date-time`);
  }
  const offset = match[8]?.toUpperCase() === 'Z' ? 0 : (parseOffsetId(match[8] ?? '') ?? 0);
  return local - offset * 60000;
}

export const timeUtil: Util['time'] = {
  nowISO8601: () => new Date().toISOString(),
  nowEpochSeconds: () => Math.floor(Date.now() / 1000),
  nowEpochMilliSeconds: () => Date.now(),
  nowFormatted: (format: string, timezone?: string) => formatted('util.time.nowFormatted', Date.now(), format, timezone),
  parseFormattedToEpochMilliSeconds(timestamp: string, format: string, timezone?: string): number {
    const name = 'util.time.parseFormattedToEpochMilliSeconds';
    if (typeof timestamp !== 'string') throw new UtilArgumentError(`${name}: the timestamp must be a string`);
    return parseToEpoch(compilePattern(patternOf(name, format)), timestamp, zoneOf(name, timezone));
  },
  parseISO8601ToEpochMilliSeconds: parseISO8601,
  epochMilliSecondsToSeconds: (milliseconds: number) => Math.floor(epochOf('util.time.epochMilliSecondsToSeconds', milliseconds) / 1000),
  epochMilliSecondsToISO8601: (milliseconds: number) => new Date(epochOf('util.time.epochMilliSecondsToISO8601', milliseconds)).toISOString(),
  epochMilliSecondsToFormatted: (milliseconds: number, format: string, timezone?: string) =>
    formatted('util.time.epochMilliSecondsToFormatted', epochOf('util.time.epochMilliSecondsToFormatted', milliseconds), format, timezone),
};
