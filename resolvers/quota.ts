// The daily token quota (DAILY_TOKEN_QUOTA in the API's environment), today's date key, and the reservation every
// turn makes against the quota in the transaction that writes it (docs/architecture.md, "Limits and quotas").
import { util } from '@aws-appsync/utils';
import type { DynamoDBTransactWriteItemsRequest } from '@aws-appsync/utils';
import { usageSk, userPk } from './keys.ts';
import { estimateTokens } from './tokens.ts';

export const DEFAULT_DAILY_TOKEN_QUOTA = 200000;
/** infra/config.ts's maxTokens and historyTokenBudget, for an API whose environment does not carry them. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;
export const DEFAULT_HISTORY_TOKEN_BUDGET = 100000;

/** Usage items expire 90 days after their last update (as functions/chat/finish.ts sets them). */
const USAGE_TTL_SECONDS = 90 * 24 * 3600;

function positiveNumber(value: string | undefined, fallback: number): number {
  const configured = Number.parseInt(value ?? '', 10);
  return Number.isNaN(configured) || configured <= 0 ? fallback : configured;
}

export function dailyQuota(env: Record<string, string>): number {
  const configured = Number.parseInt(env.DAILY_TOKEN_QUOTA ?? '', 10);
  return Number.isNaN(configured) ? DEFAULT_DAILY_TOKEN_QUOTA : configured;
}

/** The most a reply may write: the output a turn reserves, and the chat function's max_tokens cap for it. */
export function maxOutputTokens(env: Record<string, string>): number {
  return positiveNumber(env.MAX_TOKENS, DEFAULT_MAX_OUTPUT_TOKENS);
}

export function today(): string {
  return util.time.nowFormatted('yyyy-MM-dd', 'Etc/UTC');
}

/** The day's usage item as the resolvers read it: what replies spent, and what is held (spent plus reservations). */
export interface DailyUsageItem {
  inputTokens?: number;
  outputTokens?: number;
  committedTokens?: number;
}

/** What a turn holds of a day's quota until its reply ends: stored on the reply, read by the chat function. */
export interface Reservation {
  day: string;
  tokens: number;
  /** The reply's max_tokens: the chat function asks the model for no more. */
  outputTokens: number;
}

export interface ConversationSize {
  /** Tokens of the context the next message is added to (system prompt and history kept), set by the chat function. */
  contextTokens?: number | null;
  messageCount?: number | null;
  systemPrompt?: string | null;
}

/**
 * An upper bound of a turn's prompt: the conversation's context after its last usable turn and the message
 * answered. A conversation from before contextTokens existed counts its whole history budget.
 */
export function promptEstimate(conversation: ConversationSize, content: string, env: Record<string, string>): number {
  const system = estimateTokens(conversation.systemPrompt ?? '');
  const history = (conversation.messageCount ?? 0) > 0 ? positiveNumber(env.HISTORY_TOKEN_BUDGET, DEFAULT_HISTORY_TOKEN_BUDGET) + system : system;
  return (conversation.contextTokens ?? history) + estimateTokens(content);
}

export interface ReservationPlan extends Reservation {
  /** What the day's usage held before this turn, for an item written before committedTokens existed. */
  spent: number;
  /** Given back in the same write: the reservation of a reply never claimed that this turn takes over. */
  released: number;
  /** The turn is admitted while what is held stays at most this: its prompt fits under the quota. */
  limit: number;
}

/** Refuses a turn (QuotaExceeded) once the day's tokens are spent; returns what was spent. */
export function requireTokensLeft(usage: DailyUsageItem | null | undefined, env: Record<string, string>): number {
  const quota = dailyQuota(env);
  const spent = (usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0);
  if (spent >= quota) util.error(`You have used your ${quota} tokens for today; the quota resets at midnight UTC.`, 'QuotaExceeded');
  return spent;
}

/**
 * Admits a turn whose prompt fits in what is left of today's quota, or refuses it with QuotaExceeded. Its reply may
 * then cross the quota by at most its max output, whatever other turns run at the same time.
 */
export function planReservation(usage: DailyUsageItem | null | undefined, prompt: number, env: Record<string, string>, released = 0): ReservationPlan {
  const quota = dailyQuota(env);
  const spent = requireTokensLeft(usage, env);
  // What replies spent and running turns hold; never less than what was spent (a reply sent before reservations
  // existed finishes without adding to committedTokens).
  const held = util.math.maxVal(usage?.committedTokens ?? spent, spent) - released;
  if (held + prompt > quota) {
    const inFlight = held > spent ? ` (replies still being written hold ${held - spent} of them)` : '';
    util.error(
      `This turn needs about ${prompt} tokens for the conversation and your message, and ${util.math.maxVal(0, quota - held)} of your ${quota} tokens for today are left${inFlight}. `
        + 'Try a shorter message or a new conversation, or wait until the quota resets at midnight UTC.',
      'QuotaExceeded',
    );
  }
  const outputTokens = maxOutputTokens(env);
  return { day: today(), tokens: prompt + outputTokens, outputTokens, spent, released, limit: quota - prompt + released };
}

export type TransactItem = DynamoDBTransactWriteItemsRequest['transactItems'][number];

/**
 * The reservation as one item of the turn's transaction: committedTokens (what replies spent plus what running turns
 * hold) grows by the reservation, on the condition that the turn's prompt still fits, so concurrent turns are
 * admitted one after another against the same count.
 */
export function reservationWrite(table: string, sub: string, plan: ReservationPlan): TransactItem {
  return {
    table,
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({ pk: userPk(sub), sk: usageSk(plan.day) }),
    update: {
      expression: 'SET #committed = if_not_exists(#committed, :spent) + :reserved, #expiresAt = :expiresAt',
      expressionNames: { '#committed': 'committedTokens', '#expiresAt': 'expiresAt' },
      expressionValues: util.dynamodb.toMapValues({ ':spent': plan.spent, ':reserved': plan.tokens - plan.released, ':expiresAt': util.time.nowEpochSeconds() + USAGE_TTL_SECONDS }),
    },
    condition: {
      expression: 'attribute_not_exists(#committed) OR #committed <= :limit',
      expressionNames: { '#committed': 'committedTokens' },
      expressionValues: util.dynamodb.toMapValues({ ':limit': plan.limit }),
      returnValuesOnConditionCheckFailure: false,
    },
  };
}

/** The reservation to give back when a turn takes over a reply whose function never claimed it (still PENDING). */
export function unclaimedReservation(reply: { status?: string; reservation?: Reservation | null } | null | undefined): number {
  if (reply?.status !== 'PENDING' || !reply.reservation || reply.reservation.day !== today()) return 0;
  return reply.reservation.tokens;
}

/**
 * Raises why a turn's transaction was cancelled: QuotaExceeded when the reservation alone failed its condition
 * (concurrent turns took what was left), else Conflict with the caller's message (another reply started, the same
 * message sent twice at once, a write racing this one on the same item).
 */
export function raiseCancelledTurn(reasons: string[], reservationIndex: number, env: Record<string, string>, conflict: string): never {
  const failed = reasons.filter((reason) => reason !== 'None');
  if (failed.length === 1 && reasons[reservationIndex] === 'ConditionalCheckFailed') {
    util.error(`Replies being written now hold the rest of your ${dailyQuota(env)} tokens for today; try again when they end, or after the quota resets at midnight UTC.`, 'QuotaExceeded');
  }
  return util.error(conflict, 'Conflict');
}
