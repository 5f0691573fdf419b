// Subscription fan-out: 100 real-time subscribers on one conversation while publishReplyEvent (IAM, as the chat
// function signs it) is sent as fast as a few concurrent publishers can; delivered rate per subscriber vs published rate.
import type { Bench, Row } from './results.ts';
import { now, round } from './stats.ts';
import type { TimedSubscriber } from './subscriber.ts';

const SUBSCRIBERS = 100;
const EVENTS = 300;
const PUBLISHERS = 4;

export const fanout: Bench = {
  name: 'fanout',
  metric: `subscription fan-out: events/s delivered to each of ${SUBSCRIBERS} subscribers vs events/s published`,
  goal: '>= 0.9',
  async run(context): Promise<Row[]> {
    const rig = await context.rig();
    const who = await rig.newUser('fanout');
    const conversationId = await rig.conversation(who, 'fan-out');
    context.progress(`opening ${SUBSCRIBERS} subscriptions`);
    const subscribers: TimedSubscriber[] = [];
    for (let i = 0; i < SUBSCRIBERS; i += 1) subscribers.push(await rig.subscribe(who, conversationId));
    const send = rig.publisher();
    context.progress(`publishing ${EVENTS} events from ${PUBLISHERS} concurrent publishers`);
    let next = 0;
    const started = now();
    await Promise.all(Array.from({ length: PUBLISHERS }, async () => {
      for (let seq = (next += 1); seq <= EVENTS; seq = (next += 1)) {
        await send({ conversationId, messageId: 'fanout', owner: who.sub, seq, type: 'DELTA', index: 0, text: `event ${seq} `.repeat(4) });
      }
    }));
    const published = now() - started;
    const expected = EVENTS * SUBSCRIBERS;
    const deadline = Date.now() + 30_000;
    const delivered = (): number => subscribers.reduce((sum, s) => sum + s.received.length, 0);
    while (delivered() < expected && Date.now() < deadline) await new Promise((done) => setTimeout(done, 10));
    const lastAt = Math.max(...subscribers.map((s) => s.received.at(-1)?.at ?? started));
    for (const s of subscribers) s.close();
    const publishedRate = EVENTS / (published / 1000);
    const deliveredRate = delivered() / SUBSCRIBERS / ((lastAt - started) / 1000);
    const ratio = deliveredRate / publishedRate;
    return [{
      bench: 'fanout', metric: this.metric,
      value: `${round(deliveredRate)} vs ${round(publishedRate)} events/s: ${round(ratio, 2)} (${delivered()}/${expected} delivered)`,
      goal: this.goal, meets: ratio >= 0.9,
      details: { subscribers: SUBSCRIBERS, events: EVENTS, publishers: PUBLISHERS, publishMs: round(published), lastDeliveryMs: round(lastAt - started), delivered: delivered(), expected },
    }];
  },
};
