// The React example's own end-to-end test (e2e/chat.spec.ts) on the sandbox's Playwright fixture
// (sandbox/fixtures/playwright.ts):   npx playwright test -c examples/react/playwright.config.ts
// Part of `npm test` through test/e2e/example-playwright.test.ts. The browser is Debian's Chromium, never one Playwright
// downloads, with test/e2e/browser.ts's flags (they keep Chromium off the network).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import type { SandboxWorkerFixtures } from '../../sandbox/fixtures/playwright.ts';

// The template `npm test` synthesized once for the run (test/support/global-setup.ts), else the package's own default.
const cdkOut = process.env['PRODUCT_CDK_OUT'];
const stackName = process.env['PRODUCT_STACK_NAME'];

export default defineConfig<object, SandboxWorkerFixtures>({
  testDir: 'e2e',
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  forbidOnly: true,
  reporter: 'list',
  // Traces and screenshots of failures go outside the work tree.
  outputDir: join(tmpdir(), 'example-react-playwright'),
  use: {
    // 100 tokens a second: a reply of 900 tokens streams for about 9 s, long enough to reload or stop in the middle.
    sandboxOptions: { claude: { tokensPerSecond: 100 }, ...(cdkOut && stackName ? { template: { cdkOut, stackName } } : {}) },
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
