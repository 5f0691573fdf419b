// When a real-time token runs out (sandbox/appsync/realtime/expiry.ts), on jest's clock.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Caller } from '../../../../../sandbox/appsync/auth.ts';
import { whenExpired } from '../../../../../sandbox/appsync/realtime/expiry.ts';

const NOW = Date.UTC(2025, 4, 1, 12, 0, 0);
const userPoolCaller = (exp: number): Caller => ({ mode: 'AMAZON_COGNITO_USER_POOLS', authType: 'User Pool Authorization', identity: { sub: 'ana', claims: { sub: 'ana', exp } }, groups: [] });

beforeEach(() => {
  jest.useFakeTimers({ now: NOW });
});

afterEach(() => {
  jest.useRealTimers();
});

describe('whenExpired', () => {
  it('calls back when the clock reaches the token\'s exp, not before', () => {
    const expired = jest.fn();
    whenExpired(userPoolCaller(NOW / 1000 + 60), expired);

    jest.advanceTimersByTime(59_999);
    const before = expired.mock.calls.length;
    jest.advanceTimersByTime(1);

    expect([before, expired.mock.calls.length]).toEqual([0, 1]);
  });

  it('reaches an exp further away than setTimeout can wait at once', () => {
    const expired = jest.fn();
    const days = 40;
    whenExpired(userPoolCaller(NOW / 1000 + days * 86_400), expired);

    jest.advanceTimersByTime(days * 86_400_000);

    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('calls back nothing once cancelled', () => {
    const expired = jest.fn();
    const cancel = whenExpired(userPoolCaller(NOW / 1000 + 60), expired);

    cancel?.();
    jest.advanceTimersByTime(120_000);

    expect(expired).not.toHaveBeenCalled();
  });

  it('sets nothing for a caller without a token expiry (IAM, API key)', () => {
    const iam: Caller = { mode: 'AWS_IAM', authType: 'IAM Authorization', identity: { accountId: '123456789012' }, groups: [] };

    expect(whenExpired(iam, () => undefined)).toBeNull();
  });
});
