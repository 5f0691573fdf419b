// The benchmarks' percentiles (bench/stats.ts): nearest rank, as the rows' p50, p90 and p99 are read.
import { describe, expect, it } from '@jest/globals';
import { median, middle, percentile, round } from '../../../bench/stats.ts';

describe('percentile', () => {
  it('takes the nearest rank of the sorted values, whatever their order', () => {
    const values = [9, 1, 7, 3, 5, 2, 8, 4, 10, 6];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 90)).toBe(9);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile(values, 100)).toBe(10);
    expect(percentile(values, 0)).toBe(1);
  });

  it('leaves the values as they were', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  it('is NaN for no values, and the one value for one', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(percentile([4.2], 90)).toBe(4.2);
  });

  it('gives the lower middle as the median of an even count (nearest rank, no interpolation)', () => {
    expect(median([1, 2, 3, 4])).toBe(2);
    expect(median([5, 1, 3])).toBe(3);
  });
});

describe('middle', () => {
  it('is halfway between the middle two of an even count, and the middle one of an odd count', () => {
    expect(middle([140, 110, 120, 130])).toBe(125);
    expect(middle([5, 1, 3])).toBe(3);
    expect(middle([2])).toBe(2);
  });

  it('is NaN for no values, as a percentile is', () => {
    expect(middle([])).toBeNaN();
  });
});

describe('round', () => {
  it('rounds to the digits asked for, one by default', () => {
    expect(round(5.8449)).toBe(5.8);
    expect(round(5.8449, 2)).toBe(5.84);
    expect(round(9.91, 0)).toBe(10);
  });
});
