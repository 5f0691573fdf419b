// Sandbox logs: levelled, one line each, routed to a sink.
import { describe, expect, it } from '@jest/globals';
import { createLogger, formatRecord, memorySink } from '../../../sandbox/log.ts';

describe('the sandbox logger', () => {
  it('records level, component and message', () => {
    const sink = memorySink();
    const log = createLogger('appsync', sink);

    log.info('query health 3 ms');
    log.child('realtime').warn('socket closed');

    expect(sink.records.map((r) => [r.level, r.component, r.message])).toEqual([
      ['info', 'appsync', 'query health 3 ms'],
      ['warn', 'appsync:realtime', 'socket closed'],
    ]);
  });

  it('formats a record as one readable line', () => {
    const line = formatRecord({ time: new Date('2026-01-02T03:04:05.678Z'), level: 'error', component: 'lambda', message: 'boom' });

    expect(line).toBe('03:04:05.678 ERROR lambda   boom');
  });
});
