// Synthesizes the chat stack for the infra tests: into a temporary folder, functions not bundled unless asked.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../../../infra/app.ts';
import type { Stage } from '../../../infra/config.ts';
import { DEFAULT_ENTRIES, type FunctionEntries } from '../../../infra/functions.ts';
import type { ChatApiStack } from '../../../infra/stack.ts';

const STUB_HANDLER = fileURLToPath(new URL('./fixtures/handler.ts', import.meta.url));

/** The real handlers, or a stand-in for one that is not written yet (the stack refuses a missing entry). */
export function testEntries(): FunctionEntries {
  const pick = (entry: string): string => (existsSync(entry) ? entry : STUB_HANDLER);
  return { chat: pick(DEFAULT_ENTRIES.chat), account: pick(DEFAULT_ENTRIES.account) };
}

export interface SynthesizedStage { stack: ChatApiStack; outdir: string; dispose: () => void }

/** The stage's stack, constructed (not yet synthesized) in its own temporary cloud assembly folder. */
export function buildStage(stage: Stage, bundle = false): SynthesizedStage {
  const outdir = mkdtempSync(join(tmpdir(), `chat-infra-${stage}-`));
  const { stack } = createApp({ stage, outdir, bundle, entries: testEntries() });
  return { stack, outdir, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}
