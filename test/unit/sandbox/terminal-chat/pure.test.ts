// The terminal chat's pure parts: arguments, amplify_outputs.json, the reply tracker, Ctrl-C, rendering.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseChatArgs, UsageError } from '../../../../sandbox/terminal-chat/args.ts';
import { networkCode, UnreachableError } from '../../../../sandbox/terminal-chat/failure.ts';
import { cognitoEndpointFor, parseOutputs, readOutputs, realtimeUrlFor } from '../../../../sandbox/terminal-chat/outputs.ts';
import type { ReplyEvent } from '../../../../sandbox/terminal-chat/realtime.ts';
import { ago, choice, Render } from '../../../../sandbox/terminal-chat/render.ts';
import { onCtrlC, ReplyTracker } from '../../../../sandbox/terminal-chat/reply.ts';

const event = (seq: number, type: ReplyEvent['type'], more: Partial<ReplyEvent> = {}): ReplyEvent => ({ conversationId: 'c', messageId: 'r', seq, type, text: null, title: null, status: null, stopReason: null, error: null, ...more });
const delta = (seq: number, text: string): ReplyEvent => event(seq, 'DELTA', { text });
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

  it('serves real time at /graphql/realtime on a custom domain', () => {
    expect(realtimeUrlFor('https://api.example.com/graphql')).toBe('wss://api.example.com/graphql/realtime');
    expect(realtimeUrlFor('http://localhost:4000/graphql/')).toBe('ws://localhost:4000/graphql/realtime');
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

describe('a reply being followed', () => {
  it('prints DELTAs in seq order whatever order they arrive in', () => {
    const tracker = new ReplyTracker();
    tracker.follow({ id: 'r', content: '', seq: 0, status: 'PENDING', error: null });

    const out = [delta(2, 'b'), delta(1, 'a'), delta(3, 'c')].flatMap((e) => tracker.accept(e));

    expect(out).toEqual([{ kind: 'text', text: 'a' }, { kind: 'text', text: 'b' }, { kind: 'text', text: 'c' }]);
  });

  it('keeps events that arrive before sendMessage names the reply', () => {
    const tracker = new ReplyTracker();
    tracker.accept(delta(1, 'early '));
    tracker.accept({ ...delta(1, 'other'), messageId: 'x' });

    const out = tracker.follow({ id: 'r', content: '', seq: 0, status: 'PENDING', error: null });

    expect(out).toEqual([{ kind: 'text', text: 'early ' }]);
  });

  it('catches up from the stored message and applies only higher seqs: nothing twice', () => {
    const tracker = new ReplyTracker();
    tracker.follow({ id: 'r', content: '', seq: 0, status: 'STREAMING', error: null });
    tracker.accept(delta(1, 'Hel'));

    const caught = tracker.follow({ id: 'r', content: 'Hello, wor', seq: 3, status: 'STREAMING', error: null });
    const later = [delta(2, 'lo, '), delta(4, 'ld')].flatMap((e) => tracker.accept(e));

    expect(caught).toEqual([{ kind: 'text', text: 'lo, wor' }]);
    expect(later).toEqual([{ kind: 'text', text: 'ld' }]);
    expect(tracker.text).toBe('Hello, world');
  });

  it('ignores a stored snapshot older than what was printed', () => {
    const tracker = new ReplyTracker();
    tracker.follow({ id: 'r', content: '', seq: 0, status: 'STREAMING', error: null });
    tracker.accept(delta(1, 'a'));
    tracker.accept(delta(2, 'b'));

    expect(tracker.follow({ id: 'r', content: 'a', seq: 1, status: 'STREAMING', error: null })).toEqual([]);
  });

  it('reports the TITLE and ends on DONE with its status, then ignores the rest', () => {
    const tracker = new ReplyTracker();
    tracker.follow({ id: 'r', content: '', seq: 0, status: 'PENDING', error: null });

    const out = [delta(1, 'x'), event(2, 'TITLE', { title: 'Sea' }), event(3, 'DONE', { status: 'STOPPED' }), delta(4, 'late')].flatMap((e) => tracker.accept(e));

    expect(out).toEqual([{ kind: 'text', text: 'x' }, { kind: 'title', title: 'Sea' }, { kind: 'end', status: 'STOPPED', error: null }]);
    expect(tracker.done).toBe(true);
  });

  it('ends on ERROR with its reason, and on a stored final status', () => {
    const failing = new ReplyTracker();
    failing.follow({ id: 'r', content: '', seq: 0, status: 'PENDING', error: null });
    const finished = new ReplyTracker();

    const error = failing.accept(event(1, 'ERROR', { error: 'the model is overloaded' }));
    const stored = finished.follow({ id: 'r', content: 'All of it', seq: 9, status: 'COMPLETE', error: null });

    expect(error).toEqual([{ kind: 'end', status: 'ERROR', error: 'the model is overloaded' }]);
    expect(stored).toEqual([{ kind: 'text', text: 'All of it' }, { kind: 'end', status: 'COMPLETE', error: null }]);
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

  it('explains a refused connection as a sandbox that is not running, and other codes as they are', () => {
    expect(new UnreachableError('http://127.0.0.1:4000/graphql', 'ECONNREFUSED').message).toMatch(/connection refused\): is the sandbox running/);
    expect(new UnreachableError('https://x.example.com/graphql', 'ENOTFOUND').message).toBe('cannot reach https://x.example.com (ENOTFOUND)');
  });
});
