// Test harness: a UserPool on http.createServer port 0, its log in memory, a clock tests can move.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, memorySink } from '../../../../sandbox/log.ts';
import { UserPool, type UserPoolOptions } from '../../../../sandbox/cognito/pool.ts';

export const POOL_ID = 'us-east-1_SandboxP1';
export const CLIENT_ID = 'sandboxwebclient0000000000';

export interface ServedPool {
  pool: UserPool;
  url: string;
  sink: ReturnType<typeof memorySink>;
  /** Moves the pool's clock forward. */
  advance(ms: number): void;
  /** The last code the log printed for a destination. */
  codeFor(destination: string): string;
  /** One raw JSON API call, as the SDKs make it. */
  call(operation: string, body: unknown): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function servePool(overrides: Partial<UserPoolOptions> = {}): Promise<ServedPool> {
  const sink = memorySink();
  let offset = 0;
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pool = new UserPool({
    poolId: POOL_ID,
    region: 'us-east-1',
    issuerBase: url,
    clients: [{ clientId: CLIENT_ID, explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }],
    passwordPolicy: { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: false },
    usernameAttributes: ['email'],
    autoVerifiedAttributes: ['email'],
    log: createLogger('cognito', sink),
    now: () => Date.now() + offset,
    ...overrides,
  });
  const handler = pool.httpHandler();
  server.on('request', (req, res) => {
    handler(req, res).then((served) => {
      if (!served) res.writeHead(404).end();
    }, (error: unknown) => res.writeHead(500).end(String(error)));
  });
  return {
    pool,
    url,
    sink,
    advance: (ms) => { offset += ms; },
    codeFor(destination) {
      const pattern = new RegExp(`code for ${destination.replace(/[.+]/g, '\\$&')}: (\\d{6})$`);
      const found = sink.records.map((r) => pattern.exec(r.message)?.[1]).filter((c) => c !== undefined);
      const code = found.at(-1);
      if (code === undefined) throw new Error(`no code logged for ${destination}`);
      return code;
    },
    async call(operation, body) {
      const response = await fetch(`${url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
        body: JSON.stringify(body),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
