// current_time: the date and time now in an IANA time zone (UTC by default), read from the function's clock. The model
// has no clock of its own; this is the tool it calls for "today", "tomorrow" or the time somewhere.
import { ToolError, type ServerTool, type ToolContext } from '../types.ts';

export interface CurrentTime {
  /** The zone's canonical IANA name, e.g. Europe/Paris. */
  timeZone: string;
  /** Local date and time with the zone's offset, e.g. 2025-05-01T14:03:07+02:00. */
  localTime: string;
  /** The same instant in UTC, e.g. 2025-05-01T12:03:07.000Z. */
  utc: string;
  weekday: string;
  /** The zone's offset from UTC at this instant, e.g. +02:00. */
  utcOffset: string;
}

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', weekday: 'long', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'longOffset',
    });
  } catch {
    throw new ToolError(`${JSON.stringify(timeZone)} is not an IANA time zone; give one such as UTC, Europe/Paris or America/New_York.`);
  }
}

/** The time `now` (epoch ms) in `timeZone`; a ToolError for a zone Intl does not know. */
export function currentTime(now: number, timeZone = 'UTC'): CurrentTime {
  const formatter = formatterOf(timeZone);
  const parts = Object.fromEntries(formatter.formatToParts(now).map((part) => [part.type, part.value]));
  // `longOffset` names the offset GMT+02:00, and plain GMT for a zero offset.
  const utcOffset = (parts['timeZoneName'] ?? 'GMT').replace(/^GMT/, '') || '+00:00';
  return {
    timeZone: formatter.resolvedOptions().timeZone,
    localTime: `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}${utcOffset}`,
    utc: new Date(now).toISOString(),
    weekday: parts['weekday'] ?? '',
    utcOffset,
  };
}

export const currentTimeTool: ServerTool = {
  definition: {
    name: 'current_time',
    description: 'The current date and time, in a time zone if one is given (UTC otherwise). Call it whenever an answer depends on today\'s date or the time now.',
    input_schema: {
      type: 'object',
      properties: {
        timeZone: { type: 'string', minLength: 1, maxLength: 64, description: 'An IANA time zone, such as Europe/Paris or America/New_York. Default: UTC.' },
      },
      additionalProperties: false,
    },
  },
  // A bad zone throws inside the executor, so the run rejects (with the ToolError) rather than throwing.
  run: (input: Record<string, unknown>, context: ToolContext) => new Promise((resolve) => {
    resolve(currentTime(context.now(), typeof input['timeZone'] === 'string' ? input['timeZone'] : undefined));
  }),
};
