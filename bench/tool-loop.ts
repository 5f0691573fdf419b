// Tool-loop overhead for a pure tool: from the model's tool_use block being complete (the stand-in writes its
// content_block_stop) to the next model request, carrying the tool_result, whole at the stand-in; less the tool's
// own run time. The reply calls current_time (`[[standin:tool=current_time {...}]]`).
//
// Two ways, alternating reply by reply:
// - in process: the chat function's writeReply (sources, not the bundle) run by the bench against the rig's DynamoDB,
//   AppSync (publishes signed as the function signs them) and timed stand-in, with the catalog's runner wrapped to
//   time each run, so each reply's tool time is subtracted exactly. It shares the bench's thread with the sandbox.
// - through the sandbox: sendMessage, and the bundled function in its own Lambda worker, as the other rows run it.
//   The tool runs inside the bundle, where it cannot be timed: its time is not subtracted (the in-process runs give
//   its size).
import Anthropic from '@anthropic-ai/sdk';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { readConfig } from '../functions/chat/config.ts';
import type { ChatEvent } from '../functions/chat/event.ts';
import { writeReply, type ReplyLog } from '../functions/chat/reply.ts';
import { toolRunnerFromCatalog } from '../functions/chat/tools/catalog.ts';
import type { ToolRunner } from '../functions/chat/tools/types.ts';
import { DEFAULT_TOOLS, validateTools } from '../infra/tools.ts';
import { conversationSk, messageSk, messagesPk, recencySk, userPk } from '../resolvers/keys.ts';
import type { User } from '../test/e2e/product.ts';
import { toolGaps } from './model-frames.ts';
import type { Bench, Row } from './results.ts';
import type { Rig } from './rig.ts';
import { median, now, percentile, round } from './stats.ts';

/** Warm replies each way (after one to warm up, reported apart). */
const REPLIES = 15;
const GOAL_P50_MS = 30;
const CONTENT = 'What time is it in Paris? [[standin:tool=current_time {"timeZone":"Europe/Paris"}]]';

interface Sample { gapMs: number; toolMs: number; overheadMs: number }

/** The chat function's writeReply in the bench's process, its tool runner timed. */
function inProcessReply(rig: Rig) {
  const spec = rig.sandbox.template.functions.find((f) => f.environment['FLUSH_MS'] !== undefined);
  if (!spec) throw new Error('the template has no chat function (FLUSH_MS)');
  const config = readConfig({
    ...spec.environment, TABLE_NAME: rig.tableName, GRAPHQL_URL: rig.sandbox.urls.graphql, AWS_REGION: rig.sandbox.template.region,
    CLAUDE_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: 'bench',
  });
  const db = DynamoDBDocumentClient.from(rig.sandbox.dynamodb.client, { marshallOptions: { removeUndefinedValues: true } });
  const claude = new Anthropic({ apiKey: 'bench', maxRetries: 0, baseURL: rig.claude.url });
  const catalog = toolRunnerFromCatalog(validateTools(DEFAULT_TOOLS));
  /** Each tool run's time, by tool_use id. */
  const toolMs = new Map<string, number>();
  const tools: ToolRunner = {
    definitions: catalog.definitions,
    run: async (call, context) => {
      const started = now();
      try {
        return await catalog.run(call, context);
      } finally {
        toolMs.set(call.id, now() - started);
      }
    },
  };
  const problems: string[] = [];
  const log: ReplyLog = {
    info: () => undefined,
    warn: (message) => problems.push(message),
    error: (message) => problems.push(message),
  };
  const send = rig.publisher();
  // Ids as sendMessage makes them: ULIDs, so the messages sort in the order they were written.
  const ulid = monotonicFactory();

  /** A conversation, its user message and the PENDING reply, as sendMessage writes them (without a quota reservation). */
  const seed = async (who: User): Promise<ChatEvent> => {
    const conversationId = ulid();
    const userMessageId = ulid();
    const replyId = ulid();
    const at = new Date().toISOString();
    const pk = messagesPk(who.sub, conversationId);
    const message = { pk, conversationId, status: 'COMPLETE', seq: 0, createdAt: at, updatedAt: at };
    await db.send(new PutCommand({ TableName: config.tableName, Item: { ...message, sk: messageSk(userMessageId), id: userMessageId, role: 'USER', content: CONTENT } }));
    await db.send(new PutCommand({ TableName: config.tableName, Item: {
      ...message, sk: messageSk(replyId), id: replyId, role: 'ASSISTANT', content: '', status: 'PENDING', replyTo: userMessageId, stopRequested: false,
    } }));
    await db.send(new PutCommand({ TableName: config.tableName, Item: {
      pk: userPk(who.sub), sk: conversationSk(conversationId), id: conversationId, title: 'tool loop', model: config.modelId, systemPrompt: null,
      thinkingBudgetTokens: null, createdAt: at, updatedAt: at, messageCount: 2, activeReplyId: replyId, gsi1pk: userPk(who.sub), gsi1sk: recencySk(at, conversationId),
    } }));
    return { owner: who.sub, conversationId, replyId, userMessageId, userToken: who.idToken };
  };

  return async (who: User): Promise<Sample> => {
    const event = await seed(who);
    const before = rig.claude.requests.length;
    const summary = await writeReply(event, { config, db, claude: () => Promise.resolve(claude), send, log, tools });
    if (summary.status !== 'COMPLETE' || summary.toolRuns !== 1) {
      throw new Error(`in-process reply ended ${summary.status} with ${summary.toolRuns} tool runs${problems.length > 0 ? `: ${problems.join('; ')}` : ''}`);
    }
    const [gap] = toolGaps(rig.claude.requests.slice(before));
    if (!gap) throw new Error('the stand-in saw no tool_result for the in-process reply\'s tool_use');
    const ms = toolMs.get(gap.id) ?? Number.NaN;
    return { gapMs: gap.gapMs, toolMs: ms, overheadMs: gap.gapMs - ms };
  };
}

/** sendMessage and the sandbox's own (bundled) chat function; the tool's time is inside the gap. */
async function sandboxReply(rig: Rig, who: User): Promise<number> {
  const chat = await rig.chat(who, 'tool loop');
  try {
    const before = rig.claude.requests.length;
    const replyId = await rig.reply(chat, CONTENT, 30_000);
    const summary = await rig.replySummary(replyId);
    if (summary['status'] !== 'COMPLETE' || summary['toolRuns'] !== 1) throw new Error(`sandbox reply ended ${String(summary['status'])} with ${String(summary['toolRuns'])} tool runs`);
    const [gap] = toolGaps(rig.claude.requests.slice(before));
    if (!gap) throw new Error('the stand-in saw no tool_result for the sandbox reply\'s tool_use');
    return gap.gapMs;
  } finally {
    chat.subscriber.close();
  }
}

const figures = (values: readonly number[]): { p50: number; p90: number } => ({ p50: round(median(values), 2), p90: round(percentile(values, 90), 2) });

export const toolLoop: Bench = {
  name: 'tool-loop',
  metric: 'tool-loop overhead, tool_use complete -> next model request with the tool_result, less the tool\'s time (current_time, in process), p50',
  goal: `p50 <= ${GOAL_P50_MS} ms`,
  async run(context): Promise<Row[]> {
    const rig = await context.rig();
    rig.claude.setPacing({ tokensPerSecond: 200, firstTokenDelayMs: 0 });
    const who = await rig.newUser('tool-loop');
    const inProcess = inProcessReply(rig);
    const local: Sample[] = [];
    const viaSandbox: number[] = [];
    context.progress(`1 reply each way to warm up, then ${REPLIES} each way, alternating, calling current_time at 200 tokens/s`);
    for (let reply = 0; reply <= REPLIES; reply += 1) {
      local.push(await inProcess(who));
      viaSandbox.push(await sandboxReply(rig, who));
    }
    const [coldLocal, ...warmLocal] = local;
    const [coldSandbox, ...warmSandbox] = viaSandbox;
    const overhead = figures(warmLocal.map((s) => s.overheadMs));
    const tool = figures(warmLocal.map((s) => s.toolMs));
    const gap = figures(warmLocal.map((s) => s.gapMs));
    const sandbox = figures(warmSandbox);
    const sandboxMetric = 'tool-loop overhead through sendMessage and the sandbox\'s Lambda (bundled function; tool time not subtracted), p50';
    return [
      {
        bench: 'tool-loop',
        metric: this.metric,
        value: `p50 ${overhead.p50} ms, p90 ${overhead.p90} ms (tool itself p50 ${tool.p50} ms)`,
        goal: this.goal,
        meets: warmLocal.length > 0 ? overhead.p50 <= GOAL_P50_MS : null,
        details: {
          replies: warmLocal.length, tokensPerSecond: 200, overheadMs: overhead, gapMs: gap, toolMs: tool,
          samples: warmLocal.map((s) => ({ gapMs: round(s.gapMs, 2), toolMs: round(s.toolMs, 3) })),
          cold: coldLocal ? { gapMs: round(coldLocal.gapMs, 2), toolMs: round(coldLocal.toolMs, 3) } : null,
        },
      },
      {
        bench: 'tool-loop',
        metric: sandboxMetric,
        value: `p50 ${sandbox.p50} ms, p90 ${sandbox.p90} ms`,
        goal: this.goal,
        meets: warmSandbox.length > 0 ? sandbox.p50 <= GOAL_P50_MS : null,
        details: { replies: warmSandbox.length, gapMs: sandbox, samples: warmSandbox.map((v) => round(v, 2)), coldMs: coldSandbox === undefined ? null : round(coldSandbox, 2) },
      },
    ];
  },
};
