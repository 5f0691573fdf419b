// One autocannon run in its own process (so the load generator does not share the sandbox's event loop):
// reads its options as JSON from argv, prints the result summary as JSON.
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2] ?? '{}') as Parameters<typeof autocannon>[0];
const result = await autocannon(options);
process.stdout.write(JSON.stringify({ rps: result.requests.average, total: result.requests.total, ok: result['2xx'], non2xx: result.non2xx, errors: result.errors, p50: result.latency.p50, p99: result.latency.p99 }));
