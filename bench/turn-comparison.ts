// One 1,000-token reply two ways, at the same time, from the same stand-in: the chat function (sendMessage) and
// the AI kit baseline relay. Publishes are counted at the real-time hub, DynamoDB writes at counting proxies.
import { randomUUID } from 'node:crypto';
import { relayLikeAiKit } from './ai-kit-relay.ts';
import { startCountingProxy, type DbCounts } from './dynamodb-proxy.ts';
import type { Rig } from './rig.ts';
import { replyText } from './subscriber.ts';

export interface Side { publishes: number; publishBytes: number; db: DbCounts; deltas: number }

export interface Comparison {
  tokens: number;
  ours: Side & { summary: Record<string, unknown> };
  baseline: Side;
}

export const REPLY_TOKENS = 1000;

export async function compareOneReply(rig: Rig): Promise<Comparison> {
  rig.claude.setPacing({ tokensPerSecond: 200, firstTokenDelayMs: 0 });
  const who = await rig.newUser('compare');
  const chat = await rig.chat(who, 'bench');
  const { subscriber } = chat;
  const baselineConversation = await rig.conversation(who, 'baseline');
  const baselineDb = await startCountingProxy(rig.sandbox.dynamodb.endpoint);
  const directive = `[[standin:tokens=${REPLY_TOKENS}]]`;
  try {
    rig.functionDb.reset();
    const streamsBefore = rig.claude.streams.length;
    const baselineId = `baseline-${randomUUID()}`;
    const [turn, baseline] = await Promise.all([
      rig.send(chat, `${directive} Tell me a long story.`),
      relayLikeAiKit(
        rig, baselineDb.url,
        { owner: who.sub, conversationId: baselineConversation, messageId: baselineId, content: `${directive} Tell me a long story.` },
      ),
    ]);
    await subscriber.ended(turn.reply.id, 60_000);
    const summary = await rig.replySummary(turn.reply.id);
    const ourText = replyText(subscriber.received, turn.reply.id);
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
