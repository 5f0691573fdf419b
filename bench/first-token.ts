// Time to first token overhead: sendMessage sent -> first DELTA received, less the stand-in's own first-token
// delay. Warm function (one turn first, reported apart as the cold figure).
import type { Bench, Row } from './results.ts';
import { median, now, percentile, round } from './stats.ts';

const FIRST_TOKEN_DELAY_MS = 200;
const TURNS = 10;

export const firstToken: Bench = {
  name: 'first-token',
  metric: 'time to first token overhead (sendMessage -> first DELTA, less the stand-in delay), warm p50',
  goal: 'p50 <= 40 ms',
  async run(context): Promise<Row[]> {
    const rig = await context.rig();
    rig.claude.setPacing({ tokensPerSecond: 200, firstTokenDelayMs: FIRST_TOKEN_DELAY_MS });
    const who = await rig.newUser('first-token');
    const overheads: number[] = [];
    const beforeModel: number[] = [];
    context.progress(`1 turn to warm up, then ${TURNS} turns, stand-in first-token delay ${FIRST_TOKEN_DELAY_MS} ms`);
    for (let turn = 0; turn <= TURNS; turn += 1) {
      const chat = await rig.chat(who, 'first token');
      const streamsBefore = rig.claude.streams.length;
      const sentAt = now();
      const replyId = await rig.reply(chat, `[[standin:tokens=20]] turn ${turn}`);
      const first = chat.subscriber.received.find((r) => r.event.messageId === replyId && r.event.type === 'DELTA');
      const model = rig.claude.streams.slice(streamsBefore)[0];
      chat.subscriber.close();
      if (!first) continue;
      overheads.push(first.at - sentAt - FIRST_TOKEN_DELAY_MS);
      if (model) beforeModel.push(model.arrivedAt - sentAt);
    }
    const [cold, ...warm] = overheads;
    const p50 = median(warm);
    return [{
      bench: 'first-token',
      metric: this.metric,
      value: `p50 ${round(p50)} ms, p90 ${round(percentile(warm, 90))} ms (cold first turn ${round(cold ?? Number.NaN)} ms)`,
      goal: this.goal,
      meets: warm.length > 0 ? p50 <= 40 : null,
      details: {
        turns: warm.length, firstTokenDelayMs: FIRST_TOKEN_DELAY_MS, warmMs: warm.map((v) => round(v)), coldMs: cold === undefined ? null : round(cold),
        sendToModelRequestMedianMs: round(median(beforeModel.slice(1))),
      },
    }];
  },
};
