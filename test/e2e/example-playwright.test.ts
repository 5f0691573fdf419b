// The React example's own end-to-end test (examples/react/e2e/chat.spec.ts, on the sandbox's Playwright fixture,
// sandbox/fixtures/playwright.ts) as part of `npm test`: Playwright's runner in a child process, one worker, on the
// template this run synthesized (test/support/global-setup.ts), and it must pass every test it has.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');

describe('the React example\'s Playwright test', () => {
  it('passes: sign-in as the fixture\'s user, a streamed reply across a reload, Stop, Markdown, a failed sign-in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'example-playwright-'));
    const report = join(dir, 'report.json');
    // Not one of this Jest run's workers: Playwright refuses to declare tests under Jest.
    const env = { ...process.env };
    delete env['JEST_WORKER_ID'];
    const result = await run(process.execPath, [join(ROOT, 'node_modules/@playwright/test/cli.js'), 'test', '-c', 'examples/react/playwright.config.ts', '--reporter=line,json'], {
      cwd: ROOT, env: { ...env, CI: 'true', PLAYWRIGHT_JSON_OUTPUT_NAME: report }, timeout: 240_000, maxBuffer: 16 * 1024 * 1024,
    }).catch((error: unknown) => error as { code: number; stdout: string; stderr: string });
    const stats = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as { stats: Record<string, number> }).stats : null;
    rmSync(dir, { recursive: true, force: true });

    // On a failure, the line reporter's output says which test failed and why.
    expect({ code: 'code' in result ? result.code : 0, output: result.stdout, stderr: result.stderr }).toEqual({ code: 0, output: expect.any(String), stderr: expect.any(String) });
    expect(stats).toMatchObject({ expected: 4, unexpected: 0, flaky: 0, skipped: 0 });
  }, 300_000);
});
