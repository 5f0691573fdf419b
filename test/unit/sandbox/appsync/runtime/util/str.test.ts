// util.str: AppSync's "String helpers in util.str".
import { describe, expect, it } from '@jest/globals';
import { newEvaluationState } from '../../../../../../sandbox/appsync/runtime/state.ts';
import { createUtil } from '../../../../../../sandbox/appsync/runtime/util/index.ts';

const { str } = createUtil(newEvaluationState());

describe('util.str.normalize', () => {
  it('composes with nfc', () => {
    expect(str.normalize('e\u0301', 'nfc')).toBe('\u00e9');
  });

  it('decomposes with nfd', () => {
    expect(str.normalize('\u00e9', 'nfd')).toBe('e\u0301');
  });

  it('folds compatibility characters with nfkc', () => {
    expect(str.normalize('\ufb01', 'nfkc')).toBe('fi');
  });

  it('folds and decomposes with nfkd', () => {
    expect(str.normalize('\u00bd\u00e9', 'nfkd')).toBe('1\u20442e\u0301');
  });

  it('rejects an unknown normalization type', () => {
    expect(() => str.normalize('x', 'nfx' as 'nfc')).toThrow('util.str.normalize: the normalization type must be "nfc", "nfd", "nfkc" or "nfkd", not "nfx"');
  });

  it('rejects a value that is not a string', () => {
    expect(() => str.normalize(1 as unknown as string, 'nfc')).toThrow('util.str.normalize: the value must be a string');
  });
});
