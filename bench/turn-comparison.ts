// One 1,000-token reply two ways, at the same time, from the same stand-in: the chat function (sendMessage) and
// the AI kit baseline relay. Publishes are counted at the real-time hub, DynamoDB writes at counting proxies.
import { randomUUID } from 'node:crypto';
import { conversation, send } from '../test/e2e/product.ts';
import { relayLikeAiKit } from './ai-kit-relay.ts';
import { startCountingProxy, type DbCounts } from './dynamodb-proxy.ts';
import type { Rig } from './rig.ts';
import { timedSubscriber } from './subscriber.ts';

export interface Side { publishes: number; publishBytes: number; db: DbCounts; deltas: number }

export interface Comparison {
  tokens: number;
  ours: Side & { summary: Record<string, unknown> };
  baseline: Side;
}

export const REPLY_TOKENS = 1000;

export async function compareOneReply(rig: Rig): Promise<Comparison> {
  const { sandbox } = rig;
  rig.claude.setPacing({ tokensPerSecond: 200, firstTokenDelayMs: 0 });
  const who = await rig.newUser('compare');
  const conversationId = await conversation(sandbox, who, 'bench');
  const baselineConversation = await conversation(sandbox, who, 'baseline');
  const subscriber = await timedSubscriber(sandbox, who, conversationId);
  const baselineDb = await startCountingProxy(sandbox.dynamodb.endpoint);
  const directive = `[[standin:tokens=${REPLY_TOKENS}]]`;
  try {
    rig.functionDb.reset();
    const streamsBefore = rig.claude.streams.length;
    const baselineId = `baseline-${randomUUID()}`;
    const [turn, baseline] = await Promise.all([
      send(sandbox, who, conversationId, `${directive} Tell me a long story.`),
      relayLikeAiKit(
        { sandbox, claudeUrl: rig.claude.url, dynamoUrl: baselineDb.url, tableName: rig.tableName, modelId: rig.modelId },
        { owner: who.sub, conversationId: baselineConversation, messageId: baselineId, content: `${directive} Tell me a long story.` },
      ),
    ]);
    await subscriber.ended(turn.reply.id, 60_000);
    const summary = await rig.replySummary(turn.reply.id);
    const ourText = subscriber.received.filter((r) => r.event.messageId === turn.reply.id && r.event.type === 'DELTA').sort((a, b) => a.event.seq - b.event.seq).map((r) => r.event.text ?? '').join('');
    const ourStream = rig.claude.streams.slice(streamsBefore).find((s) => s.text === ourText);
    const ours = rig.publishes.get(turn.reply.id) ?? { events: 0, bytes: 0 };
    const theirs = rig.publishes.get(baselineId) ?? { events: 0, bytes: 0 };
    return {
      tokens: REPLY_TOKENS,
      ours: { publishes: ours.events, publishBytes: ours.bytes, db: rig.functionDb.counts(), deltas: ourStream?.deltas.length ?? 0, summary },
      baseline: { publishes: theirs.events, publishBytes: theirs.bytes, db: baselineDb.counts(), deltas: baseline.deltas },
    };
  } finally {
    subscriber.close();
    await baselineDb.close();
  }
}

/** Runs the comparison once per bench run, whichever of publishes and writes asks first. */
let shared: Promise<Comparison> | undefined;
export function sharedComparison(rig: Rig): Promise<Comparison> {
  shared ??= compareOneReply(rig);
  return shared;
}
