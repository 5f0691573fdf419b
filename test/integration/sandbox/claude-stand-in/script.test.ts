// Scripting the stand-in (sandbox/claude-stand-in/script.ts) as a test does, with the real SDK: steps for the next
// calls (text, thinking, tool calls, faults), a fault once then cleared, the calls it received, scripts per user or
// conversation told apart by the turns the sandbox says are in flight, and malformed scripts refused in words.
import { describe, expect, it } from '@jest/globals';
import { InternalServerError, RateLimitError } from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming, MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import type { TurnOwner } from '../../../../sandbox/claude-stand-in/script.ts';
import { failureOf } from '../../../support/failure.ts';
import { MODEL, parseSse, useStandIn } from './stand-in-server.ts';

const PARAMS: MessageCreateParamsNonStreaming = { model: MODEL, max_tokens: 2000, messages: [{ role: 'user', content: 'Hello there' }] };
const LOOKUP: Tool = { name: 'lookup', input_schema: { type: 'object' } };

/** Whose turns answer which text, as the sandbox's table would say (sandbox/admin/turns.ts). */
const inFlight = new Map<string, TurnOwner[]>();

describe('a script for the next calls', () => {
  const server = useStandIn('each');

  it('answers its steps in order, each as many times as it says, then as unscripted', async () => {
    // Arrange
    server().standIn.script.scriptNext([{ text: 'First.' }, { text: 'Second.', times: 2 }]);
    const client = server().client();

    // Act
    const texts: string[] = [];
    for (let i = 0; i < 4; i++) {
      const message = await client.messages.create(PARAMS);
      texts.push(message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''));
    }

    // Assert
    expect(texts.slice(0, 3)).toEqual(['First.', 'Second.', 'Second.']);
    expect(texts[3]).toMatch(/^You wrote: "Hello there"\./);
  });

  it('answers a fault once, then the next call as usual', async () => {
    // Arrange
    server().standIn.script.scriptNext([{ fault: 'rate_limit' }]);
    const client = server().client();

    // Act
    const error = await failureOf(client.messages.create(PARAMS));
    const next = await client.messages.create(PARAMS);

    // Assert
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).headers.get('retry-after')).toBe('1');
    expect(next.stop_reason).toBe('end_turn');
  });

  it('streams scripted thinking and tool calls, and its thinking comes back signed in the tool loop', async () => {
    // Arrange
    server().standIn.script.scriptNext([
      { thinking: 'Look it up twice.', toolCalls: [{ name: 'lookup', input: { q: 'sea' } }, { name: 'lookup' }] },
      { text: 'Both lookups agree.' },
    ]);
    const request = { ...PARAMS, thinking: { type: 'enabled' as const, budget_tokens: 1024 }, tools: [LOOKUP] };
    const client = server().client();

    // Act
    const first = await client.messages.stream(request).finalMessage();
    const calls = first.content.flatMap((block) => (block.type === 'tool_use' ? [block] : []));
    const loop: MessageParam[] = [
      ...request.messages,
      { role: 'assistant', content: first.content },
      { role: 'user', content: calls.map((call) => ({ type: 'tool_result' as const, tool_use_id: call.id, content: 'found' })) },
    ];
    const second = await client.messages.create({ ...request, messages: loop });

    // Assert
    expect(first.content[0]).toMatchObject({ type: 'thinking', thinking: 'Look it up twice.', signature: expect.any(String) });
    expect(calls.map((call) => call.input)).toEqual([{ q: 'sea' }, {}]);
    expect(first.stop_reason).toBe('tool_use');
    expect(second.content).toEqual([{ type: 'text', text: 'Both lookups agree.', citations: null }]);
  });

  it('says, in text, that it cannot call a tool the request does not offer', async () => {
    // Arrange
    server().standIn.script.scriptNext([{ text: 'Let me see.', toolCalls: [{ name: 'missing' }] }]);

    // Act
    const message = await server().client().messages.create(PARAMS);

    // Assert
    expect(message.content).toEqual([{ type: 'text', text: 'Let me see. I cannot call the tool missing: it is not among the tools of this request.', citations: null }]);
    expect(message.stop_reason).toBe('end_turn');
  });

  it('sends an overloaded error after the 200 and before any delta when afterDeltas is 0', async () => {
    // Arrange
    server().standIn.script.scriptNext([{ text: 'Never seen.', fault: 'error_mid_stream', afterDeltas: 0 }]);

    // Act
    const response = await server().post('/claude/v1/messages', { ...PARAMS, stream: true });
    const frames = parseSse(await response.text());

    // Assert
    expect(response.status).toBe(200);
    expect(frames.map((frame) => frame.event)).not.toContain('content_block_delta');
    expect(frames.at(-1)).toMatchObject({ event: 'error', data: { error: { type: 'overloaded_error' } } });
  });

  it('answers a scripted 529 with a step that also sets pacing, then logs both calls with their outcome', async () => {
    // Arrange
    server().standIn.script.scriptNext([{ fault: 'overloaded', firstTokenDelayMs: 0, tokensPerSecond: 0 }, { text: 'Fine now.' }]);
    const client = server().client();

    // Act
    const error = await failureOf(client.messages.create(PARAMS));
    await client.messages.create({ ...PARAMS, system: 'Be brief.' });

    // Assert
    expect(error).toBeInstanceOf(InternalServerError);
    expect(server().standIn.script.calls).toEqual([
      expect.objectContaining({ api: 'anthropic', text: 'Hello there', script: 'next', status: 529, step: expect.objectContaining({ fault: 'overloaded' }) }),
      expect.objectContaining({ text: 'Hello there', system: 'Be brief.', script: 'next', status: 200, owner: null }),
    ]);
  });

  it('refuses a malformed script and says what to fix', () => {
    const { script } = server().standIn;

    expect(() => script.scriptNext([{ txt: 'typo' } as never])).toThrow(/steps\.0\.txt is not a step field/);
    expect(() => script.scriptNext([{ fault: 'teapot' as never }])).toThrow(/steps\.0\.fault "teapot" is not a fault/);
    expect(() => script.scriptNext([{ times: 0 }])).toThrow(/steps\.0\.times is 0/);
    expect(() => script.scriptNext([{ toolCalls: [{ name: 'bad name' }] }])).toThrow(/toolCalls\.0 needs a name/);
    expect(() => script.scriptFor({ sub: 'someone' }, [])).toThrow(/use scriptNext/);
  });
});

describe('a script for a user or a conversation', () => {
  const server = useStandIn('each', { turns: (text) => (text === 'Table down' ? Promise.reject(new Error('table down')) : Promise.resolve(inFlight.get(text) ?? [])) });

  it('answers only the calls of that user\'s turns; the next calls\' script answers the others', async () => {
    // Arrange
    inFlight.set('From Ana', [{ sub: 'ana', conversationId: 'c1' }]);
    inFlight.set('From Bo', [{ sub: 'bo', conversationId: 'c2' }]);
    server().standIn.script.scriptFor({ sub: 'ana' }, [{ text: 'For Ana.' }]);
    server().standIn.script.scriptNext([{ text: 'For whoever is next.' }]);
    const client = server().client();
    const ask = async (content: string): Promise<string> => {
      const message = await client.messages.create({ ...PARAMS, messages: [{ role: 'user', content }] });
      return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    };

    // Act
    const bo = await ask('From Bo');
    const ana = await ask('From Ana');

    // Assert
    expect([bo, ana]).toEqual(['For whoever is next.', 'For Ana.']);
    expect(server().standIn.script.calls.map((call) => [call.script, call.owner?.sub])).toEqual([['next', 'bo'], ['user', 'ana']]);
  });

  it('prefers a conversation\'s script to its user\'s, and answers neither when two scripts\' turns ask the same text', async () => {
    // Arrange
    inFlight.set('Same words', [{ sub: 'ana', conversationId: 'c1' }, { sub: 'bo', conversationId: 'c2' }]);
    inFlight.set('Only c1', [{ sub: 'ana', conversationId: 'c1' }]);
    const { script } = server().standIn;
    script.scriptFor({ sub: 'ana' }, [{ text: 'User script.' }]);
    script.scriptFor({ conversationId: 'c1' }, [{ text: 'Conversation script.' }]);
    script.scriptFor({ sub: 'bo' }, [{ text: 'Bo\'s script.' }]);
    const client = server().client();
    const ask = async (content: string): Promise<string> => {
      const message = await client.messages.create({ ...PARAMS, messages: [{ role: 'user', content }] });
      return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    };

    // Act
    const ambiguous = await ask('Same words');
    const first = await ask('Only c1');
    const second = await ask('Only c1');
    script.clearScripts();
    const cleared = await ask('Only c1');

    // Assert
    expect(ambiguous).toMatch(/^You wrote: "Same words"/);
    expect(server().records.some((record) => record.level === 'warn' && record.message.includes('neither script answers it'))).toBe(true);
    expect([first, second]).toEqual(['Conversation script.', 'User script.']);
    expect(cleared).toMatch(/^You wrote: "Only c1"/);
  });

  it('answers as unscripted, with a warning, when it cannot tell whose turn a call is; a target must name one user or conversation', async () => {
    // Arrange
    const { script } = server().standIn;
    script.scriptFor({ sub: 'ana' }, [{ text: 'For Ana.' }]);

    // Act
    const message = await server().client().messages.create({ ...PARAMS, messages: [{ role: 'user', content: 'Table down' }] });

    // Assert
    expect(message.content[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/^You wrote: "Table down"/) });
    expect(server().records.some((record) => record.level === 'warn' && record.message.includes('could not tell whose turn a model call is for: table down'))).toBe(true);
    expect(() => script.scriptFor({ sub: 'ana', conversationId: 'c1' } as never, [])).toThrow(/takes \{ sub \}/);
  });
});
