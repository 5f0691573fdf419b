// The daily token quota (DAILY_TOKEN_QUOTA in the API's environment) and today's date key.
import { util } from '@aws-appsync/utils';

export const DEFAULT_DAILY_TOKEN_QUOTA = 200000;

export function dailyQuota(env: Record<string, string>): number {
  const configured = Number.parseInt(env.DAILY_TOKEN_QUOTA ?? '', 10);
  return Number.isNaN(configured) ? DEFAULT_DAILY_TOKEN_QUOTA : configured;
}

export function today(): string {
  return util.time.nowFormatted('yyyy-MM-dd', 'Etc/UTC');
}
