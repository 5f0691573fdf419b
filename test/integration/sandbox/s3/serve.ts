// The sandbox's S3 on its own HTTP server on port 0, with one bucket, the clients our users run pointed at it, and a
// clock the test can move.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { startS3, type S3Options, type S3Service } from '../../../../sandbox/s3/service.ts';
import { createLogger, memorySink } from '../../../../sandbox/log.ts';

export const PRINCIPAL = { accessKeyId: 'AKIASANDBOXS3TEST', secretAccessKey: 'secret-of-the-s3-sandbox', accountId: '123456789012', userArn: 'arn:aws:sts::123456789012:assumed-role/r/s', username: 'AROA:s' };
export const BUCKET = 'uploads-bucket';
export const CORS = { CorsRules: [{ AllowedOrigins: ['http://app.example'], AllowedMethods: ['GET', 'POST', 'PUT'], AllowedHeaders: ['content-type', 'x-amz-*'], ExposedHeaders: ['ETag'], MaxAge: 600 }] };
export const LIFECYCLE = { Rules: [{ Status: 'Enabled', Prefix: 'uploads/', ExpirationInDays: 1 }] };

export interface S3Harness {
  service: S3Service;
  endpoint: string;
  logs: ReturnType<typeof memorySink>;
  /** Moves the service's clock (and the clients made after it) by this many milliseconds. */
  clock: { offsetMs: number };
  client(credentials?: { accessKeyId: string; secretAccessKey: string }): S3Client;
  stop(): Promise<void>;
}

export async function serveS3(options: Partial<S3Options> = {}): Promise<S3Harness> {
  const clock = { offsetMs: 0 };
  const logs = memorySink();
  const service = startS3({
    buckets: [{ logicalId: 'Uploads', bucketName: BUCKET, corsConfiguration: CORS, lifecycleConfiguration: LIFECYCLE }],
    region: 'us-east-1', iamPrincipals: [PRINCIPAL], persist: false, stateDir: '/nonexistent', log: createLogger('s3', logs),
    now: () => Date.now() + clock.offsetMs, ...options,
  });
  const [route] = service.routes;
  const server = http.createServer((req, res) => {
    void route?.(req, res).then((handled) => { if (!handled) res.writeHead(404).end(); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/s3`;
  return {
    service, endpoint, logs, clock,
    client: (credentials = PRINCIPAL) => new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials, maxAttempts: 1, systemClockOffset: clock.offsetMs }),
    stop: async () => {
      await service.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** S3's error document's Code and Message, and the named extra elements. */
export async function s3ErrorOf(response: Response, ...elements: string[]): Promise<Record<string, string>> {
  const text = await response.text();
  const pick = (name: string): string => (new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1] ?? '').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return Object.fromEntries(['Code', 'Message', ...elements].map((name) => [name, pick(name)]));
}
