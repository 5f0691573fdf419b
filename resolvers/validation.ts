// Input checks shared by resolvers: each failure is a ValidationError a person can act on,
// raised before anything is written.
import { util } from '@aws-appsync/utils';

export const MAX_CONTENT_CHARS = 32000;
export const MAX_TITLE_CHARS = 200;
export const MAX_SYSTEM_PROMPT_CHARS = 20000;
export const MAX_DEVICE_NAME_CHARS = 100;
export const MAX_PAGE_SIZE = 100;

const ULID = '[0-9A-HJKMNP-TV-Z]{26}';

/** Conversation, message and session ids are ULIDs (util.autoUlid). */
export function requireId(value: string, what: string): string {
  if (!util.matches(ULID, value)) util.error(`${what} '${value}' is not a valid id (a 26-character ULID).`, 'ValidationError');
  return value;
}

/** Text that must not be blank and must fit `max` characters; returned trimmed. */
export function requireText(value: string | null | undefined, what: string, max: number): string {
  const text = (value ?? '').trim();
  if (text.length === 0) util.error(`${what} must not be empty.`, 'ValidationError');
  if (text.length > max) util.error(`${what} is ${text.length} characters; the limit is ${max}.`, 'ValidationError');
  return text;
}

/** Optional text: null when absent or blank, else as requireText. */
export function optionalText(value: string | null | undefined, what: string, max: number): string | null {
  if (value === null || value === undefined || value.trim().length === 0) return null;
  return requireText(value, what, max);
}

/** Client-chosen idempotency keys: 8 to 64 letters, digits, '-' or '_'. */
export function requireClientMessageId(value: string): string {
  if (!util.matches('[A-Za-z0-9_-]{8,64}', value)) {
    util.error(`clientMessageId '${value}' must be 8 to 64 letters, digits, '-' or '_' (a UUID works).`, 'ValidationError');
  }
  return value;
}

/** A page size: 1 to MAX_PAGE_SIZE, `fallback` when absent. */
export function pageSize(limit: number | null | undefined, fallback: number): number {
  if (limit === null || limit === undefined) return fallback;
  if (limit < 1 || limit > MAX_PAGE_SIZE) util.error(`limit must be between 1 and ${MAX_PAGE_SIZE}, not ${limit}.`, 'ValidationError');
  return limit;
}
