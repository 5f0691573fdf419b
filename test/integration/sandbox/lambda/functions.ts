// Test fixtures for the Lambda service: function folders written to a temp dir, a base spec, a log sink to wait on.
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LogRecord, LogSink } from '../../../../sandbox/log.ts';
import type { FunctionSpec } from '../../../../sandbox/lambda/spec.ts';

/** A temp folder holding one code folder per function, as cdk.out holds asset.<hash>/ folders. */
export class FunctionFolders {
  readonly root = mkdtempSync(join(tmpdir(), 'lambda-test-'));

  /** Writes `files` (path -> source) under `<root>/<name>/` and returns a spec for it. */
  write(name: string, files: Record<string, string>, overrides: Partial<FunctionSpec> = {}): FunctionSpec {
    const codeDir = join(this.root, name);
    for (const [path, source] of Object.entries(files)) {
      mkdirSync(dirname(join(codeDir, path)), { recursive: true });
      writeFileSync(join(codeDir, path), source);
    }
    return { name, codeDir, handler: 'index.handler', environment: {}, timeoutSeconds: 3, memoryMb: 128, runtime: 'nodejs22.x', ...overrides };
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export type RecordingSink = LogSink & {
  records: LogRecord[];
  /** Messages of one component, in order. */
  messages(component: string): string[];
  /** Resolves with the first record (already logged or to come) that matches; rejects after `timeoutMs`. */
  waitFor(match: (record: LogRecord) => boolean, timeoutMs?: number): Promise<LogRecord>;
};

export function recordingSink(): RecordingSink {
  const records: LogRecord[] = [];
  const events = new EventEmitter();
  const sink = (record: LogRecord): void => {
    records.push(record);
    events.emit('record', record);
  };
  const messages = (component: string): string[] => records.filter((r) => r.component === component).map((r) => r.message);
  const waitFor = (match: (record: LogRecord) => boolean, timeoutMs = 5000): Promise<LogRecord> => {
    const found = records.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        events.off('record', listener);
        reject(new Error(`no matching log record within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (record: LogRecord): void => {
        if (!match(record)) return;
        clearTimeout(timer);
        events.off('record', listener);
        resolve(record);
      };
      events.on('record', listener);
    });
  };
  return Object.assign(sink, { records, messages, waitFor });
}
