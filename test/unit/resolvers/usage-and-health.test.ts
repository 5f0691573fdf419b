// The caller's daily usage against the quota, and the API's health.
import { describe, expect, it } from '@jest/globals';
import * as health from '../../../resolvers/Query.health.ts';
import * as usage from '../../../resolvers/Query.usage.ts';
import { contextOf, ENV, resolverErrorOf, S, SUB, useFixedClock } from '../../support/resolver-context.ts';

useFixedClock();

const tokens = { inputTokens: 300, outputTokens: 200, cacheReadInputTokens: 50, cacheCreationInputTokens: 10 };

describe('usage', () => {
  it('reads the caller\'s usage of the day asked for', () => {
    const ctx = contextOf({ arguments: { date: '2025-04-30' } });

    expect(usage.request(ctx)).toStrictEqual({ operation: 'GetItem', key: { pk: S(`USER#${SUB}`), sk: S('USAGE#2025-04-30') } });
  });

  it('reads today\'s usage (UTC) when no date is given', () => {
    const ctx = contextOf({ arguments: {} });

    const request = usage.request(ctx);

    expect([request, ctx.stash['date'] as unknown]).toStrictEqual([{ operation: 'GetItem', key: { pk: S(`USER#${SUB}`), sk: S('USAGE#2025-05-01') } }, '2025-05-01']);
  });

  it('reports the day\'s tokens, the quota and what remains of it', () => {
    const ctx = contextOf({ stash: { date: '2025-05-01' }, result: { pk: `USER#${SUB}`, sk: 'USAGE#2025-05-01', ...tokens } });

    expect(usage.response(ctx)).toStrictEqual({ date: '2025-05-01', ...tokens, quota: 1000, remaining: 500 });
  });

  it('reports zeros for a day without usage', () => {
    const ctx = contextOf({ stash: { date: '2025-05-01' }, result: null });

    expect(usage.response(ctx)).toStrictEqual({
      date: '2025-05-01', inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, quota: 1000, remaining: 1000,
    });
  });

  it('never reports less than nothing remaining', () => {
    const ctx = contextOf({ stash: { date: '2025-05-01' }, result: { inputTokens: 900, outputTokens: 400 } });

    expect(usage.response(ctx).remaining).toBe(0);
  });

  it.each([['absent', {}], ['not a number', { DAILY_TOKEN_QUOTA: 'lots' }]])('takes the default quota of 200,000 when DAILY_TOKEN_QUOTA is %s', (_case, env) => {
    const ctx = contextOf({ stash: { date: '2025-05-01' }, result: null, env: { ...ENV, DAILY_TOKEN_QUOTA: '', ...env } });

    expect(usage.response(ctx).quota).toBe(200000);
  });

  it('raises a data source error', () => {
    const ctx = contextOf({ stash: { date: '2025-05-01' }, result: null, error: { message: 'boom', type: 'DynamoDB:InternalServerError' } });

    expect(resolverErrorOf(() => usage.response(ctx)).errorType).toBe('DynamoDB:InternalServerError');
  });
});

describe('health', () => {
  it('asks the NONE data source for nothing', () => {
    expect(health.request(contextOf())).toStrictEqual({ payload: null });
  });

  it('reports the version, stage, region and model of the API', () => {
    expect(health.response(contextOf({ result: null }))).toStrictEqual({ status: 'ok', version: '1.2.3', stage: 'test', region: 'eu-west-1', model: 'claude-sonnet-4-6' });
  });

  it('reports unknown for what the environment does not say', () => {
    expect(health.response(contextOf({ result: null, env: {} }))).toStrictEqual({ status: 'ok', version: 'unknown', stage: 'unknown', region: 'unknown', model: 'unknown' });
  });
});
