// `npm test`'s static checks, `npm run lint` and `npm run typecheck`, side by side: each is one single-threaded
// process (ESLint's type-checked rules and tsc each build the whole program), so on two cores the pair takes the
// time of the longer one instead of the sum. Each check's output is printed whole when it ends, never interleaved;
// the exit code is non-zero when either failed, and the tests do not start.
import { spawn } from 'node:child_process';

const CHECKS = ['lint', 'typecheck'];
const npm = process.env['npm_execpath'];

interface Outcome { name: string; code: number | null; output: string; seconds: number }

function check(name: string): Promise<Outcome> {
  const started = performance.now();
  // Under npm, npm_execpath is npm's own script: run it with this Node, as npm runs scripts.
  const child = npm ? spawn(process.execPath, [npm, 'run', '--silent', name], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn('npm', ['run', '--silent', name], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
  return new Promise((resolve) => {
    child.once('error', (error) => resolve({ name, code: 1, output: `could not run npm run ${name}: ${error.message}`, seconds: 0 }));
    child.once('close', (code) => resolve({ name, code, output, seconds: (performance.now() - started) / 1000 }));
  });
}

console.log(`running ${CHECKS.map((name) => `npm run ${name}`).join(' and ')} side by side`);
const outcomes = await Promise.all(CHECKS.map(check));
for (const { name, code, output, seconds } of outcomes) {
  const verdict = code === 0 ? 'passed' : `FAILED (exit ${code ?? 'signal'})`;
  console.log(`npm run ${name} ${verdict} in ${seconds.toFixed(1)} s`);
  if (output.trim() !== '') console.log(output.trimEnd());
}
const failed = outcomes.filter((outcome) => outcome.code !== 0).map((outcome) => `npm run ${outcome.name}`);
if (failed.length > 0) {
  console.error(`\n${failed.join(' and ')} failed: fix what is listed above, then run npm test again.`);
  process.exitCode = 1;
}
