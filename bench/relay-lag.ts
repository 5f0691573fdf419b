// Relay lag: a text_delta written by the stand-in -> the subscriber receiving the event that carries it, for
// 20 replies streaming at once. Both ends are timestamped on this process's clock (the stand-in runs here).
import type { Bench, Row } from './results.ts';
import type { Chat, Rig } from './rig.ts';
import { percentile, round } from './stats.ts';
import { deltasOf, replyText, type TimedSubscriber } from './subscriber.ts';
import type { ModelStream } from './timed-stand-in.ts';

const STREAMS = 20;
const TOKENS = 300;
const TOKENS_PER_SECOND = 200;

export interface Stream { subscriber: TimedSubscriber; replyId: string }

async function concurrent(rig: Rig, count: number, tokens: number, label: string): Promise<Stream[]> {
  // Users are signed in one at a time: 20 SRP sign-ins at once can fail on a loaded machine, and are not measured.
  const prepared: Chat[] = [];
  for (let i = 0; i < count; i += 1) prepared.push(await rig.chat(await rig.newUser(label), label));
  const streams = await Promise.all(prepared.map(async (chat, i) => {
    const turn = await rig.send(chat, `[[standin:tokens=${tokens}]] stream ${i} of ${label}`);
    return { subscriber: chat.subscriber, replyId: turn.reply.id };
  }));
  await Promise.all(streams.map((s) => s.subscriber.ended(s.replyId, 90_000)));
  return streams;
}

/** Each model delta's lag: from its write at the stand-in to the first received event whose text covers it. */
export function lagsOf(stream: Stream, model: ModelStream): number[] {
  const received = deltasOf(stream.subscriber.received, stream.replyId);
  let end = 0;
  return model.deltas.map((delta) => {
    end += delta.text.length;
    const covering = received.find((r) => r.end >= end);
    return covering ? covering.at - delta.at : Number.NaN;
  });
}

export interface LagRun { lags: number[]; modelDeltas: number; unmatchedStreams: number }

async function lagRun(rig: Rig, count: number): Promise<LagRun> {
  const before = rig.claude.streams.length;
  const streams = await concurrent(rig, count, TOKENS, `lag${count}`);
  return lagsOfStreams(streams, rig.claude.streams.slice(before));
}

/** The lags of streams that have ended, each matched to the model stream whose text it received. */
export function lagsOfStreams(streams: readonly Stream[], models: readonly ModelStream[]): LagRun {
  const all: number[] = [];
  let unmatchedStreams = 0;
  for (const stream of streams) {
    const own = replyText(stream.subscriber.received, stream.replyId);
    const model = models.find((m) => m.text === own);
    if (!model || own === '') unmatchedStreams += 1;
    else all.push(...lagsOf(stream, model));
    stream.subscriber.close();
  }
  return { lags: all.filter((lag) => !Number.isNaN(lag)), modelDeltas: all.length, unmatchedStreams };
}

export const summary = (run: LagRun): Record<string, number> => ({
  modelDeltas: run.modelDeltas, unmatchedStreams: run.unmatchedStreams, missing: run.modelDeltas - run.lags.length,
  p50: round(percentile(run.lags, 50)), p90: round(percentile(run.lags, 90)), p99: round(percentile(run.lags, 99)), max: round(percentile(run.lags, 100)),
});

export const relayLag: Bench = {
  name: 'relay-lag',
  metric: `relay lag, stand-in emit -> subscriber, ${STREAMS} concurrent streams (p99)`,
  goal: 'p99 <= flushMs + 15 ms',
  async run(context): Promise<Row[]> {
    const rig = await context.rig();
    rig.claude.setPacing({ tokensPerSecond: TOKENS_PER_SECOND, firstTokenDelayMs: 0 });
    context.progress(`warming ${STREAMS} chat function environments`);
    for (const s of await concurrent(rig, STREAMS, 5, 'warm')) s.subscriber.close();
    const one = await lagRun(rig, 1);
    context.progress(`${STREAMS} replies of ${TOKENS} tokens at ${TOKENS_PER_SECOND} tokens/s, all at once`);
    const many = await lagRun(rig, STREAMS);
    const goalMs = rig.flushMs + 15;
    const p99 = percentile(many.lags, 99);
    return [{
      bench: 'relay-lag',
      metric: this.metric,
      value: `p50 ${round(percentile(many.lags, 50))} ms, p99 ${round(p99)} ms (flushMs ${rig.flushMs})`,
      goal: `p99 <= ${goalMs} ms (flushMs + 15)`,
      meets: many.lags.length > 0 ? p99 <= goalMs : null,
      details: { streams: STREAMS, tokensPerStream: TOKENS, tokensPerSecond: TOKENS_PER_SECOND, ...summary(many) },
    }, {
      bench: 'relay-lag',
      metric: 'relay lag, the same with 1 stream (p99)',
      value: `p50 ${round(percentile(one.lags, 50))} ms, p99 ${round(percentile(one.lags, 99))} ms`,
      goal: `p99 <= ${goalMs} ms (flushMs + 15)`,
      meets: one.lags.length > 0 ? percentile(one.lags, 99) <= goalMs : null,
      details: { streams: 1, tokensPerStream: TOKENS, tokensPerSecond: TOKENS_PER_SECOND, ...summary(one) },
    }];
  },
};
