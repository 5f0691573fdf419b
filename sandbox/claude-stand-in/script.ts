// Scripted answers: what a test tells the stand-in to answer instead of the text it makes up. A script is a list of
// steps, each one model call's answer (text, thinking, tool calls, a fault, pacing), for the next calls or for one
// user's or one conversation's calls. A Messages request names neither user nor conversation, so the stand-in asks
// the sandbox which turns in flight are answering the request's message (TurnLookup, sandbox/admin/turns.ts).
import type { Logger } from '../log.ts';
import { parseFault, type FaultName } from './faults.ts';
import type { MessageRequest } from './prompt.ts';
import { lastUserText } from './reply-text.ts';

export interface ScriptToolCall {
  name: string;
  /** The tool's input; `{}` when left out. */
  input?: Record<string, unknown>;
}

/** One model call's answer. Without `text` and `toolCalls` the answer's content is the stand-in's usual one. */
export interface ScriptStep {
  /** The answer's text, exactly (cut by max_tokens and stop sequences as any text). */
  text?: string;
  /** A thinking block first: this text, or `true` for made-up thinking. Only when the request enables thinking. */
  thinking?: string | true;
  /** Tool calls after the text, in one answer (`stop_reason: "tool_use"`); each must be among the request's tools. */
  toolCalls?: ScriptToolCall[];
  /** A fault instead of (or in the middle of) the answer: faults.ts's names, `slow_first_token:MS` included. */
  fault?: FaultName;
  /** Deltas sent before `error_mid_stream` or `cut_mid_stream` strikes; default 3, 0 strikes before any. */
  afterDeltas?: number;
  /** Pacing of this answer: pieces a second (0: as fast as possible) and the wait before the first. */
  tokensPerSecond?: number;
  firstTokenDelayMs?: number;
  /** Model calls this step answers before the next step's turn; default 1. */
  times?: number;
}

/** Whose calls a script answers: one user's (their Cognito `sub`) or one conversation's. */
export type ScriptTarget = { sub: string; conversationId?: never } | { conversationId: string; sub?: never };

/** A turn being answered: the user and conversation a model call is for. */
export interface TurnOwner {
  sub: string;
  conversationId: string;
}

/** The turns in flight whose user message is `text`, as the sandbox's table has them. */
export type TurnLookup = (text: string) => Promise<TurnOwner[]>;

export type ScriptSource = 'next' | 'user' | 'conversation';

/** One model call the stand-in received, for tests to assert on. */
export interface ModelCall {
  /** When it came in, ISO 8601. */
  at: string;
  api: 'anthropic' | 'bedrock';
  model: string;
  stream: boolean;
  /** The last user message's text: the message the call answers (directives included). */
  text: string;
  /** The system prompt's text. */
  system: string;
  messages: number;
  tools: string[];
  thinking: boolean;
  /** The script that answered it; null when no step applied and the stand-in answered as it does unscripted. */
  script: ScriptSource | null;
  step: ScriptStep | null;
  /** Whose turn it was, when a user's or conversation's script looked it up and one turn matched. */
  owner: TurnOwner | null;
  /** The HTTP status answered; null while the answer is being written. */
  status: number | null;
}

/** Scripting the stand-in from a test: `sandbox.script`, or the admin route's `script` action (sandbox/admin/). */
export interface ClaudeScript {
  /** The next model calls, whoever makes them, answer these steps (replacing what was left of the last ones). */
  scriptNext(steps: readonly ScriptStep[]): void;
  /** One user's or conversation's model calls answer these steps first (replacing that target's earlier script). */
  scriptFor(target: ScriptTarget, steps: readonly ScriptStep[]): void;
  /** Forgets every script: calls are answered as unscripted. The call log stays. */
  clearScripts(): void;
  /** The last model calls received (at most 200), oldest first; copies. */
  readonly calls: readonly ModelCall[];
}

export class ScriptError extends Error {
  override readonly name = 'ScriptError';
  readonly errorType = 'ScriptError';
}

const STEP_KEYS = new Set(['text', 'thinking', 'toolCalls', 'fault', 'afterDeltas', 'tokensPerSecond', 'firstTokenDelayMs', 'times']);
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const MAX_CALLS = 200;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function count(step: Record<string, unknown>, key: string, at: string, min: number, integer: boolean): void {
  const value = step[key];
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new ScriptError(`${at}.${key} is ${JSON.stringify(value)}: give ${integer ? 'an integer' : 'a number'} of at least ${min}`);
  }
}

function checkToolCalls(value: unknown, at: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw new ScriptError(`${at}.toolCalls must be a list of { name, input }`);
  value.forEach((call: unknown, index) => {
    if (!isRecord(call) || typeof call.name !== 'string' || !TOOL_NAME.test(call.name)) {
      throw new ScriptError(`${at}.toolCalls.${index} needs a name of 1 to 128 letters, digits, _ or -`);
    }
    if (call.input !== undefined && !isRecord(call.input)) throw new ScriptError(`${at}.toolCalls.${index}.input must be a JSON object`);
  });
}

function checkStep(step: unknown, at: string): ScriptStep {
  if (!isRecord(step)) throw new ScriptError(`${at} must be an object`);
  const unknown = Object.keys(step).find((key) => !STEP_KEYS.has(key));
  if (unknown !== undefined) throw new ScriptError(`${at}.${unknown} is not a step field; use ${[...STEP_KEYS].join(', ')}`);
  if (step.text !== undefined && typeof step.text !== 'string') throw new ScriptError(`${at}.text must be a string`);
  if (step.thinking !== undefined && step.thinking !== true && typeof step.thinking !== 'string') throw new ScriptError(`${at}.thinking must be a string or true`);
  checkToolCalls(step.toolCalls, at);
  if (step.fault !== undefined && (typeof step.fault !== 'string' || parseFault(step.fault) === undefined)) {
    throw new ScriptError(`${at}.fault ${JSON.stringify(step.fault)} is not a fault: use rate_limit, overloaded, api_error, error_mid_stream, cut_mid_stream or slow_first_token:MS`);
  }
  count(step, 'afterDeltas', at, 0, true);
  count(step, 'tokensPerSecond', at, 0, false);
  count(step, 'firstTokenDelayMs', at, 0, false);
  count(step, 'times', at, 1, true);
  return structuredClone(step);
}

/** Checks a script as a test or the admin route gave it; throws ScriptError saying what to fix. */
export function checkSteps(steps: unknown): ScriptStep[] {
  if (!Array.isArray(steps)) throw new ScriptError('a script is a list of steps');
  return steps.map((step, index) => checkStep(step, `steps.${index}`));
}

/** A script's steps, each taken `times` times. */
class Steps {
  private readonly queue: { step: ScriptStep; left: number }[];

  constructor(steps: readonly ScriptStep[]) {
    this.queue = steps.map((step) => ({ step, left: step.times ?? 1 }));
  }

  get empty(): boolean {
    return this.queue.length === 0;
  }

  take(): ScriptStep | undefined {
    const head = this.queue[0];
    if (head === undefined) return undefined;
    head.left -= 1;
    if (head.left <= 0) this.queue.shift();
    return head.step;
  }
}

/** A user's or conversation's script, when one has steps left: the key that takes them. */
type TargetKey = `user:${string}` | `conversation:${string}` | 'none';

/** The scripts of one stand-in and the log of the calls it received. */
export class ScriptBook implements ClaudeScript {
  private next = new Steps([]);
  private readonly byUser = new Map<string, Steps>();
  private readonly byConversation = new Map<string, Steps>();
  private readonly received: ModelCall[] = [];

  constructor(private readonly lookup: TurnLookup | undefined, private readonly log: Logger) {}

  scriptNext(steps: readonly ScriptStep[]): void {
    this.next = new Steps(checkSteps(steps));
  }

  scriptFor(target: ScriptTarget, steps: readonly ScriptStep[]): void {
    const checked = new Steps(checkSteps(steps));
    if (this.lookup === undefined) throw new ScriptError('this stand-in cannot tell whose turn a call is (it runs outside a sandbox): use scriptNext');
    const { sub, conversationId } = (isRecord(target) ? target : {}) as { sub?: unknown; conversationId?: unknown };
    if (typeof conversationId === 'string' && conversationId !== '' && sub === undefined) this.byConversation.set(conversationId, checked);
    else if (typeof sub === 'string' && sub !== '' && conversationId === undefined) this.byUser.set(sub, checked);
    else throw new ScriptError('scriptFor takes { sub } (a user\'s Cognito sub) or { conversationId }');
  }

  clearScripts(): void {
    this.next = new Steps([]);
    this.byUser.clear();
    this.byConversation.clear();
  }

  get calls(): readonly ModelCall[] {
    return this.received.map((call) => ({ ...call }));
  }

  /** The step that answers this call, if a script has one, and the call's record (its status is set once answered). */
  async answer(request: MessageRequest, api: ModelCall['api']): Promise<{ step: ScriptStep | undefined; call: ModelCall }> {
    const at = new Date().toISOString();
    const text = lastUserText(request.messages);
    const targeted = await this.targeted(text, request.userId);
    const fromNext = targeted?.step === undefined ? this.next.take() : undefined;
    const step = targeted?.step ?? fromNext;
    const call: ModelCall = {
      at, api, model: request.model, stream: request.stream, text,
      system: request.system.map((block) => (typeof block.body.text === 'string' ? block.body.text : '')).join('\n'),
      messages: request.messages.length,
      tools: request.tools.map((tool) => String(tool.body.name)),
      thinking: request.thinking.enabled,
      script: targeted?.step !== undefined ? targeted.source : fromNext === undefined ? null : 'next',
      step: step ?? null,
      owner: targeted?.owner ?? null,
      status: null,
    };
    this.received.push(call);
    if (this.received.length > MAX_CALLS) this.received.shift();
    return { step, call };
  }

  private keyOf(owner: TurnOwner): TargetKey {
    if (this.byConversation.has(owner.conversationId)) return `conversation:${owner.conversationId}`;
    return this.byUser.has(owner.sub) ? `user:${owner.sub}` : 'none';
  }

  /**
   * The step of the user's or conversation's script this call is for, when some script of the kind has steps left.
   * Turns in flight are matched by the text they answer and, when the request says it (metadata.user_id), its user:
   * two turns of the same user answering the same text for different conversations' scripts can't be told apart, and
   * then neither script answers.
   */
  private async targeted(text: string, userId: string | undefined): Promise<{ source: ScriptSource; step: ScriptStep | undefined; owner: TurnOwner | null } | undefined> {
    if (this.lookup === undefined || (this.byUser.size === 0 && this.byConversation.size === 0)) return undefined;
    let owners: TurnOwner[];
    try {
      // The request's metadata.user_id (the chat function sends the user's sub) narrows the turns to that user's.
      owners = (await this.lookup(text)).filter((each) => userId === undefined || each.sub === userId);
    } catch (error) {
      this.log.warn(`could not tell whose turn a model call is for: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const owner = owners.length === 1 ? owners[0] ?? null : null;
    const keys = new Set(owners.map((each) => this.keyOf(each)));
    const [key] = keys;
    if (keys.size > 1) this.log.warn(`a model call answers the same text for ${owners.length} turns in flight of different scripts; neither script answers it (give each scripted user's message its own text)`);
    if (key === undefined || key === 'none' || keys.size > 1) return { source: 'user', step: undefined, owner };
    const [source, id] = key.startsWith('conversation:') ? ['conversation', key.slice('conversation:'.length)] as const : ['user', key.slice('user:'.length)] as const;
    const scripts = source === 'conversation' ? this.byConversation : this.byUser;
    const steps = scripts.get(id);
    const step = steps?.take();
    if (steps?.empty === true) scripts.delete(id);
    return { source, step, owner };
  }
}
