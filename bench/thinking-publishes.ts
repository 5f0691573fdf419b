// AppSync publishes per 1,000 output tokens with extended thinking on, next to the same reply with thinking off:
// both through sendMessage and the chat function, at the same time, from the same stand-in and pacing (200 tokens/s,
// as the publishes row). Thinking is on for a conversation created with thinkingBudgetTokens; the stand-in opens its
// answer with a thinking block when the request enables thinking and the message says `[[standin:think]]`.
import { CREATE_CONVERSATION, api, type User } from '../test/e2e/product.ts';
import { perThousand, ratioOf } from './model-frames.ts';
import type { Bench, Row } from './results.ts';
import type { Chat, Rig } from './rig.ts';
import { round } from './stats.ts';

/** Reply pairs (one with thinking, one without, at the same time); their counts are added up. */
const PAIRS = 3;
const TEXT_TOKENS = 1000;
const THINKING_BUDGET = 1024;
const GOAL_RATIO = 1.1;

interface Side { replies: number; publishes: number; outputTokens: number; loggedPublishes: number; thinkingEvents: number; deltaEvents: number }

const emptySide = (): Side => ({ replies: 0, publishes: 0, outputTokens: 0, loggedPublishes: 0, thinkingEvents: 0, deltaEvents: 0 });

/** A conversation of `who`'s with thinking on, subscribed to. */
async function thinkingChat(rig: Rig, who: User): Promise<Chat> {
  const answer = await api(rig.sandbox, who)(CREATE_CONVERSATION, { input: { title: 'thinking on', thinkingBudgetTokens: THINKING_BUDGET } });
  const created = answer.body.data?.createConversation as { id: string } | undefined;
  if (!created) throw new Error(`createConversation with thinking failed: ${JSON.stringify(answer.body)}`);
  return { who, conversationId: created.id, subscriber: await rig.subscribe(who, created.id) };
}

/** One reply in `chat`, to its end; what the hub, the function's log line and the subscriber saw of it, added to `side`. */
async function replyInto(rig: Rig, chat: Chat, content: string, side: Side): Promise<void> {
  const turn = await rig.send(chat, content);
  await chat.subscriber.ended(turn.reply.id, 60_000);
  const summary = await rig.replySummary(turn.reply.id);
  const events = chat.subscriber.received.filter((r) => r.event.messageId === turn.reply.id);
  side.replies += 1;
  side.publishes += rig.publishes.get(turn.reply.id)?.events ?? 0;
  side.outputTokens += (summary['usage'] as { outputTokens?: number } | undefined)?.outputTokens ?? 0;
  side.loggedPublishes += Number(summary['publishes'] ?? 0);
  side.thinkingEvents += events.filter((r) => r.event.type === 'THINKING_DELTA').length;
  side.deltaEvents += events.filter((r) => r.event.type === 'DELTA').length;
}

export const thinkingPublishes: Bench = {
  name: 'thinking-publishes',
  metric: 'AppSync publishes per 1,000 output tokens, thinking on vs off',
  goal: `on/off <= ${GOAL_RATIO}`,
  async run(context): Promise<Row[]> {
    const rig = await context.rig();
    rig.claude.setPacing({ tokensPerSecond: 200, firstTokenDelayMs: 0 });
    const who = await rig.newUser('thinking');
    const on = emptySide();
    const off = emptySide();
    const content = `[[standin:think]] [[standin:tokens=${TEXT_TOKENS}]] Think first, then tell me a long story.`;
    context.progress(`${PAIRS} pairs of ${TEXT_TOKENS}-token replies, thinking on (budget ${THINKING_BUDGET}) and off, each pair at the same time, 200 tokens/s`);
    for (let pair = 0; pair < PAIRS; pair += 1) {
      const [thinking, plain] = await Promise.all([thinkingChat(rig, who), rig.chat(who, 'thinking off')]);
      try {
        await Promise.all([replyInto(rig, thinking, content, on), replyInto(rig, plain, content, off)]);
      } finally {
        thinking.subscriber.close();
        plain.subscriber.close();
      }
    }
    // A reply with thinking on that streamed no thinking measures nothing about thinking.
    if (on.thinkingEvents === 0) throw new Error('the replies with thinking on published no THINKING_DELTA');
    const onRate = perThousand(on.publishes, on.outputTokens);
    const offRate = perThousand(off.publishes, off.outputTokens);
    const ratio = ratioOf(onRate, offRate);
    return [{
      bench: 'thinking-publishes',
      metric: this.metric,
      value: `${round(onRate, 1)} vs ${round(offRate, 1)}: ratio ${round(ratio, 2)}`,
      goal: this.goal,
      meets: Number.isNaN(ratio) ? null : ratio <= GOAL_RATIO,
      details: { pairs: PAIRS, textTokens: TEXT_TOKENS, thinkingBudgetTokens: THINKING_BUDGET, flushMs: rig.flushMs, tokensPerSecond: 200, on, off },
    }];
  },
};
