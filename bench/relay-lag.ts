// Relay lag: a text_delta written by the stand-in -> the subscriber receiving the event that carries it, for
// 20 replies streaming at once. Both ends are timestamped on this process's clock (the stand-in runs here).
import type { Bench, Row } from './results.ts';
import type { Chat, Rig } from './rig.ts';
import { middle, now, percentile, round } from './stats.ts';
import { deltasOf, replyText, type TimedSubscriber } from './subscriber.ts';
import { startRelayFloor, type FloorKind } from './relay-floor.ts';
import type { ModelStream } from './timed-stand-in.ts';

const STREAMS = 20;
const TOKENS = 300;
const TOKENS_PER_SECOND = 200;

export interface Stream { subscriber: TimedSubscriber; replyId: string }

/** One reply of `tokens` in each chat, all at once; resolves once every reply ended at its subscriber. */
async function sendAll(rig: Rig, chats: readonly Chat[], tokens: number, label: string): Promise<Stream[]> {
  const streams = await Promise.all(chats.map(async (chat, i) => {
    const turn = await rig.send(chat, `[[standin:tokens=${tokens}]] stream ${i} of ${label}`);
    return { subscriber: chat.subscriber, replyId: turn.reply.id };
  }));
  await Promise.all(streams.map((s) => s.subscriber.ended(s.replyId, 90_000)));
  return streams;
}

/** `count` users, each with a conversation and a timed subscriber. */
async function prepare(rig: Rig, count: number, label: string): Promise<Chat[]> {
  // Users are signed in one at a time: 20 SRP sign-ins at once can fail on a loaded machine, and are not measured.
  const prepared: Chat[] = [];
  for (let i = 0; i < count; i += 1) prepared.push(await rig.chat(await rig.newUser(label), label));
  return prepared;
}

async function concurrent(rig: Rig, count: number, tokens: number, label: string): Promise<Stream[]> {
  return sendAll(rig, await prepare(rig, count, label), tokens, label);
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

/** The lags of streams that have ended, each matched to the model stream whose text it received; their subscribers are
 * closed unless `close` is false (chats used again). */
export function lagsOfStreams(streams: readonly Stream[], models: readonly ModelStream[], close = true): LagRun {
  const all: number[] = [];
  let unmatchedStreams = 0;
  for (const stream of streams) {
    const own = replyText(stream.subscriber.received, stream.replyId);
    const model = models.find((m) => m.text === own);
    if (!model || own === '') unmatchedStreams += 1;
    else all.push(...lagsOf(stream, model));
    if (close) stream.subscriber.close();
  }
  return { lags: all.filter((lag) => !Number.isNaN(lag)), modelDeltas: all.length, unmatchedStreams };
}

export const summary = (run: LagRun): Record<string, number> => ({
  modelDeltas: run.modelDeltas, unmatchedStreams: run.unmatchedStreams, missing: run.modelDeltas - run.lags.length,
  p50: round(percentile(run.lags, 50)), p90: round(percentile(run.lags, 90)), p99: round(percentile(run.lags, 99)), max: round(percentile(run.lags, 100)),
});

/** The three ways the 20 streams are relayed, alternated in one run (relay-floor.ts): four rounds each, each way first
 * in a round at least once and last at least once. */
type Way = 'chat' | FloorKind;
const ROUNDS: readonly (readonly Way[])[] = [['chat', 'appsync', 'hub'], ['hub', 'appsync', 'chat'], ['appsync', 'hub', 'chat'], ['chat', 'hub', 'appsync']];

/** A way's typical round: the median of its rounds' p99s. One round with a stall sets the pooled p99 (bench/README.md,
 * "Relay lag: warm-up, and the median round"). */
const roundP99 = (runs: readonly LagRun[]): number => middle(runs.map((run) => percentile(run.lags, 99)));

const pooled = (runs: readonly LagRun[]): LagRun => ({
  lags: runs.flatMap((r) => r.lags), modelDeltas: runs.reduce((n, r) => n + r.modelDeltas, 0), unmatchedStreams: runs.reduce((n, r) => n + r.unmatchedStreams, 0),
});

/** A round's wall time and the CPU the bench process spent in it, every thread (the stand-in, AppSync, the hub, the
 * subscribers, the functions' workers; not DynamoDB Local's JVM), and the cores that makes. */
interface RoundCpu { wallMs: number; cpuMs: number; cores: number }

function roundCpu(started: { at: number; usage: NodeJS.CpuUsage }): RoundCpu {
  const used = process.cpuUsage(started.usage);
  const wallMs = now() - started.at;
  const cpuMs = (used.user + used.system) / 1000;
  return { wallMs: round(wallMs), cpuMs: round(cpuMs), cores: round(cpuMs / wallMs, 2) };
}

const p50p99 = (run: LagRun): string => `p50 ${round(percentile(run.lags, 50))} ms, p99 ${round(percentile(run.lags, 99))} ms`;

export const relayLag: Bench = {
  name: 'relay-lag',
  metric: `relay lag, stand-in emit -> subscriber, ${STREAMS} concurrent streams (p99, median round)`,
  // Restated against the floor measured beside it (bench/README.md, "Relay lag: the floor"): flushMs + 15 is missed on
  // 2 cores by a function that only reads and publishes, so the chat function's own work may at most double its tail.
  goal: 'p99 <= 2x the floor\'s p99 (same run)',
  async run(context): Promise<Row[]> {
    const rig = await context.rig();
    rig.claude.setPacing({ tokensPerSecond: TOKENS_PER_SECOND, firstTokenDelayMs: 0 });
    context.progress(`warming ${STREAMS} chat function environments and ${STREAMS} of the relay floor`);
    const floor = await startRelayFloor(rig);
    try {
      const chats = await prepare(rig, STREAMS, 'lag20');
      // Full-length replies, not measured: a short one ends before the first checkpoint and timed flush, and the first
      // full-length round after short ones had ~1.5-3x the p99 of the next (bench/README.md, "Relay lag: warm-up, and
      // the median round").
      await sendAll(rig, chats, TOKENS, 'warm');
      await floor.round(chats, TOKENS, 'warm', 'appsync');
      await floor.round(chats, TOKENS, 'warm', 'hub');
      const one = await lagRun(rig, 1);
      context.progress(`${STREAMS} replies of ${TOKENS} tokens at ${TOKENS_PER_SECOND} tokens/s, all at once: the chat function, then the floor through AppSync and straight to the hub, alternated`);
      const runs: Record<Way, LagRun[]> = { chat: [], appsync: [], hub: [] };
      const cpu: Record<Way, RoundCpu[]> = { chat: [], appsync: [], hub: [] };
      for (const [r, order] of ROUNDS.entries()) {
        for (const way of order) {
          const before = rig.claude.streams.length;
          const label = `${way} round ${r}`;
          const started = { at: now(), usage: process.cpuUsage() };
          const streams = way === 'chat' ? await sendAll(rig, chats, TOKENS, label) : await floor.round(chats, TOKENS, label, way);
          cpu[way].push(roundCpu(started));
          runs[way].push(lagsOfStreams(streams, rig.claude.streams.slice(before), false));
        }
      }
      for (const chat of chats) chat.subscriber.close();
      const [many, viaAppSync, toHub] = [pooled(runs.chat), pooled(runs.appsync), pooled(runs.hub)];
      const goalMs = rig.flushMs + 15;
      const [p99, floorP99] = [roundP99(runs.chat), roundP99(runs.appsync)];
      const load = { streams: STREAMS, tokensPerStream: TOKENS, tokensPerSecond: TOKENS_PER_SECOND, rounds: ROUNDS.length };
      const pooledRatio = percentile(many.lags, 99) / percentile(viaAppSync.lags, 99);
      return [{
        bench: 'relay-lag',
        metric: this.metric,
        value: `round p99, median of ${runs.chat.length}: ${round(p99)} ms (p50 ${round(percentile(many.lags, 50))} ms, flushMs ${rig.flushMs}); floor ${round(floorP99)} ms: ${round(p99 / floorP99, 2)}x (pooled p99 ${round(pooledRatio, 2)}x)`,
        goal: `p99 <= 2x the floor's p99 (${round(2 * floorP99)} ms; flushMs + 15 = ${goalMs} ms is missed by the floor too)`,
        meets: Number.isFinite(p99) && Number.isFinite(floorP99) ? p99 <= 2 * floorP99 : null,
        details: { ...load, ...summary(many), absoluteGoalMs: goalMs, meetsAbsoluteGoal: p99 <= goalMs, medianRoundP99: round(p99), floorMedianRoundP99: round(floorP99), byRound: runs.chat.map(summary), cpu: cpu.chat },
      }, {
        bench: 'relay-lag',
        metric: 'relay lag, the same with 1 stream (p99)',
        value: p50p99(one),
        goal: `p99 <= ${goalMs} ms (flushMs + 15)`,
        meets: one.lags.length > 0 ? percentile(one.lags, 99) <= goalMs : null,
        details: { streams: 1, tokensPerStream: TOKENS, tokensPerSecond: TOKENS_PER_SECOND, ...summary(one) },
      }, {
        bench: 'relay-lag',
        metric: `relay lag floor, the same ${STREAMS} streams from a minimal function (plain fetch, same coalescing and signed publish), p99`,
        value: `through AppSync ${p50p99(viaAppSync)}; straight to the hub ${p50p99(toHub)} (pooled); median round p99 through AppSync ${round(floorP99)} ms, to the hub ${round(roundP99(runs.hub))} ms`,
        goal: 'the floor the 20-stream row is read against',
        meets: null,
        details: {
          ...load, throughAppSync: { ...summary(viaAppSync), byRound: runs.appsync.map(summary), cpu: cpu.appsync },
          straightToHub: { ...summary(toHub), byRound: runs.hub.map(summary), cpu: cpu.hub },
        },
      }];
    } finally {
      await floor.close();
    }
  },
};
