// A new conversation for the caller.
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from './errors.ts';
import { callerSub } from './identity.ts';
import { conversationSk, recencySk, userPk } from './keys.ts';
import type { Conversation, MutationCreateConversationArgs } from './schema-types.ts';
import { maxOutputTokens } from './quota.ts';
import { estimateTokens } from './tokens.ts';
import { MAX_SYSTEM_PROMPT_CHARS, MAX_TITLE_CHARS, optionalText } from './validation.ts';

export function request(ctx: Context<MutationCreateConversationArgs>) {
  const sub = callerSub(ctx);
  const input = ctx.args.input ?? {};
  // Only the models the API offers (MODELS, set by infra/): the chat function may call no other.
  const fallback = ctx.env.MODEL_ID ?? 'claude-sonnet-4-6';
  const offered = (ctx.env.MODELS ?? fallback).split(',');
  const model = optionalText(input.model, 'model', 100) ?? fallback;
  if (!offered.includes(model)) util.error(`model '${model}' is not offered by this API; choose one of: ${offered.join(', ')}.`, 'ValidationError');
  const id = util.autoUlid();
  const now = util.time.nowISO8601();
  const systemPrompt = optionalText(input.systemPrompt, 'systemPrompt', MAX_SYSTEM_PROMPT_CHARS);
  const thinkingBudgetTokens = thinkingBudget(input.thinkingBudgetTokens, maxOutputTokens(ctx.env));
  const item = {
    id,
    title: optionalText(input.title, 'title', MAX_TITLE_CHARS),
    model,
    systemPrompt,
    thinkingBudgetTokens,
    createdAt: now,
    updatedAt: now,
    messageCount: 0,
    // The context a first message is added to: what a turn reserves of the quota starts from it (quota.ts).
    contextTokens: estimateTokens(systemPrompt ?? ''),
    gsi1pk: userPk(sub),
    gsi1sk: recencySk(now, id),
  };
  return ddb.put<Record<string, unknown>>({ key: { pk: userPk(sub), sk: conversationSk(id) }, item, condition: { pk: { attributeExists: false } } });
}

/** The Messages API's rule for extended thinking: budget_tokens at least 1024 and below max_tokens. */
const MIN_THINKING_BUDGET = 1024;

function thinkingBudget(value: number | null | undefined, maxTokens: number): number | null {
  if (value === null || value === undefined) return null;
  if (value < MIN_THINKING_BUDGET || value >= maxTokens) {
    util.error(`thinkingBudgetTokens must be at least ${MIN_THINKING_BUDGET} and less than ${maxTokens} (the most output tokens a reply may use); got ${value}.`, 'ValidationError');
  }
  return value;
}

export function response(ctx: Context<MutationCreateConversationArgs>): Conversation {
  raiseDataSourceError(ctx.error);
  return ctx.result as Conversation;
}
