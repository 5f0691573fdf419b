// util.math: rounding, min/max and non-cryptographic random numbers.
// AWS AppSync docs, "Math helpers in util.math".
import type { Util } from '@aws-appsync/utils';
import { UtilArgumentError } from '../state.ts';

function number(name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new UtilArgumentError(`util.math.${name}: the arguments must be numbers`);
  return value;
}

export const mathUtil: Util['math'] = {
  // Java's Math.round: halves round up (towards positive infinity), as JavaScript's Math.round does.
  roundNum: (input: number) => Math.round(number('roundNum', input)),
  minVal: (input1: number, input2: number) => Math.min(number('minVal', input1), number('minVal', input2)),
  maxVal: (input1: number, input2: number) => Math.max(number('maxVal', input1), number('maxVal', input2)),
  randomDouble: () => Math.random(),
  /** An integer from `start` to `end`, both included. */
  randomWithinRange(start: number, end: number): number {
    const low = Math.ceil(number('randomWithinRange', start));
    const high = Math.floor(number('randomWithinRange', end));
    if (low > high) throw new UtilArgumentError(`util.math.randomWithinRange: the range ${start} to ${end} holds no integer`);
    return low + Math.floor(Math.random() * (high - low + 1));
  },
};
