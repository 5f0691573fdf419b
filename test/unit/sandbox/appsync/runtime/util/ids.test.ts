// util.autoId, util.autoUlid and util.autoKsuid: formats from AppSync's "Built-in utilities".
import { describe, expect, it } from '@jest/globals';
import { newEvaluationState } from '../../../../../../sandbox/appsync/runtime/state.ts';
import { createUtil } from '../../../../../../sandbox/appsync/runtime/util/index.ts';

const util = createUtil(newEvaluationState());

describe('util id generators', () => {
  it('gives a version 4 UUID', () => {
    expect(util.autoId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives a different UUID each call', () => {
    expect(util.autoId()).not.toBe(util.autoId());
  });

  it('gives a ULID of 26 Crockford base32 characters', () => {
    expect(util.autoUlid()).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('gives a ULID whose time part is now', () => {
    const before = Date.now();

    const id = util.autoUlid();

    const time = [...id.slice(0, 10)].reduce((total, char) => total * 32 + '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(char), 0);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
  });

  it('gives a KSUID of 27 base62 characters', () => {
    expect(util.autoKsuid()).toMatch(/^[0-9A-Za-z]{27}$/);
  });

  it('gives a different KSUID each call', () => {
    expect(util.autoKsuid()).not.toBe(util.autoKsuid());
  });
});
