// The sandbox for the tests of an app built on this API, outside this repository (README, "Testing your app against
// the sandbox"): `import { startSandbox } from 'appsync-claude-chat/sandbox'` (package.json's exports). One call
// starts the product's API on port 0 with no AWS account, and gives what a test needs: the endpoints, Amplify's
// outputs, users with tokens, Claude scripted per test (sandbox.script) and state for UI tests (sandbox.admin).
// Nothing else of the sandbox is exported: its modules may change shape, this one keeps its names.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PATH, type SandboxAdmin } from './admin/service.ts';
import type { UsageSetting } from './admin/usage.ts';
import { createTestUser, type CreatedUser } from './admin/users.ts';
import type { ClaudeScript, ModelCall, ScriptStep, ScriptTarget } from './claude-stand-in/script.ts';
import { consoleSink, createLogger, type LogLevel } from './log.ts';
import { startSandbox as startServices, type Sandbox } from './sandbox.ts';
import { amplifyOutputs, type SandboxOutputs } from './start/outputs.ts';
import { ensureSynthesized, REPO_ROOT } from './start/synth.ts';
import { apiUserPool } from './template/model.ts';

export type { ClaudeScript, ModelCall, SandboxAdmin, SandboxOutputs, ScriptStep, ScriptTarget, UsageSetting };

export interface StartSandboxOptions {
  /** http and https (ws and wss) share it; 0, the default, picks a free port. */
  port?: number;
  /** Keys, the certificate and, with persist, the data; default a temporary folder that stop() removes. */
  stateDir?: string;
  /** Keep DynamoDB's data and the users in stateDir between starts. */
  persist?: boolean;
  /**
   * The template to serve, as `cdk synth` wrote it. Default: this package's product (infra/'s dev stage), synthesized
   * at the first start and then taken from the synth cache in this package's .sandbox/ while its sources are unchanged.
   */
  template?: { cdkOut: string; stackName: string };
  /** The Claude stand-in's pacing (tokens a second, 0 for as fast as it can; the first token's delay). */
  claude?: { tokensPerSecond?: number; firstTokenDelayMs?: number };
  /** The lowest level of the sandbox's log lines printed to the console; default 'warn'. */
  logLevel?: LogLevel;
}

/** A confirmed user, signed in: the tokens a sign-in through the app client gives. */
export type TestUser = CreatedUser;

export interface RunningSandbox {
  urls: { graphql: string; realtime: string; cognito: string; base: string };
  /** amplify_outputs.json as `npm start` writes it, for Amplify.configure (with the admin route and its secret). */
  outputs: SandboxOutputs;
  /** A confirmed user with tokens (Amplify and amazon-cognito-identity-js sign in with the email and password too). */
  createUser(user?: { email?: string; password?: string }): Promise<TestUser>;
  /** Claude's next answers, a user's or a conversation's, and the model calls received. */
  script: ClaudeScript;
  /** A day's usage, tokens expired now, real-time sockets cut. */
  admin: SandboxAdmin;
  /** What `POST <urls.base>/_sandbox/admin/<action>` requires, for a test in another process. */
  adminSecret: string;
  stop(): Promise<void>;
}

/** Starts the sandbox; ready when the promise resolves. */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const temporary = options.stateDir === undefined ? mkdtempSync(join(tmpdir(), 'appsync-claude-chat-')) : null;
  const stateDir = options.stateDir ?? temporary ?? '';
  const sink = consoleSink(options.logLevel ?? 'warn');
  let sandbox: Sandbox;
  try {
    const template = options.template ?? {
      cdkOut: join(stateDir, 'cdk.out'),
      stackName: (await ensureSynthesized({ root: REPO_ROOT, cdkOut: join(stateDir, 'cdk.out'), stateDir: join(REPO_ROOT, '.sandbox'), log: createLogger('synth', sink) })).stackName,
    };
    sandbox = await startServices({
      cdkOut: template.cdkOut, stackName: template.stackName, port: options.port ?? 0, stateDir, persist: options.persist ?? false, logSink: sink,
      ...(options.claude ? { claude: options.claude } : {}),
    });
  } catch (error) {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
  const model = apiUserPool(sandbox.template);
  const pool = model ? sandbox.userPools.get(model.poolId) : undefined;
  const { urls } = sandbox;
  return {
    urls: { graphql: urls.graphql, realtime: urls.realtime, cognito: urls.cognito, base: urls.base },
    outputs: amplifyOutputs(sandbox.template, urls, sandbox.certificatePath, { url: `${urls.base}${ADMIN_PATH}`, secret: sandbox.adminSecret }),
    createUser: async (user = {}) => {
      if (!pool) throw new Error('the template has no user pool for its API');
      return createTestUser(pool, user);
    },
    script: sandbox.script,
    admin: sandbox.admin,
    adminSecret: sandbox.adminSecret,
    stop: async () => {
      await sandbox.stop();
      if (temporary) rmSync(temporary, { recursive: true, force: true });
    },
  };
}
