// A counting proxy in front of DynamoDB Local: write requests, their request-body bytes and the write capacity
// units DynamoDB reports for them (ReturnConsumedCapacity=TOTAL is added to each write on its way through).
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export interface DbCounts {
  writes: number;
  /** Bytes of the write requests' JSON bodies, as sent by the client (before our ReturnConsumedCapacity). */
  writeBytes: number;
  /** Write capacity units DynamoDB Local reported: what DynamoDB bills for the item sizes written. */
  writeUnits: number;
  reads: number;
  byOperation: Record<string, number>;
}

export interface CountingProxy {
  url: string;
  counts(): DbCounts;
  reset(): void;
  close(): Promise<void>;
}

const empty = (): DbCounts => ({ writes: 0, writeBytes: 0, writeUnits: 0, reads: 0, byOperation: {} });

async function bodyOf(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function unitsOf(response: Buffer): number {
  try {
    const { ConsumedCapacity: consumed } = JSON.parse(response.toString('utf8')) as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] };
    const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
    return list.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
  } catch {
    return 0;
  }
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  let counts = empty();
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await bodyOf(req);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
    const write = WRITES.has(operation);
    counts.byOperation[operation] = (counts.byOperation[operation] ?? 0) + 1;
    if (write) {
      counts.writes += 1;
      counts.writeBytes += body.length;
    } else counts.reads += 1;
    // DynamoDB Local does not check signatures, so the body may change on the way.
    const sent = write ? Buffer.from(JSON.stringify({ ...(JSON.parse(body.toString('utf8')) as object), ReturnConsumedCapacity: 'TOTAL' })) : body;
    const answer = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, 'content-length': String(sent.length) } }, (answered) => {
        bodyOf(answered).then((data) => resolve({ status: answered.statusCode ?? 500, headers: answered.headers, body: data }), reject);
      });
      forward.on('error', reject);
      forward.end(sent);
    });
    if (write) counts.writeUnits += unitsOf(answer.body);
    const headers = { ...answer.headers };
    delete headers['transfer-encoding'];
    res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) }).end(answer.body);
  };
  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => res.writeHead(502).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => structuredClone(counts),
    reset: () => {
      counts = empty();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
