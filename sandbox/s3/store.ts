// The objects of the template's buckets: in memory, and with --persist also on disk under the state folder, one
// metadata file and one data file per object, named by the SHA-256 of the key (keys may hold any character). Each file
// is written to a temporary name and renamed over the old one, so a crash leaves the old object or the new one.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StoredObject {
  key: string;
  body: Buffer;
  /** Quoted, as S3 sends it: the MD5 of the body for a single-part upload. */
  etag: string;
  /** Epoch milliseconds, whole seconds (S3's Last-Modified has no finer grain). */
  lastModified: number;
  /** The representation headers the object was stored with (content-type, cache-control...), by lower-case name. */
  headers: Record<string, string>;
  /** User metadata, by lower-case name without the `x-amz-meta-` prefix. */
  metadata: Record<string, string>;
  /** The checksum the uploader sent and the sandbox verified, as its header name and base64 value. */
  checksum?: { header: string; value: string };
}

type Metadata = Omit<StoredObject, 'body'>;

export class ObjectStore {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();

  /** With `dir`, objects are kept in `dir/<bucket>/` and read back from it here. */
  constructor(bucketNames: readonly string[], private readonly dir?: string) {
    for (const name of bucketNames) this.buckets.set(name, dir === undefined ? new Map<string, StoredObject>() : readBucket(join(dir, name)));
  }

  has(bucket: string): boolean {
    return this.buckets.has(bucket);
  }

  bucketNames(): string[] {
    return [...this.buckets.keys()];
  }

  get(bucket: string, key: string): StoredObject | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  objects(bucket: string): StoredObject[] {
    return [...(this.buckets.get(bucket)?.values() ?? [])];
  }

  put(bucket: string, object: StoredObject): void {
    const objects = this.buckets.get(bucket);
    if (!objects) throw new Error(`no bucket ${bucket}`);
    if (this.dir !== undefined) {
      const base = join(this.dir, bucket, fileName(object.key));
      mkdirSync(join(this.dir, bucket), { recursive: true });
      const { body, ...metadata } = object;
      writeAtomically(`${base}.bin`, body);
      writeAtomically(`${base}.json`, JSON.stringify(metadata satisfies Metadata));
    }
    objects.set(object.key, object);
  }

  delete(bucket: string, key: string): void {
    if (this.dir !== undefined) {
      const base = join(this.dir, bucket, fileName(key));
      rmSync(`${base}.json`, { force: true });
      rmSync(`${base}.bin`, { force: true });
    }
    this.buckets.get(bucket)?.delete(key);
  }
}

const fileName = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

function writeAtomically(path: string, data: string | Buffer): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data, { mode: 0o600 });
  renameSync(temporary, path);
}

/** A bucket's objects as last written; a metadata file whose data file is missing (a crash between the two) is skipped. */
function readBucket(dir: string): Map<string, StoredObject> {
  const objects = new Map<string, StoredObject>();
  if (!existsSync(dir)) return objects;
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.json'))) {
    const data = join(dir, name.replace(/\.json$/, '.bin'));
    if (!existsSync(data)) continue;
    const metadata = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Metadata;
    objects.set(metadata.key, { ...metadata, body: readFileSync(data) });
  }
  return objects;
}
