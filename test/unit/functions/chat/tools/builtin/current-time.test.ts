// current_time: the function's clock in a time zone, and a clear refusal of a zone that does not exist.
import { describe, expect, it } from '@jest/globals';
import { currentTime, currentTimeTool } from '../../../../../../functions/chat/tools/builtin/current-time.ts';
import { ToolError, type ToolContext } from '../../../../../../functions/chat/tools/types.ts';

// Thursday 1 May 2025, 12:03:07 UTC.
const NOW = Date.UTC(2025, 4, 1, 12, 3, 7);

const context = (now = NOW): ToolContext => ({ owner: 'sub', userToken: undefined, graphqlUrl: '', signal: new AbortController().signal, now: () => now });

describe('current_time', () => {
  it('tells the time in UTC when no zone is given', async () => {
    const output = await currentTimeTool.run({}, context());

    expect(output).toEqual({ timeZone: 'UTC', localTime: '2025-05-01T12:03:07+00:00', utc: '2025-05-01T12:03:07.000Z', weekday: 'Thursday', utcOffset: '+00:00' });
  });

  it('tells the local time, weekday and offset in the zone given', () => {
    expect(currentTime(NOW, 'Europe/Paris')).toEqual({ timeZone: 'Europe/Paris', localTime: '2025-05-01T14:03:07+02:00', utc: '2025-05-01T12:03:07.000Z', weekday: 'Thursday', utcOffset: '+02:00' });
  });

  it('crosses the date line with the zone', () => {
    const output = currentTime(Date.UTC(2025, 4, 1, 23, 30, 0), 'Pacific/Auckland');

    expect(output).toMatchObject({ localTime: '2025-05-02T11:30:00+12:00', weekday: 'Friday' });
  });

  it('follows daylight saving time', () => {
    expect(currentTime(Date.UTC(2025, 0, 15, 12, 0, 0), 'America/New_York').utcOffset).toBe('-05:00');
    expect(currentTime(Date.UTC(2025, 6, 15, 12, 0, 0), 'America/New_York').utcOffset).toBe('-04:00');
  });

  it('writes midnight as 00, not 24', () => {
    expect(currentTime(Date.UTC(2025, 4, 1, 0, 0, 0)).localTime).toBe('2025-05-01T00:00:00+00:00');
  });

  it('gives the canonical name of a zone written in another case', () => {
    expect(currentTime(NOW, 'europe/paris').timeZone).toBe('Europe/Paris');
  });

  it('refuses a zone that does not exist with a ToolError naming it', async () => {
    const run = currentTimeTool.run({ timeZone: 'Mars/Olympus_Mons' }, context());

    await expect(run).rejects.toThrow(ToolError);
    await expect(run).rejects.toThrow('"Mars/Olympus_Mons" is not an IANA time zone; give one such as UTC, Europe/Paris or America/New_York.');
  });

  it('describes its input as an optional time zone and nothing else', () => {
    expect(currentTimeTool.definition.input_schema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(currentTimeTool.definition.input_schema.required).toBeUndefined();
  });
});
