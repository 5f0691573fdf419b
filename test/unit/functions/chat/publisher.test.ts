import { describe, expect, it } from '@jest/globals';
import type { ReplyEvent } from '../../../../functions/chat/event.ts';
import { Publisher } from '../../../../functions/chat/publisher.ts';
import { credentialsFromEnv } from '../../../../functions/shared/credentials.ts';

const delta = (seq: number): ReplyEvent => ({ conversationId: 'c', messageId: 'm', owner: 'o', seq, type: 'DELTA', index: 0, text: String(seq) });

describe('Publisher', () => {
  it('sends one event at a time, in order, without making the caller wait', async () => {
    const sent: number[] = [];
    let inFlight = 0;
    let most = 0;
    const publisher = new Publisher(async (event) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await Promise.resolve();
      sent.push(event.seq);
      inFlight -= 1;
    }, { warn: () => undefined });

    for (let seq = 1; seq <= 5; seq++) publisher.enqueue(delta(seq));
    const queuedSynchronously = sent.length;
    await publisher.idle();

    expect(queuedSynchronously).toBe(0);
    expect(sent).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(1);
    expect(publisher.published).toBe(5);
  });

  it('logs and counts a failed publish and goes on with the next', async () => {
    const warnings: string[] = [];
    const publisher = new Publisher((event) => (event.seq === 1 ? Promise.reject(new Error('boom')) : Promise.resolve()), { warn: (message) => warnings.push(message) });

    publisher.enqueue(delta(1));
    publisher.enqueue(delta(2));
    await publisher.idle();

    expect(publisher.failed).toBe(1);
    expect(publisher.published).toBe(1);
    expect(warnings).toHaveLength(1);
  });

  it('signs with the role credentials Lambda puts in the environment', () => {
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't' })).toEqual({ accessKeyId: 'a', secretAccessKey: 's', sessionToken: 't' });
    expect(() => credentialsFromEnv({})).toThrow(/AWS_ACCESS_KEY_ID/);
  });
});
