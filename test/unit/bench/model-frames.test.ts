// The pure pieces of the content-block benchmarks (bench/model-frames.ts): reading the stand-in's frames and request
// bodies, pairing a tool_use's end with the request that carries its result, and the per-1,000-token figures.
import { describe, expect, it } from '@jest/globals';
import { frameOf, perThousand, ratioOf, toolGaps, toolResultIdsOf, type SeenRequest } from '../../../bench/model-frames.ts';

const sse = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

const request = (fields: Partial<SeenRequest>): SeenRequest => ({ arrivedAt: 0, receivedAt: 0, toolResultIds: [], toolUses: [], ...fields });

describe('frameOf', () => {
  it('reads the event type and data of one server-sent event, as a string or a buffer', () => {
    const frame = sse('content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'current_time' } });
    expect(frameOf(frame)).toEqual({ event: 'content_block_start', data: { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'current_time' } } });
    expect(frameOf(Buffer.from(sse('content_block_stop', { type: 'content_block_stop', index: 1 })))).toEqual({ event: 'content_block_stop', data: { type: 'content_block_stop', index: 1 } });
  });

  it('gives undefined for anything else: headers, a non-SSE chunk, data that is not JSON', () => {
    expect(frameOf('HTTP/1.1 200 OK\r\n')).toBeUndefined();
    expect(frameOf('event: ping\n')).toBeUndefined();
    expect(frameOf('event: ping\ndata: {not json\n\n')).toBeUndefined();
    expect(frameOf(42)).toBeUndefined();
  });
});

describe('toolResultIdsOf', () => {
  it('lists the tool_use_id of every tool_result block, in order', () => {
    const body = JSON.stringify({
      model: 'm', max_tokens: 10,
      messages: [
        { role: 'user', content: 'What time is it?' },
        { role: 'assistant', content: [{ type: 'text', text: 'Let me call.' }, { type: 'tool_use', id: 'toolu_1', name: 'current_time', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '{}' }, { type: 'tool_result', tool_use_id: 'toolu_2', content: '{}', is_error: true }] },
      ],
    });
    expect(toolResultIdsOf(body)).toEqual(['toolu_1', 'toolu_2']);
  });

  it('is empty for a request without tool results, and for a body that is not JSON', () => {
    expect(toolResultIdsOf(JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }))).toEqual([]);
    expect(toolResultIdsOf('{"tool_result" but cut')).toEqual([]);
  });
});

describe('toolGaps', () => {
  it('measures each finished tool_use to the first later request whose body holds its result', () => {
    const requests = [
      request({ arrivedAt: 0, receivedAt: 1, toolUses: [{ id: 'a', name: 'current_time', stoppedAt: 100 }] }),
      request({ arrivedAt: 101, receivedAt: 102, toolResultIds: [] }),
      request({ arrivedAt: 104, receivedAt: 107.5, toolResultIds: ['a'] }),
      request({ arrivedAt: 200, receivedAt: 201, toolResultIds: ['a'] }),
    ];
    expect(toolGaps(requests)).toEqual([{ id: 'a', name: 'current_time', gapMs: 7.5 }]);
  });

  it('leaves out a call whose stop was not written or whose result never came', () => {
    const requests = [
      request({ toolUses: [{ id: 'cut', name: 'current_time', stoppedAt: undefined }, { id: 'lost', name: 'current_time', stoppedAt: 5 }] }),
      request({ receivedAt: 10, toolResultIds: ['other'] }),
    ];
    expect(toolGaps(requests)).toEqual([]);
  });

  it('ignores a request that carries the id but arrived before the call ended', () => {
    const requests = [
      request({ receivedAt: 1, toolResultIds: ['a'] }),
      request({ receivedAt: 2, toolUses: [{ id: 'a', name: 't', stoppedAt: 10 }] }),
      request({ receivedAt: undefined, toolResultIds: ['a'] }),
    ];
    expect(toolGaps(requests)).toEqual([]);
  });
});

describe('perThousand and ratioOf', () => {
  it('scales a count to 1,000 tokens and compares two rates', () => {
    expect(perThousand(165, 3138)).toBeCloseTo(52.58, 2);
    expect(perThousand(50, 1000)).toBe(50);
    expect(ratioOf(perThousand(165, 3138), perThousand(156, 3000))).toBeCloseTo(1.011, 3);
  });

  it('gives NaN rather than Infinity when there is nothing to divide by', () => {
    expect(perThousand(3, 0)).toBeNaN();
    expect(ratioOf(1, 0)).toBeNaN();
    expect(ratioOf(1, Number.NaN)).toBeNaN();
  });
});
