// Relay lag with extended thinking on, next to thinking off, in one load: half the streams in conversations created
// with a thinking budget (the stand-in opens each answer with a thinking block: `[[standin:think]]`), half without,
// all at once, from the same stand-in and pacing. The lag is relay-lag.ts's (a text_delta written by the stand-in ->
// the subscriber receiving the event that carries it), so the ratio says what thinking adds to the relay of the text.
// A round of short replies first warms the 20 function environments (a cold start lands on whichever side streams
// text first: thinking off); then two measured rounds, each side's lags pooled.
import { CREATE_CONVERSATION, api, type User } from '../test/e2e/product.ts';
import { lagsOfStreams, summary, type LagRun, type Stream } from './relay-lag.ts';
import type { Bench, Row } from './results.ts';
import type { Chat, Rig } from './rig.ts';
import { percentile, round } from './stats.ts';

const STREAMS_EACH = 10;
const TOKENS = 300;
const TOKENS_PER_SECOND = 200;
const THINKING_BUDGET = 1024;
const GOAL_RATIO = 1.1;
const ROUNDS = 2;

async function thinkingChat(rig: Rig, who: User): Promise<Chat> {
  const answer = await api(rig.sandbox, who)(CREATE_CONVERSATION, { input: { title: 'thinking on', thinkingBudgetTokens: THINKING_BUDGET } });
  const created = answer.body.data?.createConversation as { id: string } | undefined;
  if (!created) throw new Error(`createConversation with thinking failed: ${JSON.stringify(answer.body)}`);
  return { who, conversationId: created.id, subscriber: await rig.subscribe(who, created.id) };
}

export const thinkingRelayLag: Bench = {
  name: 'thinking-relay-lag',
  metric: `relay lag p99 with thinking on vs off, ${STREAMS_EACH} + ${STREAMS_EACH} concurrent streams, ${ROUNDS} rounds pooled`,
  goal: `on/off <= ${GOAL_RATIO}`,
  async run(context): Promise<Row[]> {
    const rig = await context.rig();
    rig.claude.setPacing({ tokensPerSecond: TOKENS_PER_SECOND, firstTokenDelayMs: 0 });
    const chats: { chat: Chat; thinking: boolean }[] = [];
    // Signed in one at a time, as relay-lag.ts does, and not measured.
    for (let i = 0; i < STREAMS_EACH; i += 1) {
      const who = await rig.newUser('thinking-lag');
      chats.push({ chat: await thinkingChat(rig, who), thinking: true }, { chat: await rig.chat(who, 'thinking off'), thinking: false });
    }
    context.progress('warming the 20 function environments with a short reply each');
    const warm = await Promise.all(chats.map(async ({ chat }, i) => ({ subscriber: chat.subscriber, replyId: (await rig.send(chat, `[[standin:tokens=5]] warm ${i}`)).reply.id })));
    await Promise.all(warm.map((w) => w.subscriber.ended(w.replyId, 90_000)));
    const on: LagRun = { lags: [], modelDeltas: 0, unmatchedStreams: 0 };
    const off: LagRun = { lags: [], modelDeltas: 0, unmatchedStreams: 0 };
    for (let round = 1; round <= ROUNDS; round += 1) {
      context.progress(`round ${round}/${ROUNDS}: ${STREAMS_EACH} replies with thinking and ${STREAMS_EACH} without, ${TOKENS} text tokens each at ${TOKENS_PER_SECOND} tokens/s, all at once`);
      const before = rig.claude.streams.length;
      const sent = await Promise.all(chats.map(async ({ chat, thinking }, i) => {
        const turn = await rig.send(chat, `${thinking ? '[[standin:think]] ' : ''}[[standin:tokens=${TOKENS}]] stream ${i} round ${round}`);
        const stream: Stream = { subscriber: chat.subscriber, replyId: turn.reply.id };
        return { stream, thinking };
      }));
      await Promise.all(sent.map(({ stream }) => stream.subscriber.ended(stream.replyId, 90_000)));
      const models = rig.claude.streams.slice(before);
      const last = round === ROUNDS;
      for (const [side, thinking] of [[on, true], [off, false]] as const) {
        const run = lagsOfStreams(sent.filter((s) => s.thinking === thinking).map((s) => s.stream), models, last);
        side.lags.push(...run.lags);
        side.modelDeltas += run.modelDeltas;
        side.unmatchedStreams += run.unmatchedStreams;
      }
    }
    const [p99On, p99Off] = [percentile(on.lags, 99), percentile(off.lags, 99)];
    const ratio = p99On / p99Off;
    return [{
      bench: 'thinking-relay-lag',
      metric: this.metric,
      value: `on p50 ${round(percentile(on.lags, 50))} ms, p99 ${round(p99On)} ms; off p50 ${round(percentile(off.lags, 50))} ms, p99 ${round(p99Off)} ms; p99 on/off ${round(ratio, 2)}`,
      goal: this.goal,
      meets: on.lags.length > 0 && off.lags.length > 0 ? ratio <= GOAL_RATIO : null,
      details: { streamsEach: STREAMS_EACH, rounds: ROUNDS, tokensPerStream: TOKENS, tokensPerSecond: TOKENS_PER_SECOND, thinkingBudgetTokens: THINKING_BUDGET, flushMs: rig.flushMs, on: summary(on), off: summary(off) },
    }];
  },
};
