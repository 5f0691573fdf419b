// Runs `npm start` as a user would (package.json's start script in a repository folder) and waits on what it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';

export const REPO = resolve(import.meta.dirname, '..', '..', '..', '..');

export interface StartProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  /** The first match of `pattern` in the output from offset `from` on; rejects on timeout or when the process ends first. */
  waitFor(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Signals the whole process group, as a terminal's Ctrl-C does. */
  signal(signal: NodeJS.Signals): void;
}

/** The arguments package.json's start script gives node (its flags and sandbox/start.ts), read from `cwd`'s copy. */
export function startNodeArgs(cwd: string = REPO): string[] {
  const { scripts } = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [command, ...args] = scripts.start.split(/\s+/);
  if (command !== 'node') throw new Error(`package.json's start script should run node: ${scripts.start}`);
  return args;
}

/** `npm start ...args` in `cwd` (the repository, or a copy of it): the start script's node command, run directly. */
export function runStart(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): StartProcess {
  const cwd = options.cwd ?? REPO;
  // This node (npm test's, the one npm start finds first on PATH) rather than npm: a test may take `java` off PATH.
  const child = spawn(process.execPath, [...startNodeArgs(cwd), ...args], {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'info', ANTHROPIC_API_KEY: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a test can signal it as a terminal does.
    detached: true,
  });
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('exit', (code, signal) => {
      done({ code, signal });
      for (const listener of listeners) listener();
    });
  });
  const waitFor = (pattern: RegExp, timeoutMs = 120_000, from = 0): Promise<RegExpMatchArray> => new Promise((done, fail) => {
    const check = (): void => {
      const match = pattern.exec(text.slice(from));
      if (match) {
        finish();
        done(match);
      } else if (child.exitCode !== null || child.signalCode !== null) {
        finish();
        fail(new Error(`npm start ended (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${text}`));
      }
    };
    const timer = setTimeout(() => {
      finish();
      fail(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}:\n${text}`));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      listeners.delete(check);
    };
    listeners.add(check);
    check();
  });
  const signal = (name: NodeJS.Signals): void => {
    if (child.pid === undefined || child.exitCode !== null) return;
    try {
      process.kill(-child.pid, name);
    } catch {
      // The group ended between the check and the signal.
    }
  };
  return { child, output: () => text, waitFor, exited, signal };
}

/** A fresh folder for one test file's state dir, cdk.out and outputs. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `start-${prefix}-`));
}

/** A copy of what `npm start` reads, with node_modules linked: tests edit it, never the real sources. */
export function copyRepository(): string {
  const dir = join(tempDir('repo'), 'repo');
  mkdirSync(dir);
  for (const entry of ['infra', 'resolvers', 'functions', 'sandbox', 'clients', 'schema.graphql', 'package.json', 'package-lock.json', 'tsconfig.json', 'cdk.json']) {
    cpSync(join(REPO, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

export interface SandboxOutputs {
  version: string;
  auth: { user_pool_id: string; user_pool_client_id: string; aws_region: string };
  data: { url: string; default_authorization_type: string; authorization_types: string[] };
  custom: { sandbox: { cognito_endpoint: string; realtime_url: string; realtime_wss_url: string; graphql_https_url: string; certificate_path: string } };
}

export const readOutputs = (path: string): SandboxOutputs => JSON.parse(readFileSync(path, 'utf8')) as SandboxOutputs;

/** Signs in with SRP through the sandbox's Cognito endpoint, as amazon-cognito-identity-js does; returns the access token. */
export function signIn(outputs: SandboxOutputs, username: string, password: string): Promise<string> {
  const pool = new CognitoUserPool({ UserPoolId: outputs.auth.user_pool_id, ClientId: outputs.auth.user_pool_client_id, endpoint: `${outputs.custom.sandbox.cognito_endpoint}/` });
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((done, fail) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => done(session.getAccessToken().getJwtToken()),
      onFailure: fail,
      newPasswordRequired: () => fail(new Error('the demo user should not need a new password')),
    });
  });
}

export async function graphql(url: string, token: string, query: string): Promise<{ data?: Record<string, unknown> | null; errors?: { message: string; errorType?: string }[] }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: token }, body: JSON.stringify({ query }) });
  return (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string }[] };
}

/** True while a process with this id exists (signal 0 only checks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
