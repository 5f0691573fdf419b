// One reply, start to end: claim, history, stream (coalesced publishes, checkpoints, stop), finish. Whatever
// happens after the claim, the reply ends in the finish step: it is never left STREAMING.
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conversationSk, messageSk, messagesPk, userPk } from '../../resolvers/keys.ts';
import { Checkpointer } from './checkpoint.ts';
import { claimReply } from './claim.ts';
import { Coalescer } from './coalescer.ts';
import type { ChatConfig } from './config.ts';
import type { ChatEvent, ReplyEventBody, TokenUsage } from './event.ts';
import { NO_USAGE } from './event.ts';
import { finalEvent, finishReply, type FinalReply, type FinalStatus } from './finish.ts';
import { estimateTokens, loadHistory } from './history.ts';
import { ModelStreamError, streamReply, type ClaudeClient, type StreamOutcome } from './model.ts';
import { buildPrompt } from './prompt.ts';
import { Publisher, type SendEvent } from './publisher.ts';
import { failureReason, type RetryPolicy } from './retry.ts';
import { WriteCounter } from './table.ts';
import { storeTitle, titleFrom } from './title.ts';
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
  timeToFirstTokenMs?: number;
  usage: TokenUsage;
}

/** Why a reply ended before the model finished it. */
type Interruption = 'stop' | 'lost' | 'deadline';

interface Conversation {
  title?: string | null;
  model?: string;
  systemPrompt?: string | null;
}

async function loadConversation(db: DynamoDBDocumentClient, tableName: string, event: ChatEvent): Promise<Conversation> {
  const answer = await db.send(new GetCommand({
    TableName: tableName,
    Key: { pk: userPk(event.owner), sk: conversationSk(event.conversationId) },
    ProjectionExpression: 'title, model, systemPrompt',
  }));
  if (!answer.Item) throw new Error('the conversation no longer exists');
  return answer.Item as Conversation;
}

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

export async function writeReply(event: ChatEvent, deps: ReplyDeps): Promise<ReplySummary> {
  const { config, db, log } = deps;
  const now = deps.now ?? Date.now;
  const writes = new WriteCounter();
  const started = now();
  // What the model call needs is read alongside the claim, not after it: one DynamoDB round trip less before the
  // first token. The reply's own item is PENDING or STREAMING, never in the history, so the order changes nothing.
  // A duplicate invocation wastes these reads; their failure matters only once the claim is ours.
  const needs = Promise.all([
    deps.claude(),
    loadConversation(db, config.tableName, event),
    loadHistory(db, event, { tableName: config.tableName, tokenBudget: config.historyTokenBudget, maxMessages: config.historyMaxMessages }),
  ]);
  needs.catch(() => undefined);
  const claimed = await claimReply(db, config.tableName, event, { leaseMs: config.leaseMs, now: started, writes });
  if (!claimed) {
    log.info('the reply is already taken: nothing to do');
    return { outcome: 'duplicate', writes: writes.count, publishes: 0, publishFailures: 0, deltas: 0, retries: 0, usage: NO_USAGE };
  }

  const transcript = new Transcript();
  // The publisher tells the coalescer when it caught up; the coalescer asks whether it has.
  const waiting: { coalescer?: Coalescer } = {};
  const publisher = new Publisher(deps.send, log, () => waiting.coalescer?.resume());
  const publish = (body: ReplyEventBody, seq: number): void =>
    publisher.enqueue({ ...body, conversationId: event.conversationId, messageId: event.replyId, owner: event.owner, seq });
  const coalescer = new Coalescer({
    flushMs: config.flushMs,
    maxChars: config.flushMaxChars,
    onFlush: (text) => publish({ type: 'DELTA', text }, transcript.appendDelta(text)),
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
  let timeToFirstTokenMs: number | undefined;
  let outcome: StreamOutcome | undefined;
  let failure: unknown;

  try {
    if (claimed.stopRequested) interrupt('stop');
    else {
      const [client, conversation, history] = await needs;
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
      outcome = await streamReply(client, buildPrompt({ model: conversation.model ?? config.modelId, maxTokens, systemPrompt: conversation.systemPrompt, history }), {
        signal: abort.signal,
        ...(deps.retryPolicy ? { policy: deps.retryPolicy } : {}),
        onText: (text) => {
          timeToFirstTokenMs ??= now() - started;
          coalescer.push(text);
        },
        onRetry: (attempt, delayMs, error) => {
          retries += 1;
          log.warn('the model failed before its first token; retrying', { attempt, delayMs, reason: failureReason(error) });
        },
      });
    }
  } catch (error) {
    failure = error;
  }

  // Everything the model said goes out before the final event; then nothing else writes before the final write.
  coalescer.flush();
  clearTimeout(deadlineTimer);
  await checkpointer.stop();
  await titling;
  const reply = finalReply(transcript, outcome, failure, interruption, log);
  try {
    await finishReply(event, reply, { db, tableName: config.tableName, now: now(), writes, log, reservation: claimed.reservation, promptEstimate });
  } finally {
    publisher.enqueue(finalEvent(event, reply));
    await publisher.idle();
  }
  return {
    outcome: 'finished', status: reply.status, writes: writes.count, publishes: publisher.published, publishFailures: publisher.failed,
    deltas: coalescer.flushes, retries, usage: reply.usage, ...(timeToFirstTokenMs === undefined ? {} : { timeToFirstTokenMs }),
  };
}

/** The final state from how the stream ended. Takes the DONE/ERROR event's seq. */
function finalReply(transcript: Transcript, outcome: StreamOutcome | undefined, failure: unknown, interruption: Interruption | undefined, log: ReplyLog): FinalReply {
  const content = transcript.text;
  const base = { content, seq: transcript.nextSeq() };
  if (failure !== undefined) {
    const usage = usageSoFar(failure instanceof ModelStreamError ? failure.usage : NO_USAGE, content);
    if (failure instanceof ModelStreamError) {
      const reason = failureReason(failure.cause);
      log.warn('the model failed', { reason, afterFirstToken: failure.afterFirstToken, error: failure.message });
      return { ...base, status: 'ERROR', usage, stopReason: null, error: failure.afterFirstToken ? MESSAGES.midReply(reason) : MESSAGES.noAnswer(reason) };
    }
    log.error('the reply failed', { error: failure instanceof Error ? (failure.stack ?? failure.message) : JSON.stringify(failure) });
    return { ...base, status: 'ERROR', usage, stopReason: null, error: MESSAGES.internal };
  }
  const usage = outcome ? outcome.usage : NO_USAGE;
  if (outcome?.completed) return { ...base, status: 'COMPLETE', usage, stopReason: outcome.stopReason, error: null };
  switch (interruption) {
    case 'deadline':
      return { ...base, status: 'ERROR', usage: usageSoFar(usage, content), stopReason: null, error: MESSAGES.deadline };
    case 'lost':
      return { ...base, status: 'ERROR', usage: usageSoFar(usage, content), stopReason: null, error: MESSAGES.lost };
    default:
      return { ...base, status: 'STOPPED', usage: usageSoFar(usage, content), stopReason: 'stop_requested', error: null };
  }
}
