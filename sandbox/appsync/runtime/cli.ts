// appsync-evaluate-code: `aws appsync evaluate-code` offline. Same flags (--runtime, --code,
// --context, --function, --cli-input-json, file:// values), same JSON on stdout.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { BadRequestError, evaluateCode, type EvaluateCodeRequest } from './evaluate.ts';

export const USAGE = `usage: appsync-evaluate-code --runtime name=APPSYNC_JS,runtimeVersion=1.0.0 --code file://resolver.js --context file://context.json [--function request|response]
       appsync-evaluate-code --cli-input-json file://input.json
Evaluates an APPSYNC_JS handler offline and prints what 'aws appsync evaluate-code' prints.`;

/** A mistake in how the command was called: one line on stderr, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Flags the AWS CLI takes on every command; accepted and ignored, since nothing is sent anywhere. */
const IGNORED_WITH_VALUE = new Set(['--region', '--profile', '--endpoint-url', '--color', '--ca-bundle']);
const IGNORED_SWITCHES = new Set(['--no-cli-pager', '--no-verify-ssl', '--no-paginate', '--no-sign-request', '--debug']);
const KNOWN = new Set(['--runtime', '--code', '--context', '--function', '--cli-input-json', '--output']);

interface Io { stdout: (text: string) => void; stderr: (text: string) => void }

export function main(argv: string[], io: Io = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }): number {
  if (argv.includes('--help') || argv.includes('-h') || argv.includes('help')) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  try {
    const { request, filename } = parseArguments(argv);
    const response = evaluateCode(request, filename);
    io.stdout(`${JSON.stringify(response, null, 4)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof BadRequestError) {
      io.stderr(`appsync-evaluate-code: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

export function parseArguments(argv: string[]): { request: EvaluateCodeRequest; filename: string } {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const [flag = '', inline] = splitFlag(argv[i] ?? '');
    if (IGNORED_SWITCHES.has(flag)) continue;
    if (!KNOWN.has(flag) && !IGNORED_WITH_VALUE.has(flag)) {
      throw new UsageError(`unknown option '${flag}'. Run with --help to see the options.`);
    }
    const value = inline ?? argv[i + 1];
    if (inline === undefined) i += 1;
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`option ${flag} needs a value.`);
    if (KNOWN.has(flag)) flags.set(flag, value);
  }
  const output = flags.get('--output');
  if (output !== undefined && output !== 'json') throw new UsageError(`--output ${output} is not supported; the output is JSON.`);

  const fromFile = flags.has('--cli-input-json') ? parseInputJson(readValue('--cli-input-json', required(flags, '--cli-input-json'))) : {};
  const codeFlag = flags.get('--code');
  const code = codeFlag !== undefined ? readValue('--code', codeFlag) : fromFile.code;
  const contextFlag = flags.get('--context');
  const context = contextFlag !== undefined ? readValue('--context', contextFlag) : fromFile.context;
  const runtimeFlag = flags.get('--runtime');
  const runtime = runtimeFlag !== undefined ? parseRuntime(readValue('--runtime', runtimeFlag)) : fromFile.runtime;
  const fn = flags.get('--function') ?? fromFile.function;
  if (runtime === undefined) throw new UsageError('the --runtime option is required, e.g. --runtime name=APPSYNC_JS,runtimeVersion=1.0.0');
  if (code === undefined) throw new UsageError('the --code option is required, e.g. --code file://resolver.js');
  if (context === undefined) throw new UsageError('the --context option is required, e.g. --context file://context.json');
  const request: EvaluateCodeRequest = { runtime, code, context };
  if (fn !== undefined) request.function = fn;
  const filename = codeFlag?.startsWith('file://') ? basename(codeFlag.slice('file://'.length)) : 'code.js';
  return { request, filename };
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function required(flags: Map<string, string>, flag: string): string {
  return flags.get(flag) ?? '';
}

/** AWS CLI parameter values: `file://path` (text) and `fileb://path` are read from disk. */
function readValue(flag: string, value: string): string {
  const prefix = ['file://', 'fileb://'].find((p) => value.startsWith(p));
  if (prefix === undefined) return value;
  const path = value.slice(prefix.length);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`${flag}: cannot read ${path}: ${reason}.`);
  }
}

/** `name=APPSYNC_JS,runtimeVersion=1.0.0` (shorthand syntax) or the JSON form. */
function parseRuntime(text: string): EvaluateCodeRequest['runtime'] {
  const trimmed = text.trim();
  let fields: Record<string, unknown>;
  if (trimmed.startsWith('{')) {
    try {
      fields = JSON.parse(trimmed) as Record<string, unknown>;
    } catch {
      throw new UsageError(`--runtime is not valid JSON: ${trimmed}`);
    }
  } else {
    fields = Object.fromEntries(trimmed.split(',').map((pair) => {
      const [key = '', ...rest] = pair.split('=');
      if (rest.length === 0) throw new UsageError(`--runtime expects name=APPSYNC_JS,runtimeVersion=1.0.0, got '${trimmed}'.`);
      return [key.trim(), rest.join('=').trim()];
    }));
  }
  const { name, runtimeVersion } = fields;
  if (typeof name !== 'string' || typeof runtimeVersion !== 'string') {
    throw new UsageError('--runtime needs both name and runtimeVersion, e.g. name=APPSYNC_JS,runtimeVersion=1.0.0');
  }
  return { name, runtimeVersion };
}

function parseInputJson(text: string): Partial<EvaluateCodeRequest> {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  } catch {
    // reported below
  }
  throw new UsageError('--cli-input-json must be a JSON object with runtime, code, context and function.');
}
