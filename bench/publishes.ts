// AppSync publishes per 1,000 streamed tokens: the chat function (coalesced) vs the AI kit relay (one per delta),
// the same stand-in stream length and pacing, in the same run.
import type { Bench, Row } from './results.ts';
import { round } from './stats.ts';
import { sharedComparison } from './turn-comparison.ts';

export const publishes: Bench = {
  name: 'publishes',
  metric: 'AppSync publishes per 1,000 tokens, ours vs one per delta',
  goal: '>= 8x fewer',
  async run(context): Promise<Row[]> {
    const rig = await context.rig();
    context.progress('streaming one 1,000-token reply through the chat function and through the AI kit relay');
    const { tokens, ours, baseline } = await sharedComparison(rig);
    const per1000 = (n: number): number => round((n * 1000) / tokens, 1);
    const ratio = baseline.publishes / Math.max(1, ours.publishes);
    return [{
      bench: 'publishes',
      metric: this.metric,
      value: `${per1000(ours.publishes)} vs ${per1000(baseline.publishes)}: ${round(ratio, 1)}x fewer`,
      goal: this.goal,
      meets: ratio >= 8,
      details: {
        tokens, flushMs: rig.flushMs,
        ours: { publishes: ours.publishes, bytes: ours.publishBytes, modelDeltas: ours.deltas, loggedPublishes: ours.summary['publishes'] },
        baseline: { publishes: baseline.publishes, bytes: baseline.publishBytes, modelDeltas: baseline.deltas },
      },
    }];
  },
};
