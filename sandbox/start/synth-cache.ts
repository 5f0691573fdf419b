// `npm start`'s synth cache: each synthesized cloud assembly (template, asset manifest, function and resolver
// bundles) kept under <state dir>/synth-cache/<key>/, where synth.ts derives the key from everything that shapes the
// template. A start whose key has an entry copies it into cdk.out instead of synthesizing again.
//
// An entry is never served unless it is whole: it is synthesized into a staging folder, its manifest (every file's
// size and SHA-256) is written last, and only then is the folder renamed to its key, so a crash leaves a staging
// folder, never a half entry. A lookup checks every file against the manifest; an entry that does not match (edited,
// truncated, a missing manifest) is removed and reported, and the caller synthesizes again.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';

/** Bump when an entry's layout changes: older entries then read as damaged and are replaced. */
export const CACHE_VERSION = 1;
/** Entries kept besides the one in use (a few branches' worth, ~2 MB each); the least recently used go first. */
export const KEEP_ENTRIES = 4;
const MANIFEST = 'entry.json';
const STAGING = '.staging-';

export interface CachedFile { path: string; size: number; sha256: string }

export interface CacheEntry {
  key: string;
  /** The entry's folder: a cloud assembly, as `cdk synth` writes it. */
  dir: string;
  stackName: string;
  files: CachedFile[];
}

/** An entry that is whole, or why there is none: `damaged` says what was wrong with one that was removed. */
export type Lookup = { entry: CacheEntry; damaged: null } | { entry: null; damaged: string | null };

interface Manifest { version: number; key: string; stackName: string; files: CachedFile[] }

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Every file below `dir` as a path relative to it, with `/` separators, sorted. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** A manifest path that stays inside the entry: no absolute path, no `..`. */
const insideEntry = (path: string): boolean => path !== '' && !isAbsolute(path) && !normalize(path).split(/[\\/]/).includes('..');

/** A manifest of this version for this key, each file named with its size and hash. */
function isManifest(value: unknown, key: string): value is Manifest {
  const manifest = value as Partial<Manifest> | null;
  return manifest?.version === CACHE_VERSION && manifest.key === key && typeof manifest.stackName === 'string' && Array.isArray(manifest.files)
    && manifest.files.every((file: Partial<CachedFile> | null) => typeof file?.path === 'string' && typeof file.size === 'number' && typeof file.sha256 === 'string');
}

/** The entry's manifest when every file matches it; otherwise why the entry cannot be served. */
function check(dir: string, key: string): { manifest: Manifest } | { why: string } {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
  } catch (error) {
    return { why: `no readable ${MANIFEST}: ${(error as Error).message.split('\n')[0] ?? ''}` };
  }
  if (!isManifest(manifest, key)) return { why: `${MANIFEST} is not a version ${CACHE_VERSION} manifest for this key` };
  if (!manifest.files.some((file) => file.path === `${manifest.stackName}.template.json`)) return { why: 'the manifest lists no template' };
  for (const file of manifest.files) {
    if (!insideEntry(file.path)) return { why: `${file.path} is outside the entry` };
    const path = join(dir, file.path);
    if (!existsSync(path) || statSync(path).size !== file.size || sha256(path) !== file.sha256) return { why: `${file.path} does not match the manifest` };
  }
  return { manifest };
}

/** The whole entry for `key`, or null; a damaged entry is removed. A hit marks the entry as recently used. */
export function lookupEntry(cacheDir: string, key: string): Lookup {
  const dir = join(cacheDir, key);
  if (!existsSync(dir)) return { entry: null, damaged: null };
  const checked = check(dir, key);
  if ('why' in checked) {
    rmSync(dir, { recursive: true, force: true });
    return { entry: null, damaged: checked.why };
  }
  const at = new Date();
  utimesSync(join(dir, MANIFEST), at, at);
  return { entry: { key, dir, stackName: checked.manifest.stackName, files: checked.manifest.files }, damaged: null };
}

/**
 * Builds an entry with `build(folder)` (which writes a cloud assembly there and returns the stack's name) and puts it
 * in place whole. When another process stored the same key meanwhile, its entry is used and this one dropped.
 */
export async function storeEntry(cacheDir: string, key: string, build: (dir: string) => Promise<string>): Promise<CacheEntry> {
  mkdirSync(cacheDir, { recursive: true });
  const staging = join(cacheDir, `${STAGING}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const stackName = await build(staging);
    const files = filesBelow(staging).map((path): CachedFile => ({ path, size: statSync(join(staging, path)).size, sha256: sha256(join(staging, path)) }));
    const manifest: Manifest = { version: CACHE_VERSION, key, stackName, files };
    writeFileSync(join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    const final = join(cacheDir, key);
    if (!placed(staging, final)) {
      const other = lookupEntry(cacheDir, key);
      if (other.entry) return other.entry;
      renameSync(staging, final);
    }
    return { key, dir: final, stackName, files };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Renames the staging folder to the entry's; false when an entry is already there. */
function placed(staging: string, final: string): boolean {
  try {
    renameSync(staging, final);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Copies the entry's files into `cdkOut`, each through a temporary file and a rename, so a sandbox reading cdk.out
 * never sees half a file; files already there with the same content are left alone. Returns how many were copied.
 */
export function restoreEntry(entry: CacheEntry, cdkOut: string): number {
  let copied = 0;
  for (const file of entry.files) {
    const target = join(cdkOut, file.path);
    if (existsSync(target) && statSync(target).size === file.size && sha256(target) === file.sha256) continue;
    mkdirSync(dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    copyFileSync(join(entry.dir, file.path), temporary);
    renameSync(temporary, target);
    copied += 1;
  }
  return copied;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Removes the least recently used entries beyond `keep` (never `current`) and the staging folders of processes that
 * are gone (a synth that crashed or was stopped). Returns the names removed.
 */
export function pruneCache(cacheDir: string, current: string, keep = KEEP_ENTRIES): string[] {
  if (!existsSync(cacheDir)) return [];
  const names = readdirSync(cacheDir);
  const orphans = names.filter((name) => name.startsWith(STAGING) && !alive(Number(name.slice(STAGING.length).split('-')[0])));
  const usedAt = (name: string): number => {
    const manifest = join(cacheDir, name, MANIFEST);
    return existsSync(manifest) ? statSync(manifest).mtimeMs : 0;
  };
  const old = names
    .filter((name) => !name.startsWith(STAGING) && name !== current)
    .sort((a, b) => usedAt(b) - usedAt(a))
    .slice(keep);
  const removed = [...orphans, ...old];
  for (const name of removed) rmSync(join(cacheDir, name), { recursive: true, force: true });
  return removed;
}
