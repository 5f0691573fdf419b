// util.math: AppSync's "Math helpers in util.math".
import { describe, expect, it } from '@jest/globals';
import { newEvaluationState } from '../../../../../../sandbox/appsync/runtime/state.ts';
import { createUtil } from '../../../../../../sandbox/appsync/runtime/util/index.ts';

const { math } = createUtil(newEvaluationState());

describe('util.math', () => {
  it('rounds to the nearest integer, halves upwards as Java does', () => {
    expect([math.roundNum(2.4), math.roundNum(2.5), math.roundNum(-2.5), math.roundNum(-2.6)]).toEqual([2, 3, -2, -3]);
  });

  it('gives the smaller of two numbers', () => {
    expect(math.minVal(3.5, -1)).toBe(-1);
  });

  it('gives the larger of two numbers', () => {
    expect(math.maxVal(3.5, -1)).toBe(3.5);
  });

  it('gives a random double from 0 up to 1', () => {
    const values = Array.from({ length: 100 }, () => math.randomDouble());

    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
  });

  it('gives random integers within the range, both ends included', () => {
    const values = new Set(Array.from({ length: 200 }, () => math.randomWithinRange(1, 3)));

    expect([...values].sort()).toEqual([1, 2, 3]);
  });

  it('gives the only integer of a one-value range', () => {
    expect(math.randomWithinRange(5, 5)).toBe(5);
  });

  it('rejects a range whose start is above its end', () => {
    expect(() => math.randomWithinRange(5, 1)).toThrow('util.math.randomWithinRange: the range 5 to 1 holds no integer');
  });

  it('rejects an argument that is not a number', () => {
    expect(() => math.minVal('1' as unknown as number, 2)).toThrow('util.math.minVal: the arguments must be numbers');
  });
});
