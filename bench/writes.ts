// DynamoDB writes per 1,000-token reply: the chat function (checkpoints every ~2 s) vs the AI kit relay (the whole
// text so far on every delta), counted at DynamoDB-Local proxies in the same run.
import type { Bench, Row } from './results.ts';
import { round } from './stats.ts';
import { sharedComparison } from './turn-comparison.ts';

const kb = (bytes: number): string => `${round(bytes / 1024, 1)} KB`;

export const writes: Bench = {
  name: 'writes',
  metric: 'DynamoDB write requests (and bytes) per 1,000-token reply, ours vs whole text per delta',
  goal: '>= 20x fewer requests',
  async run(context): Promise<Row[]> {
    const rig = await context.rig();
    context.progress('counting the DynamoDB writes of one 1,000-token reply, ours and the AI kit relay');
    const { tokens, ours, baseline } = await sharedComparison(rig);
    const ratio = baseline.db.writes / Math.max(1, ours.db.writes);
    const bytesRatio = baseline.db.writeBytes / Math.max(1, ours.db.writeBytes);
    return [{
      bench: 'writes',
      metric: this.metric,
      value: `${ours.db.writes} vs ${baseline.db.writes} requests: ${round(ratio, 1)}x fewer; ${kb(ours.db.writeBytes)} vs ${kb(baseline.db.writeBytes)} (${round(bytesRatio, 1)}x); ${round(ours.db.writeUnits, 1)} vs ${round(baseline.db.writeUnits, 1)} WCU`,
      goal: this.goal,
      meets: ratio >= 20,
      details: {
        tokens,
        ours: { ...ours.db, loggedWrites: ours.summary['writes'], modelDeltas: ours.deltas },
        baseline: { ...baseline.db, modelDeltas: baseline.deltas },
      },
    }];
  },
};
