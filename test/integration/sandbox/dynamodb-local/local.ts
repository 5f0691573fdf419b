// Shared by the DynamoDB integration tests: a quiet logger and waits that poll instead of sleeping.
import { existsSync, readFileSync } from 'node:fs';
import { createLogger, memorySink, type Logger, type LogRecord } from '../../../../sandbox/log.ts';

export function quietLogger(): Logger & { records: LogRecord[] } {
  const sink = memorySink();
  return Object.assign(createLogger('dynamodb', sink), { records: sink.records });
}

/** Polls `check` every 25 ms until it holds, or fails after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}

/** Gone or a zombie: PID 1 here may never reap an orphan, but a zombie holds no port and runs nothing. */
export function processGone(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  try {
    return readFileSync(stat, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

export { portAnswers } from '../../../../sandbox/dynamodb-local/launch.ts';
