// `npm start`'s synth cache (sandbox/start/synth.ts, sandbox/start/synth-cache.ts): an unchanged tree is served from
// the cache without a synth, any changed input synthesizes again, and a damaged entry is never served. The synth is a
// stand-in that writes a small cloud assembly, so these tests check the cache, not CDK.
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createLogger, memorySink, type LogRecord } from '../../../../sandbox/log.ts';
import { KEEP_ENTRIES, lookupEntry, pruneCache, restoreEntry, storeEntry } from '../../../../sandbox/start/synth-cache.ts';
import { ensureSynthesized, SynthError, synthCacheDir, synthesizeStack, synthFailureText, synthKey, type EnsureOptions } from '../../../../sandbox/start/synth.ts';

const STACK = 'ChatApi-dev';
const TEMPLATE = `${STACK}.template.json`;

let dir: string;
let root: string;
let stateDir: string;
let cdkOut: string;
let sink: ReturnType<typeof memorySink>;
let synths: string[];

/** A stand-in for the CDK synth: the template carries the resolver's source, so a served template shows its inputs. */
async function fakeSynth(from: string, outdir: string): Promise<string> {
  synths.push(outdir);
  mkdirSync(join(outdir, 'asset.f1'), { recursive: true });
  mkdirSync(join(outdir, '.resolvers', 'dev'), { recursive: true });
  writeFileSync(join(outdir, TEMPLATE), JSON.stringify({ Resources: {}, resolver: readFileSync(join(from, 'resolvers', 'Query.health.ts'), 'utf8') }));
  writeFileSync(join(outdir, 'asset.f1', 'index.mjs'), 'export const handler = async () => ({});\n');
  writeFileSync(join(outdir, '.resolvers', 'dev', 'Query.health.js'), 'export function request() {}\n');
  return Promise.resolve(STACK);
}

const ensure = (more: Partial<EnsureOptions> = {}): ReturnType<typeof ensureSynthesized> =>
  ensureSynthesized({ root, cdkOut, stateDir, log: createLogger('synth', sink), synthesize: fakeSynth, env: {}, ...more });

const logged = (level: LogRecord['level']): string[] => sink.records.filter((r) => r.level === level).map((r) => r.message);
const servedResolver = (): string => (JSON.parse(readFileSync(join(cdkOut, TEMPLATE), 'utf8')) as { resolver: string }).resolver;
const entryDir = (key: string): string => join(synthCacheDir(stateDir), key);
const cacheNames = (): string[] => (existsSync(synthCacheDir(stateDir)) ? readdirSync(synthCacheDir(stateDir)).sort() : []);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'synth-cache-'));
  root = join(dir, 'repo');
  for (const folder of ['infra', 'resolvers', 'functions/chat']) mkdirSync(join(root, folder), { recursive: true });
  writeFileSync(join(root, 'infra', 'stack.ts'), 'export const stack = 1;\n');
  writeFileSync(join(root, 'resolvers', 'Query.health.ts'), "export const status = 'ok';\n");
  writeFileSync(join(root, 'functions', 'chat', 'handler.ts'), 'export const handler = 1;\n');
  writeFileSync(join(root, 'schema.graphql'), 'type Query { health: String }\n');
  writeFileSync(join(root, 'package-lock.json'), '{}\n');
  stateDir = join(dir, '.sandbox');
  cdkOut = join(dir, 'cdk.out');
  sink = memorySink();
  synths = [];
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('npm start with an empty synth cache', () => {
  it('synthesizes, serves the assembly from cdk.out and says it was synthesized', async () => {
    const result = await ensure();

    expect(result).toMatchObject({ stackName: STACK, fromCache: false, key: synthKey(root, {}) });
    expect(synths).toHaveLength(1);
    expect(servedResolver()).toBe("export const status = 'ok';\n");
    expect(readFileSync(join(cdkOut, 'asset.f1', 'index.mjs'), 'utf8')).toContain('handler');
    expect(logged('info')).toEqual([expect.stringMatching(/^template synthesized in \d+ ms, cached in .*synth-cache\/[0-9a-f]{64}$/)]);
  });

  it('calls onSynth before synthesizing', async () => {
    const calls: number[] = [];

    await ensure({ onSynth: () => calls.push(synths.length) });

    expect(calls).toEqual([0]);
  });
});

describe('npm start with the synth cache filled', () => {
  beforeEach(async () => {
    await ensure();
    sink.records.length = 0;
  });

  it('serves an unchanged tree from the cache without synthesizing, and says so', async () => {
    const onSynth: string[] = [];

    const result = await ensure({ onSynth: () => onSynth.push('synth') });

    expect(result).toMatchObject({ stackName: STACK, fromCache: true });
    expect(synths).toHaveLength(1);
    expect(onSynth).toEqual([]);
    expect(logged('info')).toEqual([expect.stringMatching(/^template from the synth cache \(.*synth-cache\/[0-9a-f]{64}, inputs unchanged\), in \d+ ms$/)]);
  });

  it('puts the cached assembly back when cdk.out was removed or rewritten by another synth', async () => {
    rmSync(join(cdkOut, 'asset.f1'), { recursive: true });
    writeFileSync(join(cdkOut, TEMPLATE), '{"Resources":{},"resolver":"another synth"}');

    const result = await ensure();

    expect(result.fromCache).toBe(true);
    expect(servedResolver()).toBe("export const status = 'ok';\n");
    expect(existsSync(join(cdkOut, 'asset.f1', 'index.mjs'))).toBe(true);
  });

  it('serves the cache to another cdk.out too: the assembly holds no path of its own', async () => {
    cdkOut = join(dir, 'elsewhere', 'cdk.out');

    const result = await ensure();

    expect(result.fromCache).toBe(true);
    expect(servedResolver()).toBe("export const status = 'ok';\n");
  });

  it.each([
    ['a resolver', 'resolvers/Query.health.ts'],
    ['a function', 'functions/chat/handler.ts'],
    ['infra/', 'infra/stack.ts'],
    ['the schema', 'schema.graphql'],
    ['the lockfile', 'package-lock.json'],
  ])('synthesizes again when %s changes in a copy of the tree', async (_what, file) => {
    const copy = join(dir, 'copy');
    cpSync(root, copy, { recursive: true });
    appendFileSync(join(copy, file), '// edited\n');

    const result = await ensure({ root: copy });

    expect(result.fromCache).toBe(false);
    expect(result.key).not.toBe(synthKey(root, {}));
    expect(synths).toHaveLength(2);
  });

  it('synthesizes again when a file is added to an input folder', async () => {
    writeFileSync(join(root, 'resolvers', 'Query.usage.ts'), 'export const usage = 1;\n');

    expect((await ensure()).fromCache).toBe(false);
  });

  it('serves the new template once an edited resolver is synthesized, and the old one again when the edit is undone', async () => {
    const original = readFileSync(join(root, 'resolvers', 'Query.health.ts'), 'utf8');
    writeFileSync(join(root, 'resolvers', 'Query.health.ts'), "export const status = 'edited';\n");
    const edited = await ensure();
    const afterEdit = servedResolver();
    writeFileSync(join(root, 'resolvers', 'Query.health.ts'), original);

    const undone = await ensure();

    expect(edited.fromCache).toBe(false);
    expect(afterEdit).toBe("export const status = 'edited';\n");
    expect(undone.fromCache).toBe(true);
    expect(servedResolver()).toBe(original);
  });

  it('synthesizes again when the environment CDK reads differs, not for other variables', async () => {
    const withContext = await ensure({ env: { CDK_CONTEXT_JSON: '{"modelId":"claude-haiku-4-5"}' } });
    const withOther = await ensure({ env: { LOG_LEVEL: 'debug' } });

    expect(withContext.fromCache).toBe(false);
    expect(withOther.fromCache).toBe(true);
  });
});

describe('a damaged synth cache entry', () => {
  let key: string;

  beforeEach(async () => {
    key = (await ensure()).key;
    sink.records.length = 0;
  });

  it.each([
    ['a truncated bundle', (entry: string) => writeFileSync(join(entry, 'asset.f1', 'index.mjs'), 'export')],
    ['a template edited to the same size', (entry: string) => {
      const text = readFileSync(join(entry, TEMPLATE), 'utf8');
      writeFileSync(join(entry, TEMPLATE), text.replace("'ok'", "'no'"));
    }],
    ['a missing file', (entry: string) => rmSync(join(entry, '.resolvers'), { recursive: true })],
    ['no manifest (a partial copy)', (entry: string) => rmSync(join(entry, 'entry.json'))],
    ['a manifest cut short', (entry: string) => writeFileSync(join(entry, 'entry.json'), readFileSync(join(entry, 'entry.json'), 'utf8').slice(0, 40))],
    ['a manifest of another version', (entry: string) => {
      const manifest = JSON.parse(readFileSync(join(entry, 'entry.json'), 'utf8')) as { version: number };
      writeFileSync(join(entry, 'entry.json'), JSON.stringify({ ...manifest, version: 0 }));
    }],
    ['a manifest naming a file outside the entry', (entry: string) => {
      const manifest = JSON.parse(readFileSync(join(entry, 'entry.json'), 'utf8')) as { files: { path: string }[] };
      manifest.files.push({ ...manifest.files[0], path: '../../repo/schema.graphql' });
      writeFileSync(join(entry, 'entry.json'), JSON.stringify(manifest));
    }],
    ['a manifest without the template', (entry: string) => {
      const manifest = JSON.parse(readFileSync(join(entry, 'entry.json'), 'utf8')) as { files: { path: string }[] };
      writeFileSync(join(entry, 'entry.json'), JSON.stringify({ ...manifest, files: manifest.files.filter((file) => file.path !== TEMPLATE) }));
    }],
    ['a file where the entry\'s folder should be', (entry: string) => {
      rmSync(entry, { recursive: true });
      writeFileSync(entry, 'not a folder');
    }],
  ])('is never served (%s): it is removed, reported, and the template synthesized again', async (_what, damage) => {
    damage(entryDir(key));
    rmSync(cdkOut, { recursive: true });

    const result = await ensure();

    expect(result.fromCache).toBe(false);
    expect(synths).toHaveLength(2);
    expect(servedResolver()).toBe("export const status = 'ok';\n");
    expect(readFileSync(join(cdkOut, 'asset.f1', 'index.mjs'), 'utf8')).toContain('handler');
    expect(logged('warn')).toEqual([expect.stringMatching(new RegExp(`^synth cache entry ${key.slice(0, 12)} was damaged \\(.+\\): removed, synthesizing again$`))]);
    expect(lookupEntry(synthCacheDir(stateDir), key).entry).not.toBeNull();
  });
});

describe('a synth that fails', () => {
  it('is a SynthError shown by its first lines when infra/ cannot be loaded', async () => {
    const failed = await synthesizeStack(root, join(dir, 'out')).catch((error: unknown) => error);

    expect(failed).toBeInstanceOf(SynthError);
    expect(synthFailureText(failed as SynthError)).toMatch(/infra\/app\.ts/);
    expect(synthFailureText(new SynthError(new Error('one\n\ntwo\nthree')), 2)).toBe('one\ntwo');
  });


  it('leaves no entry and no staging folder, so the next start synthesizes', async () => {
    const failing = (): Promise<string> => Promise.reject(new SynthError(new Error('the table is broken on purpose')));

    await expect(ensure({ synthesize: failing })).rejects.toThrow('the table is broken on purpose');

    expect(cacheNames()).toEqual([]);
    expect((await ensure()).fromCache).toBe(false);
  });
});

describe('the synth cache store', () => {
  it('uses the entry another process put in place while this one was synthesizing', async () => {
    const cacheDir = synthCacheDir(stateDir);
    let other = '';

    const entry = await storeEntry(cacheDir, 'k1', async (outdir) => {
      other = (await storeEntry(cacheDir, 'k1', (inner) => fakeSynth(root, inner))).dir;
      return fakeSynth(root, outdir);
    });

    expect(entry.dir).toBe(other);
    expect(cacheNames()).toEqual(['k1']);
    expect(lookupEntry(cacheDir, 'k1').entry?.stackName).toBe(STACK);
  });

  it('replaces an entry another process left damaged while this one was synthesizing', async () => {
    const cacheDir = synthCacheDir(stateDir);

    const entry = await storeEntry(cacheDir, 'k1', async (outdir) => {
      const other = await storeEntry(cacheDir, 'k1', (inner) => fakeSynth(root, inner));
      writeFileSync(join(other.dir, TEMPLATE), '{}');
      return fakeSynth(root, outdir);
    });

    expect(entry.dir).toBe(join(cacheDir, 'k1'));
    expect(lookupEntry(cacheDir, 'k1').entry?.files.map((file) => file.path)).toContain(TEMPLATE);
    expect(cacheNames()).toEqual(['k1']);
  });

  it('fails, leaving nothing, when its staging folder is gone before it is put in place', async () => {
    const cacheDir = synthCacheDir(stateDir);

    const store = storeEntry(cacheDir, 'k1', async (outdir) => {
      const stack = await fakeSynth(root, outdir);
      rmSync(outdir, { recursive: true });
      return stack;
    });

    await expect(store).rejects.toThrow(/ENOENT/);
    expect(cacheNames()).toEqual([]);
  });

  it('answers a key it has never stored with no entry and no damage', () => {
    expect(lookupEntry(synthCacheDir(stateDir), 'unknown')).toEqual({ entry: null, damaged: null });
  });

  it('copies only the files cdk.out does not already hold', async () => {
    const entry = await storeEntry(synthCacheDir(stateDir), 'k1', (outdir) => fakeSynth(root, outdir));
    const first = restoreEntry(entry, cdkOut);
    writeFileSync(join(cdkOut, 'asset.f1', 'index.mjs'), 'changed');

    const second = restoreEntry(entry, cdkOut);

    expect(first).toBe(3);
    expect(second).toBe(1);
    expect(readFileSync(join(cdkOut, 'asset.f1', 'index.mjs'), 'utf8')).toContain('handler');
  });
});

describe('pruning the synth cache', () => {
  const store = async (key: string, usedAt: number): Promise<void> => {
    const entry = await storeEntry(synthCacheDir(stateDir), key, (outdir) => fakeSynth(root, outdir));
    utimesSync(join(entry.dir, 'entry.json'), usedAt, usedAt);
  };

  it(`keeps the ${KEEP_ENTRIES} most recently used entries besides the current one`, async () => {
    for (let i = 0; i < KEEP_ENTRIES + 3; i += 1) await store(`k${i}`, 1_000_000 + i);

    const removed = pruneCache(synthCacheDir(stateDir), 'k0');

    expect(removed.sort()).toEqual(['k1', 'k2']);
    expect(cacheNames()).toEqual(['k0', ...Array.from({ length: KEEP_ENTRIES }, (_, i) => `k${i + 3}`)]);
  });

  it('removes the staging folders of processes that are gone, not of one still synthesizing', () => {
    const cacheDir = synthCacheDir(stateDir);
    const gone = '.staging-2147483000-deadbeef';
    const running = `.staging-${process.pid}-cafef00d`;
    for (const name of [gone, running]) mkdirSync(join(cacheDir, name, 'asset.f1'), { recursive: true });

    const removed = pruneCache(cacheDir, 'k0');

    expect(removed).toEqual([gone]);
    expect(cacheNames()).toEqual([running]);
  });

  it('does nothing before the cache exists', () => {
    expect(pruneCache(synthCacheDir(stateDir), 'k0')).toEqual([]);
  });
});
