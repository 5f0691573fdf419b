import { describe, expect, it } from '@jest/globals';
import { checkpointUpdate } from '../../../../functions/chat/checkpoint.ts';
import { Coalescer } from '../../../../functions/chat/coalescer.ts';
import { Transcript } from '../../../../functions/chat/transcript.ts';

describe('a checkpoint', () => {
  it('writes only published text, with the seq of the last event, while more text waits in the coalescer', () => {
    const transcript = new Transcript();
    const published: { seq: number; text: string }[] = [];
    const coalescer = new Coalescer({ flushMs: 1_000_000, maxChars: 1000, onFlush: (text, block) => published.push({ seq: transcript.appendDelta(block.index, block.type, text), text }) });
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
    expect(values[':blocks']).toEqual([{ index: 0, type: 'TEXT', text: 'Hello, wor' }]);
  });

  it('writes every block published so far, with the thinking signature kept for the tool loop', () => {
    const transcript = new Transcript();
    transcript.appendDelta(0, 'THINKING', 'Hmm.');
    transcript.setSignature(0, 'sig');
    transcript.appendDelta(1, 'TEXT', 'Let me look.');
    transcript.addBlock({ index: 2, type: 'TOOL_USE', toolUseId: 'toolu_1', name: 'current_time', input: '{}', status: 'RUNNING' });
    transcript.setToolStatus('toolu_1', 'COMPLETE');
    transcript.addBlock({ index: 3, type: 'TOOL_RESULT', toolUseId: 'toolu_1', output: '"12:00"', isError: false });
    transcript.appendDelta(4, 'TEXT', 'It is noon.');

    const values = checkpointUpdate('t', { pk: 'p', sk: 's' }, transcript.snapshot(), 1000, 30_000).ExpressionAttributeValues ?? {};

    expect(values[':seq']).toBe(5);
    expect(values[':content']).toBe('Let me look.\n\nIt is noon.');
    expect(values[':blocks']).toEqual([
      { index: 0, type: 'THINKING', text: 'Hmm.', signature: 'sig' },
      { index: 1, type: 'TEXT', text: 'Let me look.' },
      { index: 2, type: 'TOOL_USE', toolUseId: 'toolu_1', name: 'current_time', input: '{}', status: 'COMPLETE' },
      { index: 3, type: 'TOOL_RESULT', toolUseId: 'toolu_1', output: '"12:00"', isError: false },
      { index: 4, type: 'TEXT', text: 'It is noon.' },
    ]);
  });

  it('extends the lease and asks for stopRequested among the returned attributes', () => {
    const input = checkpointUpdate('t', { pk: 'p', sk: 's' }, { content: '', blocks: [], seq: 0 }, 1000, 30_000);

    expect(input.ExpressionAttributeValues?.[':lease']).toBe(31_000);
    expect(input.UpdateExpression).toContain('stopRequested = if_not_exists(stopRequested, :false)');
    expect(input.ReturnValues).toBe('UPDATED_NEW');
  });
});
