// Six-digit confirmation codes: "sent" by printing them in the sandbox log, checked as Cognito checks them.
import { randomInt } from 'node:crypto';
import { secretsEqual } from '../aws/secrets-equal.ts';
import { codeMismatch, expiredCode, limitExceeded } from './errors.ts';
import type { PoolContext } from './state.ts';
import type { PendingCode, UserRecord } from './users.ts';

// Sign-up codes last 24 hours, password reset codes 1 hour ("Verifying updates to email addresses and phone numbers").
const VALIDITY_MS: Record<PendingCode['purpose'], number> = { SIGN_UP: 24 * 3600_000, FORGOT_PASSWORD: 3600_000 };
const MAX_FAILURES = 5;

export interface CodeDeliveryDetails {
  Destination: string;
  DeliveryMedium: 'EMAIL' | 'SMS';
  AttributeName: string;
}

/** "a***@e***" for an email, "+*******1234" for a phone number. */
function mask(value: string, medium: 'EMAIL' | 'SMS'): string {
  if (medium === 'SMS') return `+${'*'.repeat(Math.max(value.length - 5, 0))}${value.slice(-4)}`;
  const [local = '', domain = ''] = value.split('@');
  return `${local.charAt(0)}***@${domain.charAt(0)}***`;
}

export function sendCode(ctx: PoolContext, user: UserRecord, purpose: PendingCode['purpose']): CodeDeliveryDetails {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  user.code = { purpose, code, expiresAt: ctx.now() + VALIDITY_MS[purpose], failures: 0 };
  const phone = user.attributes.phone_number;
  const medium = user.attributes.email === undefined && phone !== undefined ? 'SMS' : 'EMAIL';
  const destination = (medium === 'SMS' ? phone : user.attributes.email) ?? user.username;
  const what = purpose === 'SIGN_UP' ? 'confirmation code' : 'password reset code';
  ctx.log.info(`${what} for ${destination}: ${code}`);
  return { Destination: mask(destination, medium), DeliveryMedium: medium, AttributeName: medium === 'SMS' ? 'phone_number' : 'email' };
}

/** Accepts the pending code once; a wrong one counts, five wrong ones lock the code. */
export function consumeCode(ctx: PoolContext, user: UserRecord, purpose: PendingCode['purpose'], code: string): void {
  const pending = user.code;
  if (pending === undefined || pending.purpose !== purpose) throw codeMismatch();
  if (pending.failures >= MAX_FAILURES) throw limitExceeded();
  if (!secretsEqual(pending.code, code)) {
    pending.failures += 1;
    throw codeMismatch();
  }
  if (ctx.now() > pending.expiresAt) throw expiredCode();
  user.code = undefined;
}
