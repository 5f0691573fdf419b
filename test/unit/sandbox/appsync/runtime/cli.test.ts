// The appsync-evaluate-code CLI, spawned as a user runs it: flags and output of `aws appsync evaluate-code`.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from '@jest/globals';

const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const bin = join(root, 'bin', 'appsync-evaluate-code.js');
let dir = '';

interface Run { code: number; stdout: string; stderr: string }

function run(args: string[], command = process.execPath, prefix: string[] = [bin]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, [...prefix, ...args], { cwd: dir, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evaluate-code-'));
  writeFileSync(join(dir, 'getPost.js'), [
    "import * as ddb from '@aws-appsync/utils/dynamodb';",
    'export function request(ctx) { return ddb.get({ key: { id: ctx.args.id } }); }',
    'export function response(ctx) { console.log("got", ctx.result.id); return ctx.result; }',
  ].join('\n'));
  writeFileSync(join(dir, 'loop.js'), 'export function request(ctx) {\n  for (let i = 0; i < 2; i += 1) { }\n  return 1;\n}\n');
  writeFileSync(join(dir, 'context.json'), JSON.stringify({ arguments: { id: 'p1' }, result: { id: 'p1', title: 'Hi' } }));
  writeFileSync(join(dir, 'broken.json'), '{"arguments": ');
  writeFileSync(join(dir, 'input.json'), JSON.stringify({
    runtime: { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' },
    code: 'export function request(ctx) { return ctx.args.n * 2; }',
    context: JSON.stringify({ arguments: { n: 21 } }),
    function: 'request',
  }));
});

const runtimeFlag = ['--runtime', 'name=APPSYNC_JS,runtimeVersion=1.0.0'];

describe('appsync-evaluate-code', () => {
  it('prints evaluationResult as a JSON string for the request function', async () => {
    const result = await run([...runtimeFlag, '--code', 'file://getPost.js', '--context', 'file://context.json', '--function', 'request']);

    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { evaluationResult: string; logs: string[] };
    expect(JSON.parse(output.evaluationResult)).toEqual({ operation: 'GetItem', key: { id: { S: 'p1' } } });
    expect(output.logs).toEqual([]);
  });

  it('indents its JSON by four spaces like the AWS CLI', async () => {
    const result = await run([...runtimeFlag, '--code', 'file://getPost.js', '--context', 'file://context.json']);

    expect(result.stdout.split('\n')[1]).toMatch(/^ {4}"evaluationResult": /);
  });

  it('runs the response function with logs, with --flag=value spelling', async () => {
    const result = await run(['--runtime={"name":"APPSYNC_JS","runtimeVersion":"1.0.0"}', '--code=file://getPost.js', '--context=file://context.json', '--function=response', '--region', 'us-east-1', '--no-cli-pager']);

    const output = JSON.parse(result.stdout) as { evaluationResult: string; logs: string[] };
    expect(JSON.parse(output.evaluationResult)).toEqual({ id: 'p1', title: 'Hi' });
    expect(output.logs).toEqual(['INFO - getPost.js: got p1']);
  });

  it('prints codeErrors for code AppSync refuses, and exits 0 as the AWS CLI does', async () => {
    const result = await run([...runtimeFlag, '--code', 'file://loop.js', '--context', '{}']);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      error: { message: 'The code contains errors.', codeErrors: [{ errorType: 'LINT_ERROR', value: 'For statements are not supported.', location: { line: 2, column: 3, span: 34 } }] },
      logs: [],
    });
  });

  it('takes everything from --cli-input-json', async () => {
    const result = await run(['--cli-input-json', 'file://input.json']);

    expect(JSON.parse(result.stdout)).toMatchObject({ evaluationResult: '42' });
  });

  it('is reachable through npx as a bin of the package', async () => {
    const result = await run(['appsync-evaluate-code', ...runtimeFlag, '--code', 'file://getPost.js', '--context', 'file://context.json'], 'npx', ['--prefix', root]);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveProperty('evaluationResult');
  });

  it.each([
    ['an unknown flag', ['--codez', 'file://getPost.js'], /unknown option '--codez'/],
    ['a flag without its value', [...runtimeFlag, '--context', 'file://context.json', '--code'], /option --code needs a value/],
    ['a missing --code', [...runtimeFlag, '--context', 'file://context.json'], /the --code option is required/],
    ['a missing --runtime', ['--code', 'file://getPost.js', '--context', '{}'], /the --runtime option is required/],
    ['a malformed --runtime', ['--runtime', 'APPSYNC_JS', '--code', 'file://getPost.js', '--context', '{}'], /--runtime expects name=APPSYNC_JS,runtimeVersion=1.0.0/],
    ['a wrong runtime version', ['--runtime', 'name=APPSYNC_JS,runtimeVersion=9', '--code', 'file://getPost.js', '--context', '{}'], /runtimeVersion must be 1.0.0/],
    ['a missing file', [...runtimeFlag, '--code', 'file://nope.js', '--context', '{}'], /--code: cannot read nope.js: no such file/],
    ['a context that is not JSON', [...runtimeFlag, '--code', 'file://getPost.js', '--context', 'file://broken.json'], /context is not valid JSON/],
    ['a bad --function', [...runtimeFlag, '--code', 'file://getPost.js', '--context', '{}', '--function', 'both'], /function must be 'request' or 'response'/],
    ['a non-JSON output format', [...runtimeFlag, '--code', 'file://getPost.js', '--context', '{}', '--output', 'table'], /--output table is not supported/],
  ])('answers %s with one line on stderr and exit code 2', async (_name, args, message) => {
    const result = await run(args);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('prints its usage with --help', async () => {
    const result = await run(['--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: appsync-evaluate-code --runtime/);
  });
});
