// Makes the sandbox's https certificate in the folder given, once for a test run (global-setup.ts): every sandbox a
// test starts then reads it (test/support/sandbox-options.ts) instead of making its own.
import { sandboxCertificate } from '../../sandbox/server/tls.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node --import tsx/esm test/support/make-certificate.ts <folder>');
await sandboxCertificate(dir);
