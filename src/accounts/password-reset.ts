import type { AppServices } from '../deps';
import { AppError } from '../errors';
import { parseNewPassword } from './input';
import { hashSecret } from './secret-hash';
import { endUserSessions } from './sessions';
import { hashToken, newLinkToken } from './tokens';

/** How long a password reset link works. */
export const RESET_TTL_MS = 60 * 60 * 1000;

/** The link of a reset token (a page of the pages engineer; the API twin is POST /api/password-reset/:token). */
export function passwordResetLink(publicUrl: string, token: string): string {
  return `${publicUrl}/password-reset/${token}`;
}

/**
 * Starts a password reset: when the email belongs to an active account, makes a one-time link
 * valid for an hour and "sends" it. There is no mail server support yet: the link is written to
 * the log (pino, info level). Always resolves the same way, so the caller cannot learn whether
 * the email has an account. Returns the link for tests and callers that deliver it themselves.
 */
export async function requestPasswordReset(s: AppServices, email: string): Promise<{ readonly link?: string }> {
  const user = await s.store.accounts.findUserByEmail(email.trim().toLowerCase());
  if (!user || user.disabledAt !== undefined) {
    s.logger.info({ email }, 'password reset requested for an email without an active account');
    return {};
  }
  const now = s.now();
  const token = newLinkToken();
  await s.store.accounts.insertToken({
    tokenHash: hashToken(token),
    kind: 'password-reset',
    userId: user.id,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + RESET_TTL_MS).toISOString(),
  });
  const link = passwordResetLink(s.config.publicUrl, token);
  s.logger.info({ userId: user.id, email: user.email, link }, 'password reset link (no mail server is configured: deliver it by hand)');
  return { link };
}

const INVALID = 'this password reset link is unknown, used or expired: ask for a new one';

/** Whether a reset token can still be used (for the page that asks for the new password). */
export async function checkPasswordResetToken(s: AppServices, token: string): Promise<boolean> {
  const t = await s.store.accounts.findToken(hashToken(token));
  return !!t && t.kind === 'password-reset' && t.usedAt === undefined && Date.parse(t.expiresAt) > s.now().getTime();
}

/**
 * Sets a new password with a reset token: single use (race-safe in the store), valid one hour.
 * Clears the sign-in lockout and ends every session of the person. 404 for an unknown, used or
 * expired token; 400 for a password that breaks the rules.
 */
export async function resetPassword(s: AppServices, token: string, newPassword: string): Promise<void> {
  const password = parseNewPassword(newPassword);
  const tokenHash = hashToken(token);
  const t = await s.store.accounts.findToken(tokenHash);
  const now = s.now();
  if (!t || t.kind !== 'password-reset' || t.usedAt !== undefined || Date.parse(t.expiresAt) <= now.getTime()) {
    throw new AppError('not_found', INVALID);
  }
  const passwordHash = await hashSecret(password);
  if (!(await s.store.accounts.updateTokenUsed(tokenHash, now.toISOString()))) throw new AppError('not_found', INVALID);
  await s.store.accounts.updateUser(t.userId, { passwordHash, failedSignIns: 0, clearLockedUntil: true });
  await endUserSessions(s, t.userId);
}
