// Relay lag with extended thinking on, next to thinking off: rounds of 20 streams at once, all in conversations created
// with a thinking budget (the stand-in opens each answer with a thinking block: `[[standin:think]]`) or all without,
// from the same stand-in and pacing, in the order on, off, off, on, off, on, on, off, each side's lags pooled. The lag
// is relay-lag.ts's (a text_delta written by the stand-in -> the subscriber receiving the event that carries it), so
// the ratio says what thinking adds to the relay of the text. Rounds of one kind, not both kinds at once: with both at
// once the thinking replies' text came after the others' and met their ends (final writes), which the ratio counted
// against thinking.
// Two unmeasured rounds first, one of each kind at full length, warm the 20 function environments and the paths a
// long reply takes (checkpoints, timed flushes, thinking blocks): the first full-length round after short warm-up
// replies had a p99 ~1.5x the later rounds', whichever kind it was (bench/README.md, "Thinking relay lag: warm-up").
import { CREATE_CONVERSATION, api, type User } from '../test/e2e/product.ts';
import { lagsOfStreams, summary, type LagRun, type Stream } from './relay-lag.ts';
import type { Bench, Row } from './results.ts';
import type { Chat, Rig } from './rig.ts';
import { middle, percentile, round } from './stats.ts';

const STREAMS = 20;
const TOKENS = 300;
const TOKENS_PER_SECOND = 200;
const THINKING_BUDGET = 1024;
const GOAL_RATIO = 1.1;
/** Thinking on or off, round by round: ABBA twice, each side first and last once, and as often in each position. */
const ORDER = [true, false, false, true, false, true, true, false] as const;

async function thinkingChat(rig: Rig, who: User): Promise<Chat> {
  const answer = await api(rig.sandbox, who)(CREATE_CONVERSATION, { input: { title: 'thinking on', thinkingBudgetTokens: THINKING_BUDGET } });
  const created = answer.body.data?.createConversation as { id: string } | undefined;
  if (!created) throw new Error(`createConversation with thinking failed: ${JSON.stringify(answer.body)}`);
  return { who, conversationId: created.id, subscriber: await rig.subscribe(who, created.id) };
}

export const thinkingRelayLag: Bench = {
  name: 'thinking-relay-lag',
  metric: `relay lag p99 with thinking on vs off, rounds of ${STREAMS} concurrent streams (on, off, off, on, off, on, on, off), median round`,
  goal: `on/off <= ${GOAL_RATIO}`,
  async run(context): Promise<Row[]> {
    const rig = await context.rig();
    rig.claude.setPacing({ tokensPerSecond: TOKENS_PER_SECOND, firstTokenDelayMs: 0 });
    const pairs: { on: Chat; off: Chat }[] = [];
    // Signed in one at a time, as relay-lag.ts does, and not measured.
    for (let i = 0; i < STREAMS; i += 1) {
      const who = await rig.newUser('thinking-lag');
      pairs.push({ on: await thinkingChat(rig, who), off: await rig.chat(who, 'thinking off') });
    }
    for (const thinking of [false, true]) {
      context.progress(`warming ${STREAMS} function environments: a reply ${thinking ? 'with' : 'without'} thinking each, at full length, not measured`);
      const warm = await Promise.all(pairs.map(async (pair, i) => {
        const chat = thinking ? pair.on : pair.off;
        return { subscriber: chat.subscriber, replyId: (await rig.send(chat, `${thinking ? '[[standin:think]] ' : ''}[[standin:tokens=${TOKENS}]] warm ${i}`)).reply.id };
      }));
      await Promise.all(warm.map((w) => w.subscriber.ended(w.replyId, 90_000)));
    }
    const on: LagRun = { lags: [], modelDeltas: 0, unmatchedStreams: 0 };
    const off: LagRun = { lags: [], modelDeltas: 0, unmatchedStreams: 0 };
    const roundP99s = { on: [] as number[], off: [] as number[] };
    const roundP90s = { on: [] as number[], off: [] as number[] };
    for (const [index, thinking] of ORDER.entries()) {
      context.progress(`round ${index + 1}/${ORDER.length}: ${STREAMS} replies ${thinking ? 'with' : 'without'} thinking, ${TOKENS} text tokens each at ${TOKENS_PER_SECOND} tokens/s, all at once`);
      const before = rig.claude.streams.length;
      const streams = await Promise.all(pairs.map(async (pair, i): Promise<Stream> => {
        const chat = thinking ? pair.on : pair.off;
        const turn = await rig.send(chat, `${thinking ? '[[standin:think]] ' : ''}[[standin:tokens=${TOKENS}]] stream ${i} round ${index + 1}`);
        return { subscriber: chat.subscriber, replyId: turn.reply.id };
      }));
      await Promise.all(streams.map((stream) => stream.subscriber.ended(stream.replyId, 90_000)));
      // The subscribers close after the last round of their side.
      const run = lagsOfStreams(streams, rig.claude.streams.slice(before), index === ORDER.lastIndexOf(thinking));
      const side = thinking ? on : off;
      side.lags.push(...run.lags);
      side.modelDeltas += run.modelDeltas;
      side.unmatchedStreams += run.unmatchedStreams;
      roundP99s[thinking ? 'on' : 'off'].push(round(percentile(run.lags, 99)));
      roundP90s[thinking ? 'on' : 'off'].push(round(percentile(run.lags, 90)));
    }
    // The row compares each side's typical round: the median of its four rounds' p99s. The p99 of all four pooled
    // moved by as much between two runs of the same plain replies on both sides (0.89-1.18, bench/README.md,
    // "Thinking relay lag: what noise allows"), since one slow round sets it.
    const [medianOn, medianOff] = [middle(roundP99s.on), middle(roundP99s.off)];
    const ratio = medianOn / medianOff;
    const pooledRatio = percentile(on.lags, 99) / percentile(off.lags, 99);
    return [{
      bench: 'thinking-relay-lag',
      metric: this.metric,
      value: `round p99, median of ${roundP99s.on.length}: on ${round(medianOn)} ms, off ${round(medianOff)} ms, on/off ${round(ratio, 2)} (pooled p99 on/off ${round(pooledRatio, 2)}; p50 on ${round(percentile(on.lags, 50))} ms, off ${round(percentile(off.lags, 50))} ms)`,
      goal: this.goal,
      meets: Number.isFinite(ratio) ? ratio <= GOAL_RATIO : null,
      details: { streams: STREAMS, order: ORDER.map((thinking) => (thinking ? 'on' : 'off')), tokensPerStream: TOKENS, tokensPerSecond: TOKENS_PER_SECOND, thinkingBudgetTokens: THINKING_BUDGET, flushMs: rig.flushMs, on: summary(on), off: summary(off), roundP99s, roundP90s },
    }];
  },
};
