// Headless Debian Chromium for end-to-end tests, driven by playwright-core (which never downloads a browser).
// The flags keep Chromium off the network this machine doesn't have (.library/env/machines/node.md).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export class ChromiumMissingError extends Error {
  readonly errorType = 'ChromiumMissing';
  constructor(path: string) {
    super(`No Chromium at ${path}. Browser tests need Debian's Chromium: run \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`);
    this.name = 'ChromiumMissingError';
  }
}

/** Launches Chromium, or fails (never skips) when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new ChromiumMissingError(CHROMIUM_PATH);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS });
}

/** Collects uncaught page errors and console errors, so a test can assert the page ran clean. */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  return problems;
}
