// Ends what global-setup.ts started: the product synthesized for this run and the certificate's folder (so runs do not
// pile up copies in the temp folder), and the shared DynamoDB Local (its launcher stops Java when its stdin closes).
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

export default function globalTeardown(): void {
  const cdkOut = process.env.PRODUCT_CDK_OUT;
  // Only the folder global-setup made: a PRODUCT_CDK_OUT given from outside is left alone.
  if (cdkOut && process.env.PRODUCT_SYNTH_OWNED === 'true') rmSync(dirname(cdkOut), { recursive: true, force: true });
  const tlsDir = process.env.SANDBOX_TEST_TLS_DIR;
  if (tlsDir?.includes('sandbox-test-tls-')) rmSync(tlsDir, { recursive: true, force: true });
  (globalThis as { testDynamoDb?: ChildProcess }).testDynamoDb?.stdin?.end();
}
