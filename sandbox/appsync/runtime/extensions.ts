// The `extensions` and `runtime` globals of APPSYNC_JS ("Extensions" and "Runtime utilities" in
// the AppSync JavaScript resolver reference): they record into the evaluation state or end the handler.
import type { Extensions, ReturnOptions } from '@aws-appsync/utils';
import { EarlyReturnSignal, UtilArgumentError, type EvaluationState } from './state.ts';

export function createExtensions(state: EvaluationState): Extensions {
  return {
    evictFromApiCache(typeName, fieldName, keyValuePair) {
      state.cacheEvictions.push({ typeName, fieldName, keys: { ...keyValuePair } });
    },
    setSubscriptionFilter(filter) {
      state.subscriptionFilter = requireFilter('setSubscriptionFilter', filter);
    },
    setSubscriptionInvalidationFilter(filter) {
      state.subscriptionInvalidationFilter = requireFilter('setSubscriptionInvalidationFilter', filter);
    },
    invalidateSubscriptions(obj) {
      if (typeof obj?.subscriptionField !== 'string' || obj.subscriptionField === '') {
        throw new UtilArgumentError('extensions.invalidateSubscriptions needs {subscriptionField: string, payload: object}');
      }
      state.invalidations.push({ subscriptionField: obj.subscriptionField, payload: { ...obj.payload } });
    },
  };
}

function requireFilter(name: string, filter: unknown): unknown {
  const groups = (filter as { filterGroup?: unknown } | null)?.filterGroup;
  if (!Array.isArray(groups)) {
    throw new UtilArgumentError(`extensions.${name} needs the object util.transform.toSubscriptionFilter returns ({filterGroup: [...]})`);
  }
  return JSON.parse(JSON.stringify(filter)) as unknown;
}

export interface RuntimeUtil {
  earlyReturn(obj?: unknown, returnOptions?: ReturnOptions): never;
}

export const runtimeUtil: RuntimeUtil = {
  earlyReturn(obj?: unknown, returnOptions?: ReturnOptions): never {
    const skipTo = returnOptions?.skipTo ?? null;
    if (skipTo !== null && skipTo !== 'END' && skipTo !== 'NEXT') {
      throw new UtilArgumentError(`runtime.earlyReturn: skipTo must be 'END' or 'NEXT', not ${JSON.stringify(skipTo)}`);
    }
    throw new EarlyReturnSignal(obj ?? null, skipTo);
  },
};
