// The global `util` of @aws-appsync/utils for one handler evaluation: the pure helpers, plus
// the members that record into or raise from the evaluation's state.
import type { Util } from '@aws-appsync/utils';
import { ResolverError, UnauthorizedError, type EvaluationState } from '../state.ts';
import { dynamodbUtil } from './attribute-values.ts';
import { base64Decode, base64Encode, escapeJavaScript, matches, urlDecode, urlEncode } from './encoding.ts';
import { createHttpUtil } from './http.ts';
import { autoId, autoKsuid, autoUlid } from './ids.ts';
import { mathUtil } from './math.ts';
import { rdsUtil } from './rds.ts';
import { strUtil } from './str.ts';
import { timeUtil } from './time.ts';
import { transformUtil } from './transform.ts';
import { xmlUtil } from './xml.ts';

export function createUtil(state: EvaluationState): Util {
  const util: Util = {
    escapeJavaScript,
    urlEncode,
    urlDecode,
    base64Encode,
    base64Decode,
    autoId,
    autoUlid,
    autoKsuid,
    unauthorized(): never {
      throw new UnauthorizedError();
    },
    error(msg: string, errorType?: string, data?: unknown, errorInfo?: unknown): never {
      throw new ResolverError(msg, errorType ?? null, data ?? null, errorInfo ?? null);
    },
    appendError(msg: string, errorType?: string, data?: unknown, errorInfo?: unknown): void {
      state.appendedErrors.push({ message: msg, errorType: errorType ?? null, data: data ?? null, errorInfo: errorInfo ?? null });
    },
    matches,
    // The state holds null when the caller's auth type is unknown (e.g. the evaluate-code CLI without an identity).
    authType: () => state.authType as string,
    time: timeUtil,
    dynamodb: dynamodbUtil,
    rds: rdsUtil,
    http: createHttpUtil(state),
    xml: xmlUtil,
    transform: transformUtil,
    math: mathUtil,
    str: strUtil,
  };
  return util;
}
