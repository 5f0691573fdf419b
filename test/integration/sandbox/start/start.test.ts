// `npm start` as a front-end developer meets it: one banner, amplify_outputs.json, the demo user signing in,
// Ctrl-C leaving nothing behind, the template from the synth cache on the next start, and clear refusals.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Amplify, type ResourcesConfig } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { signIn as amplifySignIn, signOut } from 'aws-amplify/auth';
import { ConsoleLogger, parseAmplifyConfig } from 'aws-amplify/utils';
import { alive, readOutputs, runStart, tempDir, type StartProcess } from './process.ts';

const dir = tempDir('main');
const outputsPath = join(dir, 'amplify_outputs.json');
const args = ['--port', '0', '--state-dir', join(dir, 'state'), '--cdk-out', join(dir, 'cdk.out'), '--outputs', outputsPath];
const READY = /Sandbox ready in [\d.]+ s/;
let first: StartProcess;
let second: StartProcess | undefined;

const bannerValue = (output: string, label: string): string => new RegExp(`^ {2}${label} +(\\S+)`, 'm').exec(output)?.[1] ?? '';

beforeAll(async () => {
  ConsoleLogger.LOG_LEVEL = 'ERROR';
  first = runStart(args);
  await first.waitFor(READY, 180_000);
}, 200_000);

afterAll(async () => {
  for (const run of [first, second]) run?.signal('SIGKILL');
  await Promise.all([first?.exited, second?.exited]);
  rmSync(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('prints one banner with the endpoints, the demo user, Claude and the certificate hint', () => {
    const output = first.output();

    expect(output).toMatch(/INFO +synth +template synthesized in \d+ ms, cached in \S+synth-cache\/[0-9a-f]{64}$/m);
    expect(output).toMatch(/Sandbox ready in [\d.]+ s +\(stack ChatApi-dev, synthesized in \d+ ms\)/);
    expect(output.match(/Sandbox ready in/g)).toHaveLength(1);
    expect(bannerValue(output, 'GraphQL')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(output).toMatch(/^ +https:\/\/localhost:\d+\/graphql$/m);
    expect(bannerValue(output, 'Real-time')).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/graphql\/realtime$/);
    expect(output).toMatch(/^ +wss:\/\/localhost:\d+\/graphql\/realtime$/m);
    expect(bannerValue(output, 'Playground')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(output).toMatch(/Cognito +http:\/\/127\.0\.0\.1:\d+ +\(user pool us-east-1_\w+, client \w+\)/);
    expect(output).toMatch(/Demo user +demo@example\.com \/ \S+/);
    expect(output).toMatch(/Claude +the local stand-in/);
    expect(output).toMatch(/NODE_EXTRA_CA_CERTS=\S+cert\.pem/);
  });

  it('writes amplify_outputs.json that Amplify reads as Gen 2 outputs', () => {
    const outputs = readOutputs(outputsPath);

    const config = parseAmplifyConfig(outputs);

    expect(outputs.version).toBe('1.4');
    expect(Object.keys(outputs).filter((key) => key.startsWith('aws_'))).toEqual([]);
    expect(config.Auth?.Cognito.userPoolId).toBe(outputs.auth.user_pool_id);
    expect(config.Auth?.Cognito.userPoolClientId).toBe(outputs.auth.user_pool_client_id);
    expect(config.API?.GraphQL?.endpoint).toBe(bannerValue(first.output(), 'GraphQL'));
    expect(config.API?.GraphQL?.defaultAuthMode).toBe('userPool');
    expect(outputs.data.authorization_types).toEqual(['AWS_IAM']);
    expect(outputs.custom.sandbox.cognito_endpoint).toBe(bannerValue(first.output(), 'Cognito'));
    expect(existsSync(outputs.custom.sandbox.certificate_path)).toBe(true);
  });

  it('lets a web app configured as the banner says sign in as the demo user and query health', async () => {
    const outputs = readOutputs(outputsPath);
    const password = /Demo user +demo@example\.com \/ (\S+)/.exec(first.output())?.[1] ?? '';
    const config = parseAmplifyConfig(outputs);
    // The README's documented line ("Point a web app at the sandbox"); the cast only answers exactOptionalPropertyTypes.
    const auth = { Cognito: { ...config.Auth?.Cognito, userPoolEndpoint: outputs.custom.sandbox.cognito_endpoint } } as NonNullable<ResourcesConfig['Auth']>;
    Amplify.configure({ ...config, Auth: auth });

    const signedIn = await amplifySignIn({ username: 'demo@example.com', password });
    const answer = (await generateClient().graphql({ query: 'query { health { status stage } }' })) as { data: { health: { status: string; stage: string } } };
    await signOut();

    expect(signedIn.isSignedIn).toBe(true);
    expect(answer.data.health).toEqual({ status: 'ok', stage: 'dev' });
  });

  it('stops everything on Ctrl-C, DynamoDB Local\'s Java included, and exits 0', async () => {
    const javaPid = Number(/DynamoDB Local ready at \S+ \(.*pid (\d+)\)/.exec(first.output())?.[1]);
    expect(alive(javaPid)).toBe(true);

    first.signal('SIGINT');
    const { code } = await first.exited;

    expect(code).toBe(0);
    expect(first.output()).toMatch(/stopped/);
    expect(alive(javaPid)).toBe(false);
  });

  it('takes the template from the synth cache when nothing that shapes it changed, into a fresh cdk.out', async () => {
    rmSync(join(dir, 'cdk.out'), { recursive: true });
    second = runStart(args);

    await second.waitFor(READY, 120_000);

    expect(second.output()).toMatch(/INFO +synth +template from the synth cache \(\S+synth-cache\/[0-9a-f]{64}, inputs unchanged\)/);
    expect(second.output()).not.toMatch(/synthesizing infra/);
    expect(second.output()).toMatch(/Sandbox ready in [\d.]+ s +\(stack ChatApi-dev, synth skipped, template from the cache\)/);
  }, 130_000);

  it('refuses a busy port with a clear message and exit 1', async () => {
    const port = /127\.0\.0\.1:(\d+)\/graphql/.exec(second?.output() ?? '')?.[1] ?? '';
    const third = runStart([...args.slice(2), '--port', port]);

    const { code } = await third.exited;

    expect(code).toBe(1);
    expect(third.output()).toContain(`Port ${port} is in use. Stop the other process or run: npm start -- --port ${Number(port) + 1}`);
    expect(third.output()).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('stops on SIGTERM too', async () => {
    second?.signal('SIGTERM');

    const exit = await second?.exited;

    expect(exit?.code).toBe(0);
  });

  it('rejects an unknown flag in one line with exit 2', async () => {
    const run = runStart(['--prot', '4001']);

    const { code } = await run.exited;

    expect(code).toBe(2);
    expect(run.output().trim()).toBe("npm start: Unknown option '--prot'. See: npm start -- --help");
  });

  it('explains its flags on --help', async () => {
    const run = runStart(['--help']);

    const { code } = await run.exited;

    expect(code).toBe(0);
    expect(run.output()).toMatch(/--port N[\s\S]*--persist[\s\S]*--state-dir DIR/);
  });
});
