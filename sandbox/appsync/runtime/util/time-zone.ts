// Time-zone ids as java.time.ZoneId.of reads them ("UTC", "+08:00", "GMT+8", "America/Los_Angeles"),
// with offsets of region ids taken from the ICU data behind Intl.
import { UtilArgumentError } from '../state.ts';

export interface TimeZone {
  /** The id as given, e.g. "Australia/Perth" or "+08:00". */
  readonly id: string;
  /** Whether the id names a region (its offset varies), not a fixed offset. */
  readonly region: boolean;
  /** Offset from UTC in minutes at the instant `epochMs`. */
  offsetAt(epochMs: number): number;
}

const OFFSET = /^([+-])(\d{1,2})(?::?(\d{2})(?::?(\d{2}))?)?$/;
const PREFIXES = ['UTC', 'GMT', 'UT'] as const;
const REGION = /^[A-Za-z][A-Za-z0-9~/._+-]+$/;

const regionFormatters = new Map<string, Intl.DateTimeFormat>();

/** A zone with one offset, in minutes east of UTC. */
export function fixedZone(id: string, offsetMinutes: number): TimeZone {
  return { id, region: false, offsetAt: () => offsetMinutes };
}

export const UTC = fixedZone('UTC', 0);

/** Parses "+8", "+08", "+0830", "+08:30", "+08:30:00" into minutes; null when it is not one. */
export function parseOffsetId(text: string): number | null {
  const match = OFFSET.exec(text);
  if (!match) return null;
  const [, sign, hours, minutes, seconds] = match;
  const total = Number(hours) * 60 + Number(minutes ?? 0) + Number(seconds ?? 0) / 60;
  if (Number(hours) > 18 || Number(minutes ?? 0) > 59 || Number(seconds ?? 0) > 59 || total > 18 * 60) {
    throw new UtilArgumentError(`Zone offset not in valid range: ${text}`);
  }
  return sign === '-' ? -total : total;
}

function regionFormatter(id: string): Intl.DateTimeFormat {
  let formatter = regionFormatters.get(id);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: id,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    regionFormatters.set(id, formatter);
  }
  return formatter;
}

function regionZone(id: string): TimeZone {
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = regionFormatter(id);
  } catch {
    throw new UtilArgumentError(`Unknown time-zone ID: ${id}`);
  }
  return {
    id,
    region: true,
    offsetAt(epochMs: number): number {
      const wholeSecond = Math.floor(epochMs / 1000) * 1000;
      const fields: Record<string, number> = {};
      for (const part of formatter.formatToParts(wholeSecond)) fields[part.type] = Number(part.value);
      const local = utcMillis(fields.year ?? 0, fields.month ?? 1, fields.day ?? 1, fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0, 0);
      return Math.round((local - wholeSecond) / 60000);
    },
  };
}

/** Resolves a zone id the way ZoneId.of does; throws UtilArgumentError for an unknown one. */
export function resolveZone(id: string): TimeZone {
  if (id === 'Z') return fixedZone(id, 0);
  const offset = parseOffsetId(id);
  if (offset !== null) return fixedZone(id, offset);
  for (const prefix of PREFIXES) {
    if (id === prefix) return fixedZone(id, 0);
    if (id.startsWith(prefix) && /^[+-]/.test(id.slice(prefix.length))) {
      const prefixed = parseOffsetId(id.slice(prefix.length));
      if (prefixed !== null) return fixedZone(id, prefixed);
    }
  }
  if (!REGION.test(id)) throw new UtilArgumentError(`Invalid ID for region-based ZoneId, invalid format: ${id}`);
  return regionZone(id);
}

/** Epoch milliseconds of a wall-clock time in `zone` (given as if it were UTC): the earlier offset in an overlap, shifted forward in a gap, as java.time does. */
export function localToEpoch(localAsUtc: number, zone: TimeZone): number {
  const before = zone.offsetAt(localAsUtc - 86_400_000);
  const after = zone.offsetAt(localAsUtc + 86_400_000);
  const candidates = [localAsUtc - before * 60000, localAsUtc - after * 60000];
  const valid = candidates.filter((epoch) => epoch + zone.offsetAt(epoch) * 60000 === localAsUtc);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: the wall time does not exist; java.time moves it later by the length of the gap.
  return localAsUtc - before * 60000;
}

/** Epoch milliseconds of a UTC date-time; unlike Date.UTC, years 0-99 are not read as 19xx. */
export function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/** The zone's name as Intl gives it in English ("PST", "Pacific Standard Time"); a fixed offset's name is its id. */
export function zoneName(zone: TimeZone, epochMs: number, style: 'short' | 'long'): string {
  if (!zone.region) return zone.id;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone.id, timeZoneName: style }).formatToParts(epochMs);
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? zone.id;
}
