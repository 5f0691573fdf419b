// Test harness: a UserPool on http.createServer port 0, its log in memory, a clock tests can move.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { IamPrincipal } from '../../../../sandbox/aws/sigv4.ts';
import { createLogger, memorySink } from '../../../../sandbox/log.ts';
import { KEEP_ALIVE_MS } from '../../../../sandbox/server/server.ts';
import { UserPool, type UserPoolOptions } from '../../../../sandbox/cognito/pool.ts';

export const POOL_ID = 'us-east-1_SandboxP1';
export const CLIENT_ID = 'sandboxwebclient0000000000';
/** The IAM principal the served pool accepts for its IAM-authorized (Admin*, ListUsers) operations. */
export const ADMIN: IamPrincipal = {
  accessKeyId: 'AKIASANDBOXADMIN0001', secretAccessKey: 'sandbox-admin-secret', accountId: '123456789012',
  userArn: 'arn:aws:iam::123456789012:user/admin', username: 'admin',
};

export interface ServedPool {
  pool: UserPool;
  url: string;
  sink: ReturnType<typeof memorySink>;
  /** Moves the pool's clock forward. */
  advance(ms: number): void;
  /** The last code the log printed for a destination. */
  codeFor(destination: string): string;
  /** One raw JSON API call, as the SDKs make it. */
  call(operation: string, body: unknown): Promise<RawAnswer>;
  /** One raw JSON API call signed with SigV4 for cognito-idp, as the AWS SDK signs an admin call. */
  signedCall(operation: string, body: unknown, principal?: Pick<IamPrincipal, 'accessKeyId' | 'secretAccessKey'>): Promise<RawAnswer>;
  close(): Promise<void>;
}

export interface RawAnswer { status: number; headers: Headers; body: Record<string, unknown> }

const JSON_HEADERS = (operation: string): Record<string, string> =>
  ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` });

async function post(url: string, headers: Record<string, string>, body: string): Promise<RawAnswer> {
  const response = await fetch(`${url}/`, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

/** SigV4 headers for a POST of `body` to `url`, scoped to `service`. */
export async function signedHeaders(url: string, headers: Record<string, string>, body: string, principal: Pick<IamPrincipal, 'accessKeyId' | 'secretAccessKey'>, service = 'cognito-idp'): Promise<Record<string, string>> {
  const { hostname, host } = new URL(url);
  const signer = new SignatureV4({ credentials: { accessKeyId: principal.accessKeyId, secretAccessKey: principal.secretAccessKey }, region: 'us-east-1', service, sha256: Sha256 });
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname, path: '/', query: {}, headers: { host, ...headers }, body });
  return signed.headers;
}

export async function servePool(overrides: Partial<UserPoolOptions> = {}): Promise<ServedPool> {
  const sink = memorySink();
  let offset = 0;
  const server: Server = createServer();
  // As the sandbox's front server does: SRP clients pause for seconds between calls on one connection.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
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
    iamPrincipals: [ADMIN],
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
    call: (operation, body) => post(url, JSON_HEADERS(operation), JSON.stringify(body)),
    async signedCall(operation, body, principal = ADMIN) {
      const text = JSON.stringify(body);
      return post(url, await signedHeaders(url, JSON_HEADERS(operation), text, principal), text);
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
