// util.str: Unicode normalization. AWS AppSync docs, "String helpers in util.str".
import type { Util } from '@aws-appsync/utils';
import { UtilArgumentError } from '../state.ts';

const FORMS = new Set(['NFC', 'NFD', 'NFKC', 'NFKD']);

export const strUtil: Util['str'] = {
  normalize(value: string, normalizationType: string): string {
    const form = typeof normalizationType === 'string' ? normalizationType.toUpperCase() : '';
    if (!FORMS.has(form)) {
      throw new UtilArgumentError(`util.str.normalize: the normalization type must be "nfc", "nfd", "nfkc" or "nfkd", not ${JSON.stringify(normalizationType)}`);
    }
    if (typeof value !== 'string') throw new UtilArgumentError('util.str.normalize: the value must be a string');
    return value.normalize(form);
  },
};
