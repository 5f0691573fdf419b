// A Lambda tool: a function of the stack, invoked synchronously through Lambda's Invoke API with
// `{ tool, input, owner }`, signed (SigV4, service `lambda`) with the chat function's role, which may invoke these
// functions and no other (infra/functions.ts). What the function returns is the output; a function error (the
// X-Amz-Function-Error header, "Invoke" in the Lambda API reference) is an error result the model reads.
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { credentialsFromEnv } from '../../shared/credentials.ts';
import { lambdaToolVariable, ToolError, type LambdaToolSpec, type ServerTool, type ToolContext } from './types.ts';

type Env = Record<string, string | undefined>;

/** Lambda's endpoint: AWS_ENDPOINT_URL_LAMBDA when set (the sandbox), else the region's. */
function endpointOf(env: Env): URL {
  const region = env['AWS_REGION'] ?? 'us-east-1';
  return new URL(env['AWS_ENDPOINT_URL_LAMBDA'] ?? `https://lambda.${region}.amazonaws.com`);
}

/** What the model reads of a function error: the function's own errorMessage, never a stack. */
function functionErrorOf(name: string, text: string): ToolError {
  try {
    const body = JSON.parse(text) as { errorMessage?: unknown; errorType?: unknown };
    if (typeof body.errorMessage === 'string') return new ToolError(`${name} failed: ${body.errorMessage}`);
  } catch {
    // Not JSON: said below without its text.
  }
  return new ToolError(`${name} failed.`);
}

async function invoke(spec: LambdaToolSpec, input: Record<string, unknown>, context: ToolContext, env: Env): Promise<unknown> {
  const functionName = env[lambdaToolVariable(spec.name)];
  if (!functionName) throw new ToolError(`${spec.name} is not available: its function is not configured.`);
  const region = env['AWS_REGION'] ?? 'us-east-1';
  const endpoint = endpointOf(env);
  const path = `${endpoint.pathname.replace(/\/$/, '')}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`;
  const body = JSON.stringify({ tool: spec.name, input, owner: context.owner });
  const signer = new SignatureV4({ credentials: credentialsFromEnv(env), region, service: 'lambda', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: endpoint.protocol, hostname: endpoint.hostname, ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
    path, query: {}, headers: { host: endpoint.host, 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse' }, body,
  });
  let response: Response;
  try {
    response = await fetch(new URL(path, endpoint), { method: 'POST', headers: signed.headers, body, signal: context.signal });
  } catch (error) {
    const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { message?: unknown } };
    throw new ToolError(`${spec.name} could not reach Lambda: ${String(cause?.message ?? message ?? error)}`);
  }
  const text = await response.text();
  if (response.status !== 200) {
    throw new ToolError(`Lambda refused to run ${spec.name} (HTTP ${response.status} ${response.headers.get('x-amzn-errortype') ?? ''}).`.replace(' )', ')'));
  }
  if (response.headers.get('x-amz-function-error')) throw functionErrorOf(spec.name, text);
  try {
    return text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    throw new ToolError(`${spec.name} returned something that is not JSON.`);
  }
}

export function lambdaTool(spec: LambdaToolSpec, env: Env = process.env): ServerTool {
  return {
    definition: { name: spec.name, description: spec.description, input_schema: spec.inputSchema },
    run: (input, context) => invoke(spec, input, context, env),
  };
}
