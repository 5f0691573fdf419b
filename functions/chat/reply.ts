// One reply, start to end: claim, history, stream (coalesced publishes, checkpoints, stop; the model's tool loop is
// tool-loop.ts), finish. Whatever
// happens after the claim, the reply ends in the finish step: it is never left STREAMING.
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conversationSk, messageSk, messagesPk, userPk } from '../../resolvers/keys.ts';
import { readAttachments, type AttachmentReader } from './attachments.ts';
import { Checkpointer } from './checkpoint.ts';
import { claimReply } from './claim.ts';
import { Coalescer } from './coalescer.ts';
import type { ChatConfig } from './config.ts';
import type { ChatEvent, ReplyEventBody, TokenUsage } from './event.ts';
import { NO_USAGE } from './event.ts';
import { finalEvent, finishReply, type FinalReply, type FinalStatus } from './finish.ts';
import { estimateTokens, loadHistory } from './history.ts';
import { ModelStreamError, type ClaudeClient, type StreamOutcome } from './model.ts';
import { buildPrompt } from './prompt.ts';
import { Publisher, type SendEvent } from './publisher.ts';
import { failureReason, type RetryPolicy } from './retry.ts';
import { WriteCounter } from './table.ts';
import { storeTitle, titleFrom } from './title.ts';
import { replayTurns, roundsIn } from './replay.ts';
import { answerClientCalls, clientToolDefinition, toolLoop } from './tool-loop.ts';
import type { ToolContext, ToolRunner } from './tools/types.ts';
import { Transcript } from './transcript.ts';

export interface ReplyLog {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface ReplyDeps {
  config: ChatConfig;
  db: DynamoDBDocumentClient;
  /** Called alongside the claim; once the claim is ours, a failure to get a client (a secret read) ends the reply as ERROR. */
  claude: () => Promise<ClaudeClient>;
  send: SendEvent;
  log: ReplyLog;
  /** Epoch ms by which the reply must be finished (the Lambda's timeout, less a margin). */
  deadline?: number;
  retryPolicy?: RetryPolicy;
  /** The server tools the model may call (tools/catalog.ts); none when absent. */
  tools?: ToolRunner;
  /** Reads the files of the event's conversation (functions/chat/attachments.ts); without it, attachments are named, not sent. */
  attachments?: (event: ChatEvent) => AttachmentReader;
  now?: () => number;
}

export interface ReplySummary {
  outcome: 'duplicate' | 'finished';
  status?: FinalStatus;
  /** DynamoDB writes of this invocation, the claim included. */
  writes: number;
  /** Events published successfully, and failed. */
  publishes: number;
  publishFailures: number;
  deltas: number;
  retries: number;
  /** Model calls (1 + the rounds of tool calls) and tool runs. */
  modelCalls: number;
  toolRuns: number;
  timeToFirstTokenMs?: number;
  usage: TokenUsage;
}

/** Why a reply ended before the model finished it. */
type Interruption = 'stop' | 'lost' | 'deadline';

interface Conversation {
  title?: string | null;
  model?: string;
  systemPrompt?: string | null;
  thinkingBudgetTokens?: number | null;
}

/** An invocation of the function: the event, and the conversation's settings when it carried them. */
export type ReplyInvocation = ChatEvent & { conversation?: Conversation };

const nullOr = (value: unknown, type: 'string' | 'number'): boolean => value === null || typeof value === type;

/**
 * The conversation's settings from the invocation's payload, as sendMessage and regenerateReply send them
 * (resolvers/steps/invokeChat.ts); undefined when it has none (a resumed reply, an older event) or not in that
 * shape: the reply then reads them.
 */
export function conversationOf(event: unknown): Conversation | undefined {
  const found = (event as { conversation?: unknown } | null)?.conversation;
  if (typeof found !== 'object' || found === null) return undefined;
  const { model, systemPrompt, thinkingBudgetTokens, title } = found as Record<string, unknown>;
  if (!nullOr(model, 'string') || !nullOr(systemPrompt, 'string') || !nullOr(thinkingBudgetTokens, 'number') || !nullOr(title, 'string')) return undefined;
  return {
    ...(typeof model === 'string' ? { model } : {}),
    systemPrompt: systemPrompt as string | null, thinkingBudgetTokens: thinkingBudgetTokens as number | null, title: title as string | null,
  };
}

async function loadConversation(db: DynamoDBDocumentClient, tableName: string, event: ChatEvent): Promise<Conversation> {
  const answer = await db.send(new GetCommand({
    TableName: tableName,
    Key: { pk: userPk(event.owner), sk: conversationSk(event.conversationId) },
    ProjectionExpression: 'title, model, systemPrompt, thinkingBudgetTokens',
  }));
  if (!answer.Item) throw new Error('the conversation no longer exists');
  return answer.Item as Conversation;
}

/** No bucket to read from: every attachment reads as missing. */
const NO_FILES: AttachmentReader = { read: () => Promise.resolve(undefined) };

const MESSAGES = {
  midReply: (reason: string) => `The model stopped answering mid-reply (${reason}). The text so far is kept.`,
  noAnswer: (reason: string) => `The model could not answer (${reason}). Please try again.`,
  internal: 'The reply failed because of an internal error. Please try again.',
  deadline: 'The reply took too long and was cut short. The text so far is kept.',
  lost: 'The reply was interrupted.',
} as const;

/** A reply that ended early is billed for what was generated: the API's count if it came, else an estimate. */
function usageSoFar(usage: TokenUsage, text: string): TokenUsage {
  return { ...usage, outputTokens: Math.max(usage.outputTokens, estimateTokens(text)) };
}

/** Every model call of a tool loop is billed: its usages add up. */
function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens,
    cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens, cacheCreationInputTokens: a.cacheCreationInputTokens + b.cacheCreationInputTokens,
  };
}

export async function writeReply(invocation: ReplyInvocation, deps: ReplyDeps): Promise<ReplySummary> {
  const { conversation: sent, ...event } = invocation;
  const { config, db, log } = deps;
  const now = deps.now ?? Date.now;
  const writes = new WriteCounter();
  const started = now();
  // What the model call needs is read alongside the claim, not after it: one DynamoDB round trip less before the
  // first token. The reply's own item is PENDING or STREAMING, never in the history, so the order changes nothing.
  // A duplicate invocation wastes these reads; their failure matters only once the claim is ours. The conversation's
  // settings are read only when the invocation did not bring them.
  const needs = Promise.all([
    deps.claude(),
    sent ?? loadConversation(db, config.tableName, event),
    loadHistory(db, event, { tableName: config.tableName, tokenBudget: config.historyTokenBudget, maxMessages: config.historyMaxMessages })
      .then(async (history) => ({ history, files: await readAttachments(history, deps.attachments?.(event) ?? NO_FILES) })),
  ]);
  needs.catch(() => undefined);
  const claimed = await claimReply(db, config.tableName, event, { leaseMs: config.leaseMs, now: started, writes });
  if (!claimed) {
    log.info('the reply is already taken: nothing to do');
    return { outcome: 'duplicate', writes: writes.count, publishes: 0, publishFailures: 0, deltas: 0, retries: 0, modelCalls: 0, toolRuns: 0, usage: NO_USAGE };
  }

  // A resumed reply goes on from what it had written, with the same seq sequence.
  const transcript = event.resume ? Transcript.restore(claimed.blocks, claimed.seq) : new Transcript();
  // The publisher tells the coalescer when it caught up; the coalescer asks whether it has.
  const waiting: { coalescer?: Coalescer } = {};
  const publisher = new Publisher(deps.send, log, () => waiting.coalescer?.resume());
  const publish = (body: ReplyEventBody, seq: number): void =>
    publisher.enqueue({ ...body, conversationId: event.conversationId, messageId: event.replyId, owner: event.owner, seq });
  const coalescer = new Coalescer({
    flushMs: config.flushMs,
    maxChars: config.flushMaxChars,
    onFlush: (text, block) => publish({ type: block.type === 'TEXT' ? 'DELTA' : 'THINKING_DELTA', index: block.index, text }, transcript.appendDelta(block.index, block.type, text)),
    ready: () => publisher.pending === 0,
  });
  waiting.coalescer = coalescer;
  const abort = new AbortController();
  let interruption: Interruption | undefined;
  const interrupt = (why: Interruption): void => {
    interruption ??= why;
    abort.abort();
  };
  const checkpointer = new Checkpointer({
    db, tableName: config.tableName, key: { pk: messagesPk(event.owner, event.conversationId), sk: messageSk(event.replyId) },
    intervalMs: config.checkpointMs, leaseMs: config.leaseMs, snapshot: () => transcript.snapshot(),
    onStop: () => interrupt('stop'), onLost: () => interrupt('lost'), writes, log,
  });
  const deadlineTimer = deps.deadline === undefined ? undefined : setTimeout(() => interrupt('deadline'), Math.max(0, deps.deadline - now()));
  let titling: Promise<void> = Promise.resolve();
  /** The estimated prompt, once the history is read: the conversation's next context size is counted from it. */
  let promptEstimate: number | undefined;
  let retries = 0;
  let modelCalls = 0;
  let toolRuns = 0;
  let timeToFirstTokenMs: number | undefined;
  let outcome: (StreamOutcome & { paused?: boolean }) | undefined;
  /** What every model call of the reply used, added up. */
  let used: TokenUsage = NO_USAGE;
  let failure: unknown;

  try {
    if (claimed.stopRequested) interrupt('stop');
    else {
      const [client, conversation, { history, files }] = await needs;
      if (conversation.title === null || conversation.title === undefined) {
        const title = titleFrom(history.at(-1)?.content ?? '');
        writes.add();
        titling = storeTitle(db, config.tableName, event.owner, event.conversationId, title)
          .then((stored) => { if (stored) publish({ type: 'TITLE', title }, transcript.nextSeq()); })
          .catch((error: unknown) => log.warn('the title was not stored', { error: error instanceof Error ? error.message : String(error) }));
      }
      checkpointer.start();
      promptEstimate = history.reduce((sum, message) => sum + estimateTokens(message.content), estimateTokens(conversation.systemPrompt ?? ''));
      // No more output than the turn reserved of the day's quota, so a reply can't cross it by more (resolvers/quota.ts).
      const maxTokens = Math.min(config.maxTokens, claimed.reservation?.outputTokens ?? config.maxTokens);
      const request = buildPrompt({
        model: conversation.model ?? config.modelId, maxTokens, systemPrompt: conversation.systemPrompt, history, attachments: files,
        ...(config.claude.provider === 'anthropic' ? { userId: event.owner } : {}),
      });
      // A resumed reply: the client tools' results go out as TOOL_RESULT events, then the reply's own turns so far.
      if (event.resume) {
        answerClientCalls(transcript, claimed.toolResults, publish);
        request.messages = [...request.messages, ...replayTurns(transcript.blocks)];
      }
      const toolContext: ToolContext = {
        owner: event.owner, userToken: event.userToken, graphqlUrl: config.graphqlUrl, signal: abort.signal, now,
      };
      const loop = await toolLoop(client, request, {
        tools: deps.tools, clientTools: claimed.clientTools.map(clientToolDefinition), roundsDone: roundsIn(transcript.blocks),
        maxRounds: config.toolMaxIterations, maxTokens, thinkingBudget: conversation.thinkingBudgetTokens ?? undefined, toolContext, transcript, coalescer, publish,
        signal: abort.signal, retryPolicy: deps.retryPolicy,
        onFirstOutput: () => {
          timeToFirstTokenMs ??= now() - started;
        },
        onRetry: (attempt, delayMs, error) => {
          retries += 1;
          log.warn('the model failed before its first token; retrying', { attempt, delayMs, reason: failureReason(error) });
        },
        onCall: (usage) => {
          modelCalls += 1;
          used = addUsage(used, usage);
        },
        onToolRun: () => {
          toolRuns += 1;
        },
      });
      outcome = { ...loop, usage: used };
    }
  } catch (error) {
    if (error instanceof ModelStreamError) used = addUsage(used, error.usage);
    failure = error;
  }

  // Everything the model said goes out before the final event; then nothing else writes before the final write.
  coalescer.flush();
  clearTimeout(deadlineTimer);
  await checkpointer.stop();
  await titling;
  const ended = finalReply(transcript, outcome, used, failure, interruption, log);
  const reply = claimed.usage ? { ...ended, messageUsage: addUsage(claimed.usage, ended.usage) } : ended;
  try {
    await finishReply(event, reply, { db, tableName: config.tableName, now: now(), writes, log, reservation: claimed.reservation, promptEstimate });
  } finally {
    publisher.enqueue(finalEvent(event, reply));
    await publisher.idle();
  }
  return {
    outcome: 'finished', status: reply.status, writes: writes.count, publishes: publisher.published, publishFailures: publisher.failed,
    deltas: coalescer.flushes, retries, modelCalls, toolRuns, usage: reply.usage, ...(timeToFirstTokenMs === undefined ? {} : { timeToFirstTokenMs }),
  };
}

/** The final state from how the stream ended. Takes the DONE/ERROR event's seq. */
function finalReply(transcript: Transcript, outcome: (Omit<StreamOutcome, 'content'> & { paused?: boolean }) | undefined, used: TokenUsage, failure: unknown, interruption: Interruption | undefined, log: ReplyLog): FinalReply {
  const { content, blocks } = transcript.snapshot();
  const base = { content, blocks, seq: transcript.nextSeq() };
  if (failure === undefined && outcome?.paused) return { ...base, status: 'AWAITING_TOOL_RESULT', usage: used, stopReason: 'tool_use', error: null };
  // A tool call still RUNNING, or awaiting a client's result, never got it (a stop, a failure, the deadline): it ended in error.
  for (const block of blocks) if (block.type === 'TOOL_USE' && (block.status === 'RUNNING' || block.status === 'AWAITING_RESULT')) block.status = 'ERROR';
  if (failure !== undefined) {
    const usage = usageSoFar(used, content);
    if (failure instanceof ModelStreamError) {
      const reason = failureReason(failure.cause);
      log.warn('the model failed', { reason, afterFirstToken: failure.afterFirstToken, error: failure.message });
      const afterOutput = failure.afterFirstToken || blocks.length > 0;
      return { ...base, status: 'ERROR', usage, stopReason: null, error: afterOutput ? MESSAGES.midReply(reason) : MESSAGES.noAnswer(reason) };
    }
    log.error('the reply failed', { error: failure instanceof Error ? (failure.stack ?? failure.message) : JSON.stringify(failure) });
    return { ...base, status: 'ERROR', usage, stopReason: null, error: MESSAGES.internal };
  }
  if (outcome?.completed) return { ...base, status: 'COMPLETE', usage: used, stopReason: outcome.stopReason, error: null };
  switch (interruption) {
    case 'deadline':
      return { ...base, status: 'ERROR', usage: usageSoFar(used, content), stopReason: null, error: MESSAGES.deadline };
    case 'lost':
      return { ...base, status: 'ERROR', usage: usageSoFar(used, content), stopReason: null, error: MESSAGES.lost };
    default:
      return { ...base, status: 'STOPPED', usage: usageSoFar(used, content), stopReason: 'stop_requested', error: null };
  }
}
