import { describe, expect, it } from '@jest/globals';
import { checkpointUpdate } from '../../../../functions/chat/checkpoint.ts';
import { Coalescer } from '../../../../functions/chat/coalescer.ts';
import { Transcript } from '../../../../functions/chat/transcript.ts';

describe('a checkpoint', () => {
  it('writes only published text, with the seq of the last event, while more text waits in the coalescer', () => {
    const transcript = new Transcript();
    const published: { seq: number; text: string }[] = [];
    const coalescer = new Coalescer({ flushMs: 1_000_000, maxChars: 1000, onFlush: (text) => published.push({ seq: transcript.appendDelta(text), text }) });
    coalescer.push('Hello');
    coalescer.push(', wor');
    coalescer.flush();
    transcript.nextSeq();
    coalescer.push('ld');

    const input = checkpointUpdate('t', { pk: 'p', sk: 's' }, transcript.snapshot(), 1000, 30_000);

    const values = input.ExpressionAttributeValues ?? {};
    expect(values[':seq']).toBe(3);
    expect(values[':content']).toBe(published.filter((event) => event.seq <= 3).map((event) => event.text).join(''));
    expect(values[':content']).toBe('Hello, wor');
  });

  it('extends the lease and asks for stopRequested among the returned attributes', () => {
    const input = checkpointUpdate('t', { pk: 'p', sk: 's' }, { content: '', seq: 0 }, 1000, 30_000);

    expect(input.ExpressionAttributeValues?.[':lease']).toBe(31_000);
    expect(input.UpdateExpression).toContain('stopRequested = if_not_exists(stopRequested, :false)');
    expect(input.ReturnValues).toBe('UPDATED_NEW');
  });
});
