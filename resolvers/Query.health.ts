// Health and environment info: served by the API itself (NONE data source).
import type { Context } from '@aws-appsync/utils';
import type { Health } from './schema-types.ts';

export function request(_ctx: Context) {
  return { payload: null };
}

export function response(ctx: Context): Health {
  return {
    status: 'ok',
    version: ctx.env.VERSION ?? 'unknown',
    stage: ctx.env.STAGE ?? 'unknown',
    region: ctx.env.REGION ?? 'unknown',
    model: ctx.env.MODEL_ID ?? 'unknown',
  };
}
