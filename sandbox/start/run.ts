// What `npm start` does once its flags are read: synth (or the synth cache), sandbox, demo user, amplify_outputs.json,
// banner, live reload, and a clean stop on Ctrl-C or SIGTERM. Failures end in one clear message and exit 1.
import { CodeLoadError } from '../appsync/runtime/module.ts';
import { userPoolSettingsFromTemplate } from '../cognito/pool.ts';
import { JavaMissingError, stopLaunched, type DynamoDbLocal } from '../dynamodb-local/launch.ts';
import { consoleSink, createLogger } from '../log.ts';
import { ADMIN_PATH } from '../admin/service.ts';
import { startSandbox, type Sandbox } from '../sandbox.ts';
import type { StartOptions } from './args.ts';
import { bannerText, shownPath } from './banner.ts';
import { demoPassword, ensureDemoUser } from './demo-user.ts';
import { amplifyOutputs, writeOutputs } from './outputs.ts';
import { apiUserPool } from '../template/model.ts';
import { describeFailure } from './failure.ts';
import { CodeReloader } from './reload.ts';
import { ensureSynthesized, REPO_ROOT, SynthError, synthFailureText } from './synth.ts';
import { TemplateError } from '../template/load.ts';

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const fail = (message: string, code: number): never => {
  process.stderr.write(`\n${message}\n`);
  process.exit(code);
};

/** The message a failed start ends with: what went wrong and what to do, never a stack trace. */
function failureMessage(error: unknown, options: StartOptions): string {
  if ((error as { code?: unknown } | null)?.code === 'EADDRINUSE') {
    return `Port ${options.port} is in use. Stop the other process or run: npm start -- --port ${options.port + 1}`;
  }
  if (error instanceof JavaMissingError) return error.message;
  if (error instanceof SynthError) return `infra/ failed to synthesize:\n${synthFailureText(error)}\n\nfix infra/ and run npm start again`;
  if (error instanceof CodeLoadError) return `A resolver AppSync would refuse:\n${describeFailure(error, REPO_ROOT)}\n\nfix it and run npm start again`;
  if (error instanceof TemplateError) return `The template cannot be served: ${error.message}`;
  const text = error instanceof Error ? error.message : String(error);
  return `npm start failed: ${text}${process.env.LOG_LEVEL === 'debug' && error instanceof Error ? `\n${error.stack ?? ''}` : ''}`;
}

/** Ctrl-C or SIGTERM: the first stops (via `stop`), a second one more than 1 s later exits at once. */
function onStopSignals(stop: () => void): { readonly stopping: boolean } {
  const state = { stopping: false, firstSignalAt: 0 };
  const onSignal = (signal: NodeJS.Signals): void => {
    // One Ctrl-C under npm and tsx can arrive twice (the terminal's and a relayed copy): a second within 1 s is the same.
    if (state.stopping && Date.now() - state.firstSignalAt < 1000) return;
    if (state.stopping) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(130);
    }
    state.stopping = true;
    state.firstSignalAt = Date.now();
    say(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping (again to exit at once)…`);
    stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return state;
}

function bootSandbox(options: StartOptions, stackName: string, dynamodbLocal: Promise<DynamoDbLocal> | undefined): Promise<Sandbox> {
  say(`• starting DynamoDB Local, Cognito, Lambda and AppSync on ${options.port === 0 ? 'a free port' : `port ${options.port}`}…`);
  const apiKey = process.env.ANTHROPIC_API_KEY;
  return startSandbox({
    cdkOut: options.cdkOut, stackName, port: options.port, stateDir: options.stateDir, persist: options.persist,
    logSink: consoleSink(), ...(apiKey ? { anthropicApiKey: apiKey } : {}), ...(dynamodbLocal ? { dynamodbLocal } : {}),
  });
}

/** The demo user in the API's pool, and amplify_outputs.json for apps. */
async function prepareSignIn(sandbox: Sandbox, options: StartOptions, stackName: string): Promise<{ userPoolId: string; clientId: string; demoUser: Awaited<ReturnType<typeof ensureDemoUser>> }> {
  say('• creating the demo user and writing amplify_outputs.json…');
  const model = apiUserPool(sandbox.template);
  const pool = model ? sandbox.userPools.get(model.poolId) : undefined;
  if (!model || !pool) throw new Error(`${stackName} has no Cognito user pool`);
  const demoUser = await ensureDemoUser(pool, demoPassword(userPoolSettingsFromTemplate(model.properties, []).passwordPolicy));
  writeOutputs(options.outputs, amplifyOutputs(sandbox.template, sandbox.urls, sandbox.certificatePath, { url: `${sandbox.urls.base}${ADMIN_PATH}`, secret: sandbox.adminSecret }));
  return { userPoolId: pool.poolId, clientId: model.clients[0]?.clientId ?? '', demoUser };
}

/**
 * Runs until a signal stops it (exit 0) or the start fails (exit 1). `dynamodbLocal`: DynamoDB Local launched by the
 * caller (sandbox/start.ts), stopped here until the sandbox takes it over.
 */
export async function runStart(options: StartOptions, dynamodbLocal?: Promise<DynamoDbLocal>): Promise<void> {
  let sandbox: Sandbox | null = null;
  let reloader: CodeReloader | null = null;
  // Until startSandbox is called, DynamoDB Local is this function's to stop; from then on the sandbox's.
  let unowned = dynamodbLocal;
  const stopUnowned = async (): Promise<void> => {
    const launching = unowned;
    unowned = undefined;
    if (launching) await stopLaunched(launching);
  };
  const shutdown = async (): Promise<void> => {
    try {
      reloader?.close();
      await reloader?.idle();
      await stopUnowned();
      await sandbox?.stop();
    } catch (error) {
      fail(`stopping failed: ${error instanceof Error ? error.message : String(error)}`, 1);
    }
    say('stopped');
    process.exit(0);
  };
  // Still booting: the boot sequence sees `stopping` and shuts down when it can.
  const signals = onStopSignals(() => {
    if (sandbox) void shutdown();
  });
  try {
    const synth = await ensureSynthesized({
      root: REPO_ROOT, cdkOut: options.cdkOut, stateDir: options.stateDir, log: createLogger('synth', consoleSink()),
      onSynth: () => say(`• synthesizing infra/ (dev) into ${shownPath(options.cdkOut)}…`),
    });
    if (signals.stopping) return shutdown();
    unowned = undefined;
    sandbox = await bootSandbox(options, synth.stackName, dynamodbLocal);
    if (signals.stopping) return shutdown();
    const signIn = await prepareSignIn(sandbox, options, synth.stackName);
    reloader = new CodeReloader({ root: REPO_ROOT, cdkOut: options.cdkOut, stateDir: options.stateDir, stackName: synth.stackName, sandbox, print: (line) => say(line) });
    reloader.watch();
    say(bannerText({
      stackName: synth.stackName,
      urls: sandbox.urls,
      ...signIn,
      realClaude: sandbox.claude === null,
      bedrock: sandbox.template.functions.some((f) => f.environment.CLAUDE_PROVIDER === 'bedrock'),
      certificatePath: sandbox.certificatePath,
      outputsPath: options.outputs,
      readyMs: performance.now(),
      synth: synth.fromCache ? 'synth skipped, template from the cache' : `synthesized in ${synth.ms} ms`,
      persist: options.persist ? options.stateDir : null,
    }));
  } catch (error) {
    await stopUnowned();
    await sandbox?.stop();
    fail(failureMessage(error, options), 1);
  }
}
