// Removes the product synthesized by global-setup.ts for this run, so runs do not pile up copies in the temp folder.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

export default function globalTeardown(): void {
  const cdkOut = process.env.PRODUCT_CDK_OUT;
  // Only the folder global-setup made: a PRODUCT_CDK_OUT given from outside is left alone.
  if (cdkOut && process.env.PRODUCT_SYNTH_OWNED === 'true') rmSync(dirname(cdkOut), { recursive: true, force: true });
}
