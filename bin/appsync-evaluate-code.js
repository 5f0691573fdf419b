#!/usr/bin/env node
// `npx appsync-evaluate-code`: AppSync's EvaluateCode offline (see sandbox/appsync/runtime/cli.ts).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../sandbox/appsync/runtime/cli.ts');
process.exitCode = main(process.argv.slice(2));
