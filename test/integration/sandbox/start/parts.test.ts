// The pure parts of `npm start` in process: flags, the banner, the demo password and failure locations.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { CodeLoadError } from '../../../../sandbox/appsync/runtime/module.ts';
import { parseStartArgs, UsageError } from '../../../../sandbox/start/args.ts';
import { bannerText } from '../../../../sandbox/start/banner.ts';
import { demoPassword } from '../../../../sandbox/start/demo-user.ts';
import { describeFailure } from '../../../../sandbox/start/failure.ts';
import { inputsHash } from '../../../../sandbox/start/synth.ts';

describe('npm start flags', () => {
  it('defaults to port 4000, .sandbox and ./amplify_outputs.json in the working folder', () => {
    const options = parseStartArgs([], '/work/app');

    expect(options).toEqual({ port: 4000, persist: false, stateDir: '/work/app/.sandbox', outputs: '/work/app/amplify_outputs.json', cdkOut: '/work/app/cdk.out', help: false });
  });

  it('refuses a port that is not a number', () => {
    expect(() => parseStartArgs(['--port', '4k'])).toThrow(UsageError);
  });
});

describe('the banner', () => {
  it('shows paths inside the working folder relative to it, and the real Claude API when a key is set', () => {
    const urls = { base: 'http://127.0.0.1:4000', graphql: 'http://127.0.0.1:4000/graphql', realtime: 'ws://127.0.0.1:4000/graphql/realtime', graphqlHttps: 'https://localhost:4000/graphql', realtimeWss: 'wss://localhost:4000/graphql/realtime', cognito: 'http://127.0.0.1:4000', claude: null };

    const text = bannerText({ stackName: 'ChatApi-dev', urls, userPoolId: 'us-east-1_abc', clientId: 'c1', demoUser: { username: 'demo@example.com', password: 'p' }, realClaude: true, certificatePath: '/work/app/.sandbox/tls/cert.pem', outputsPath: '/work/app/amplify_outputs.json', readyMs: 5432, synth: 'synth skipped, infra unchanged', persist: '/work/app/.sandbox' }, '/work/app');

    expect(text).toContain('Sandbox ready in 5.4 s');
    expect(text).toContain('NODE_EXTRA_CA_CERTS=.sandbox/tls/cert.pem');
    expect(text).toContain('the real Anthropic API');
    expect(text).toContain('tables kept in .sandbox/dynamodb, Cognito users in .sandbox/cognito');
  });

  it('names Claude on Bedrock and the stand-in\'s Bedrock routes when the template calls Bedrock', () => {
    const urls = { base: 'http://127.0.0.1:4000', graphql: 'http://127.0.0.1:4000/graphql', realtime: 'ws://127.0.0.1:4000/graphql/realtime', graphqlHttps: 'https://localhost:4000/graphql', realtimeWss: 'wss://localhost:4000/graphql/realtime', cognito: 'http://127.0.0.1:4000', claude: 'http://127.0.0.1:4000/claude' };

    const text = bannerText({ stackName: 'ChatApi-dev', urls, userPoolId: 'us-east-1_abc', clientId: 'c1', demoUser: { username: 'demo@example.com', password: 'p' }, realClaude: false, bedrock: true, certificatePath: '/work/app/.sandbox/tls/cert.pem', outputsPath: '/work/app/amplify_outputs.json', readyMs: 5432, synth: 'synth skipped, infra unchanged', persist: null }, '/work/app');

    expect(text).toContain('Claude on Bedrock, the local stand-in at http://127.0.0.1:4000/claude/bedrock (SigV4 checked)');
  });
});

describe('the demo password', () => {
  it('grows to a longer minimum length', () => {
    expect(demoPassword({ minimumLength: 20 })).toHaveLength(20);
  });
});

describe('failure locations', () => {
  it('points a refused bundle line at the resolver source that holds it', () => {
    const root = mkdtempSync(join(tmpdir(), 'start-parts-'));
    mkdirSync(join(root, 'resolvers'));
    writeFileSync(join(root, 'resolvers', 'Query.x.ts'), "import { util } from '@aws-appsync/utils';\n\nexport function request() {\n  let i = 0; while (i < 2) { i = i + 1; }\n}\n");
    const bundle = '// resolvers/Query.x.ts\nfunction request() {\n  let i = 0;\n  while (i < 2) {\n    i = i + 1;\n  }\n}\n';
    const error = new CodeLoadError(join(root, 'cdk.out', 'asset.1.js'), [{ errorType: 'PARSER_ERROR', value: 'While statements are not supported.', location: { line: 4, column: 3, span: 1 } }]);

    const text = describeFailure(error, root, () => bundle);
    rmSync(root, { recursive: true, force: true });

    expect(text).toBe('resolvers/Query.x.ts:4:14: While statements are not supported. (AppSync would refuse this code; bundle position cdk.out/asset.1.js:4:3)');
  });

  it('keeps only the first lines of any other failure', () => {
    const text = describeFailure(new Error(Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n')), '/');

    expect(text.split('\n')).toHaveLength(8);
  });
});

describe('the synth inputs hash', () => {
  it('changes when a resolver changes', () => {
    const root = mkdtempSync(join(tmpdir(), 'start-hash-'));
    mkdirSync(join(root, 'resolvers'));
    writeFileSync(join(root, 'resolvers', 'a.ts'), 'one');
    const before = inputsHash(root);

    writeFileSync(join(root, 'resolvers', 'a.ts'), 'two');
    const after = inputsHash(root);
    rmSync(root, { recursive: true, force: true });

    expect(after).not.toBe(before);
  });
});
