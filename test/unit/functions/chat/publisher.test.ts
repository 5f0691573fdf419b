import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { ReplyEvent } from '../../../../functions/chat/event.ts';
import { appSyncSender, PUBLISH_MUTATION, Publisher, PublishError } from '../../../../functions/chat/publisher.ts';
import { credentialsFromEnv } from '../../../../functions/shared/credentials.ts';
import { signedRequestOf, verifySigV4 } from '../../../../sandbox/aws/sigv4.ts';

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

const principal = { accessKeyId: 'AKIDPUBLISHER', secretAccessKey: 'secret', accountId: '000000000000', userArn: 'arn:aws:iam::000000000000:user/chat', username: 'chat' };

interface Seen { body: string; port: number; verified: boolean }

/** A local endpoint answering each request with `answer`; it records each request's body, client port and signature check. */
async function endpoint(answer: (req: IncomingMessage, res: ServerResponse, index: number) => void): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      void verifySigV4(signedRequestOf(req, body), [principal], { service: 'appsync' }).then((result) => {
        seen.push({ body, port: req.socket.remotePort ?? 0, verified: result.ok });
        answer(req, res, seen.length - 1);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`, seen,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const json = (res: ServerResponse, status: number, value: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
};

describe('appSyncSender', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  const sender = (url: string, timeoutMs?: number) => appSyncSender({ url, region: 'us-east-1', credentials: principal, ...(timeoutMs === undefined ? {} : { timeoutMs }) });

  it('POSTs the publishReplyEvent mutation signed with SigV4 for appsync, one kept-alive connection for consecutive events', async () => {
    const server = await endpoint((_req, res) => json(res, 200, { data: { publishReplyEvent: { seq: 1 } } }));
    open.push(server);
    const send = sender(server.url);

    await send(delta(1));
    await send(delta(2));

    expect(server.seen.map((s) => JSON.parse(s.body) as unknown)).toEqual([
      { query: PUBLISH_MUTATION, variables: { input: delta(1) } },
      { query: PUBLISH_MUTATION, variables: { input: delta(2) } },
    ]);
    expect(server.seen.every((s) => s.verified)).toBe(true);
    expect(server.seen[1]?.port).toBe(server.seen[0]?.port);
  });

  it('fails with a PublishError on an HTTP error or a GraphQL error', async () => {
    const server = await endpoint((_req, res, index) => (index === 0
      ? json(res, 401, { errors: [{ errorType: 'UnauthorizedException', message: 'no' }] })
      : json(res, 200, { data: { publishReplyEvent: null }, errors: [{ errorType: 'Unauthorized', message: 'Not Authorized' }] })));
    open.push(server);
    const send = sender(server.url);

    await expect(send(delta(1))).rejects.toThrow(new PublishError('publishReplyEvent answered HTTP 401: {"errors":[{"errorType":"UnauthorizedException","message":"no"}]}'));
    await expect(send(delta(2))).rejects.toThrow(new PublishError('publishReplyEvent failed: Unauthorized: Not Authorized'));
  });

  it('sends again, on a new connection, when the server closed a kept-alive connection as it was reused', async () => {
    const server = await endpoint((req, res, index) => (index === 1 ? req.socket.destroy() : json(res, 200, { data: { publishReplyEvent: { seq: index } } })));
    open.push(server);
    const send = sender(server.url);

    await send(delta(1));
    await send(delta(2));

    expect(server.seen).toHaveLength(3);
    expect(server.seen[2]?.port).not.toBe(server.seen[0]?.port);
  });

  it('does not send again once an answer had begun: the event was received', async () => {
    const server = await endpoint((req, res, index) => {
      if (index === 0) return json(res, 200, { data: { publishReplyEvent: { seq: 1 } } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"data":', () => req.socket.destroy());
    });
    open.push(server);
    const send = sender(server.url);

    await send(delta(1));
    await expect(send(delta(2))).rejects.toThrow();
    expect(server.seen).toHaveLength(2);
  });

  it('gives up with a PublishError when no answer comes in time', async () => {
    const server = await endpoint(() => undefined);
    open.push(server);

    await expect(sender(server.url, 50)(delta(1))).rejects.toThrow(new PublishError('publishReplyEvent got no answer in 50 ms'));
  });
});
