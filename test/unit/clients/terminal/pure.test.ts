// The terminal chat's pure parts: arguments, amplify_outputs.json, printing a reply, Ctrl-C, rendering.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { GraphqlError, ReplyAssembler } from '../../../../clients/kit/index.ts';
import { parseChatArgs, UsageError } from '../../../../clients/terminal/args.ts';
import { message, networkCode, reachingFetch, UnreachableError } from '../../../../clients/terminal/failure.ts';
import { cognitoEndpointFor, parseOutputs, readOutputs } from '../../../../clients/terminal/outputs.ts';
import { ago, choice, Render } from '../../../../clients/terminal/render.ts';
import { noteOf, onCtrlC, ReplyPrinter } from '../../../../clients/terminal/reply.ts';

const delta = (seq: number, text: string, index = 0) => ({ messageId: 'r', seq, type: 'DELTA' as const, index, text });
const deployed = { auth: { aws_region: 'eu-west-1', user_pool_id: 'eu-west-1_a', user_pool_client_id: 'client' }, data: { url: 'https://abc.appsync-api.eu-west-1.amazonaws.com/graphql' } };

describe('arguments', () => {
  it('reads amplify_outputs.json from the working folder by default', () => {
    expect(parseChatArgs([])).toEqual({ outputsPath: 'amplify_outputs.json', help: false });
  });

  it('takes another outputs file from --outputs', () => {
    expect(parseChatArgs(['--outputs', '/x/o.json']).outputsPath).toBe('/x/o.json');
  });

  it('refuses an unknown flag with the usage', () => {
    expect(() => parseChatArgs(['--nope'])).toThrow(UsageError);
  });
});

describe('amplify_outputs.json', () => {
  it('derives real Cognito and the real-time URL of a deployed stack as AppSync does', () => {
    const config = parseOutputs(JSON.stringify(deployed), 'o.json');

    expect(config).toMatchObject({ region: 'eu-west-1', userPoolId: 'eu-west-1_a', clientId: 'client', cognitoEndpoint: undefined, realtimeUrl: 'wss://abc.appsync-realtime-api.eu-west-1.amazonaws.com/graphql' });
    expect(cognitoEndpointFor(config)).toBe('https://cognito-idp.eu-west-1.amazonaws.com/');
  });

  it('uses the sandbox endpoints from custom.sandbox', () => {
    const sandbox = { ...deployed, custom: { sandbox: { cognito_endpoint: 'http://127.0.0.1:4000', realtime_url: 'ws://127.0.0.1:4000/graphql/realtime' } } };

    const config = parseOutputs(JSON.stringify(sandbox), 'o.json');

    expect(config).toMatchObject({ cognitoEndpoint: 'http://127.0.0.1:4000', realtimeUrl: 'ws://127.0.0.1:4000/graphql/realtime' });
  });

  it('says to run npm start when the file is missing', () => {
    expect(() => readOutputs(join(tmpdir(), 'no-such-outputs.json'))).toThrow(/run npm start first, or pass --outputs/);
  });

  it('names what is missing from a file without auth', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'outputs-')), 'o.json');
    writeFileSync(path, JSON.stringify({ data: deployed.data }));

    expect(() => readOutputs(path)).toThrow(/has no auth.aws_region|has no auth.user_pool_id/);
  });

  it('refuses a file that is not JSON, and one that cannot be read', () => {
    const folder = mkdtempSync(join(tmpdir(), 'outputs-'));
    writeFileSync(join(folder, 'o.json'), '{');

    expect(() => readOutputs(join(folder, 'o.json'))).toThrow(/is not JSON/);
    expect(() => readOutputs(folder)).toThrow(/cannot read/);
  });
});

describe('a reply being printed', () => {
  it('prints each piece of text once, the blank line of a new block with it, then the end once', () => {
    const printer = new ReplyPrinter();
    printer.follow('r');
    const reply = new ReplyAssembler({ id: 'r', content: '', seq: 0, status: 'PENDING' });

    const out = [delta(2, 'b'), delta(1, 'a'), delta(3, 'Next', 1), { messageId: 'r', seq: 4, type: 'DONE' as const, status: 'COMPLETE' as const }].flatMap((e) => {
      reply.receive(e);
      return printer.show(reply.state);
    });

    expect(out).toEqual([{ kind: 'text', text: 'ab' }, { kind: 'text', text: '\n\nNext' }, { kind: 'end', status: 'COMPLETE', error: null }]);
    expect(printer.show(reply.state)).toEqual([]);
    expect(printer.done).toBe(true);
  });

  it('prints the rest of a reply joined mid-stream from its stored text, and nothing of another reply', () => {
    const printer = new ReplyPrinter();
    printer.follow('r');
    const reply = new ReplyAssembler({ id: 'r', content: 'Hello', seq: 3, status: 'STREAMING' });
    const other = new ReplyAssembler({ id: 'x', content: 'other', seq: 1, status: 'STREAMING' });

    const first = printer.show(reply.state);
    reply.receive(delta(4, ', world'));
    const then = printer.show(reply.state);

    expect([first, then, printer.show(other.state)]).toEqual([[{ kind: 'text', text: 'Hello' }], [{ kind: 'text', text: ', world' }], []]);
    expect(printer.id).toBe('r');
  });

  it('prints a line for thinking, a tool call and its result where they come, between the text around them', () => {
    const printer = new ReplyPrinter();
    printer.follow('r');
    const reply = new ReplyAssembler({ id: 'r', content: '', seq: 0, status: 'PENDING' });
    const events = [
      { messageId: 'r', seq: 1, type: 'THINKING_DELTA' as const, index: 0, text: 'Hmm.' },
      delta(2, 'Let me look.', 1),
      { messageId: 'r', seq: 3, type: 'TOOL_USE' as const, block: { index: 2, type: 'TOOL_USE' as const, toolUseId: 't1', name: 'current_time', input: '{"timeZone":"UTC"}', status: 'RUNNING' as const } },
      { messageId: 'r', seq: 4, type: 'TOOL_RESULT' as const, block: { index: 3, type: 'TOOL_RESULT' as const, toolUseId: 't1', output: `"${'x'.repeat(200)}"`, isError: false } },
      delta(5, 'Noon.', 4),
    ];

    const out = events.flatMap((event) => {
      reply.receive(event);
      return printer.show(reply.state);
    });

    expect(out).toEqual([
      { kind: 'note', text: '(thinking…)' },
      { kind: 'text', text: 'Let me look.' },
      { kind: 'note', text: '→ current_time {"timeZone":"UTC"}' },
      { kind: 'note', text: `← "${'x'.repeat(118)}…` },
      { kind: 'text', text: '\n\nNoon.' },
    ]);
  });

  it('names a failed tool result and an attachment block', () => {
    expect(noteOf({ type: 'TOOL_RESULT', name: null, input: null, output: '{"error":"no"}', isError: true })).toBe('✖ {"error":"no"}');
    expect(noteOf({ type: 'IMAGE', name: null, input: null, output: null, isError: null })).toBe('(image)');
  });

  it('ends with the reason of an ERROR', () => {
    const printer = new ReplyPrinter();
    printer.follow('r');
    const reply = new ReplyAssembler({ id: 'r', content: '', seq: 0, status: 'PENDING' });

    reply.receive({ messageId: 'r', seq: 1, type: 'ERROR', status: 'ERROR', error: 'the model is overloaded' });

    expect(printer.show(reply.state)).toEqual([{ kind: 'end', status: 'ERROR', error: 'the model is overloaded' }]);
  });
});

describe('Ctrl-C', () => {
  it('stops a reply on its way, and quits at the prompt or when pressed again', () => {
    expect(onCtrlC('sending')).toEqual({ phase: 'stopping', action: 'stop' });
    expect(onCtrlC('streaming')).toEqual({ phase: 'stopping', action: 'stop' });
    expect(onCtrlC('stopping')).toEqual({ phase: 'quitting', action: 'quit' });
    expect(onCtrlC('prompt')).toEqual({ phase: 'quitting', action: 'quit' });
  });
});

describe('rendering', () => {
  const plain = new Render(false);

  it('numbers the conversations and offers a new one', () => {
    const now = Date.parse('2025-01-02T00:00:00Z');
    const list = [{ id: 'a', title: 'Sea', updatedAt: '2025-01-01T23:55:00Z', messageCount: 2, activeReplyId: null }, { id: 'b', title: null, updatedAt: '2024-12-01T00:00:00Z', messageCount: 0, activeReplyId: null }];

    expect(plain.conversations(list, now)).toBe('   1. Sea (2 messages, 5 min ago)\n   2. Untitled (0 messages, 32 days ago)\n   n. Start a new conversation\n');
  });

  it('says how long ago, from just now to days', () => {
    expect([ago(1000), ago(3 * 3600_000), ago(-5)]).toEqual(['just now', '3 h ago', 'just now']);
  });

  it('reads the menu answer as an index, a new conversation, or neither', () => {
    expect([choice('2', 3), choice('', 3), choice('N', 3), choice('9', 3), choice('x', 3)]).toEqual([1, 'new', 'new', undefined, undefined]);
  });

  it('shows the title in the prompt and the end of a reply by its status', () => {
    expect(plain.prompt(null)).toBe('New conversation › ');
    expect(plain.prompt('Sea')).toBe('Sea › ');
    expect(plain.end('COMPLETE', null)).toBe('\n\n');
    expect(plain.end('STOPPED', null)).toContain('Stopped: the reply ends STOPPED');
    expect(plain.end('ERROR', 'overloaded')).toContain('The reply ended ERROR: overloaded');
    expect(plain.end('INTERRUPTED', null)).toContain('no reason given');
  });

  it('writes errors with a cross and notes as they are', () => {
    expect(new Render(true).error('x')).toContain('✖ x');
    expect(plain.note('x')).toBe('x\n');
  });
});

describe('network failures', () => {
  it('finds the system error code under fetch\'s wrapping', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const wrapped = new TypeError('fetch failed', { cause: new AggregateError([refused]) });

    expect(networkCode(wrapped)).toBe('ECONNREFUSED');
    expect(networkCode(new Error('plain'))).toBeUndefined();
  });

  it('names a GraphQL error\'s errorType, and says other errors as they are', () => {
    expect(message(new GraphqlError('Conflict', 'a reply is in flight'))).toBe('a reply is in flight (Conflict)');
    expect([message(new Error('plain')), message('text')]).toEqual(['plain', 'text']);
  });

  it('turns a refused fetch into an UnreachableError naming the URL', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });

    const refused = reachingFetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST' });

    await expect(refused).rejects.toBeInstanceOf(UnreachableError);
  });

  it('explains a refused connection as a sandbox that is not running, and other codes as they are', () => {
    expect(new UnreachableError('http://127.0.0.1:4000/graphql', 'ECONNREFUSED').message).toMatch(/connection refused\): is the sandbox running/);
    expect(new UnreachableError('https://x.example.com/graphql', 'ENOTFOUND').message).toBe('cannot reach https://x.example.com (ENOTFOUND)');
  });
});
