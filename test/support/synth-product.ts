// Synthesizes infra/'s dev stage into the folder given and prints the stack name (for global-setup.ts).
import { synthesize } from '../../infra/app.ts';

const outdir = process.argv[2];
if (!outdir) throw new Error('usage: node --import tsx/esm test/support/synth-product.ts <cdk.out folder>');
process.stdout.write(`${synthesize(outdir, 'dev')}\n`);
