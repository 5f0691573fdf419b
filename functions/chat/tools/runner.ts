// The one entry point the tool loop calls (reply.ts): finds the tool, checks its input, runs it within a time limit,
// caps what it returns, and turns every failure into an is_error outcome the model reads. It never throws.
import { describeInputProblems, inputCheck, type InputCheck } from './input-schema.ts';
import { ToolError, type ServerTool, type ToolContext, type ToolOutcome, type ToolRunner } from './types.ts';

export interface RunnerLimits {
  /** How long one run may take before it is abandoned (the context's signal can end it sooner). */
  timeoutMs: number;
  /** The most characters of JSON an output may have. */
  maxOutputChars: number;
}

export const DEFAULT_LIMITS: RunnerLimits = { timeoutMs: 10_000, maxOutputChars: 16_000 };

const failed = (message: string): ToolOutcome => ({ output: { error: message }, isError: true });

/** The run, raced against the time limit and the reply's own signal; the tool gets a signal that ends with either. */
async function runWithin(tool: ServerTool, input: Record<string, unknown>, context: ToolContext, timeoutMs: number): Promise<unknown> {
  const name = tool.definition.name;
  if (context.signal.aborted) throw new ToolError(`${name} was not run: the reply was stopped.`);
  const timeout = new AbortController();
  const signal = AbortSignal.any([context.signal, timeout.signal]);
  let timer: NodeJS.Timeout | undefined;
  let onStop: (() => void) | undefined;
  const abandoned = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      timeout.abort();
      reject(new ToolError(`${name} took longer than ${timeoutMs / 1000} s and was stopped.`));
    }, timeoutMs);
    onStop = () => reject(new ToolError(`${name} was stopped: the reply was stopped.`));
    context.signal.addEventListener('abort', onStop, { once: true });
  });
  try {
    return await Promise.race([tool.run(input, { ...context, signal }), abandoned]);
  } finally {
    clearTimeout(timer);
    if (onStop) context.signal.removeEventListener('abort', onStop);
  }
}

/** The output as JSON within the cap, or why it cannot be given to the model. */
function outputOf(name: string, output: unknown, maxChars: number): ToolOutcome {
  let json: string | undefined;
  try {
    json = JSON.stringify(output);
  } catch (error) {
    return failed(`${name} returned a value that is not JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (json === undefined) return { output: null, isError: false };
  if (json.length > maxChars) {
    return failed(`${name} returned ${json.length} characters of JSON; the limit is ${maxChars}. Ask for less (a smaller limit or a narrower input).`);
  }
  return { output: JSON.parse(json) as unknown, isError: false };
}

/** A thrown value as the model may read it: a ToolError's message as is, any other error's message, never a stack. */
function messageOf(name: string, error: unknown): string {
  if (error instanceof ToolError) return error.message;
  // Read as a shape, not with instanceof Error: errors made in another realm (Node's fetch under a VM) are errors too.
  const message = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  return `${name} failed: ${message || 'unknown error'}`;
}

/** The user's token must never reach the model: removed from whatever an outcome says, wherever it came from. */
function withoutToken(outcome: ToolOutcome, token: string | undefined): ToolOutcome {
  if (!token) return outcome;
  const json = JSON.stringify(outcome.output) ?? 'null';
  if (!json.includes(token)) return outcome;
  return { ...outcome, output: JSON.parse(json.replaceAll(token, '[redacted]')) as unknown };
}

/** A runner over the given tools (names are unique: infra/tools.ts checks the catalog at synth). */
export function createToolRunner(tools: readonly ServerTool[], limits: RunnerLimits = DEFAULT_LIMITS): ToolRunner {
  const byName = new Map<string, { tool: ServerTool; check: InputCheck }>(tools.map((tool) => [tool.definition.name, { tool, check: inputCheck(tool.definition.input_schema) }]));
  const known = [...byName.keys()].join(', ') || 'none';

  const run = async (call: { name: string; input: unknown }, context: ToolContext): Promise<ToolOutcome> => {
    const entry = byName.get(call.name);
    if (!entry) return failed(`There is no tool named ${JSON.stringify(call.name)}. The tools are: ${known}.`);
    const { tool, check } = entry;
    try {
      const problems = check(call.input);
      if (problems.length > 0) return failed(describeInputProblems(call.name, problems));
      const output = await runWithin(tool, call.input as Record<string, unknown>, context, limits.timeoutMs);
      return outputOf(call.name, output, limits.maxOutputChars);
    } catch (error) {
      return failed(messageOf(call.name, error));
    }
  };

  return {
    definitions: tools.map((tool) => tool.definition),
    run: async (call, context) => {
      try {
        return withoutToken(await run(call, context), context.userToken);
      } catch (error) {
        // Only a malformed call or context gets here (run catches the tool's own failures): still an outcome.
        return failed(messageOf(String(call?.name), error));
      }
    },
  };
}
