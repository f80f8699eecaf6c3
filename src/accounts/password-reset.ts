import type { AppServices } from '../deps';
import { AppError } from '../errors';
import { markEmailProven } from './email-proof';
import { parseNewPassword } from './input';
import { mailerFor, type MailDelivery } from './mail/mailer';
import { passwordResetMail } from './mail/messages';
import { hashSecret } from './secret-hash';
import { endUserSessions } from './sessions';
import { clearAccountLimit } from './sign-in-limits';
import { issueOneTimeToken, usableOneTimeToken } from './one-time-tokens';

/** How long a password reset link works. */
export const RESET_TTL_MS = 60 * 60 * 1000;

/** The link of a reset token (page /password-reset/<token>; the API twin is POST /api/password-reset/:token). */
export function passwordResetLink(publicUrl: string, token: string): string {
  return `${publicUrl}/password-reset/${token}`;
}

/**
 * Starts a password reset: when the email belongs to an active account, makes a one-time link
 * valid for an hour and mails it to that address (SMTP, or the site administrator's outbox when
 * no SMTP server is configured). The caller learns nothing about whether the email has an
 * account: the answer is where mail goes, the same either way. A failing mail server is logged,
 * not reported, for the same reason.
 */
export async function requestPasswordReset(s: AppServices, email: string): Promise<{ readonly delivery: MailDelivery }> {
  const mailer = mailerFor(s);
  const user = await s.store.accounts.findUserByEmail(email.trim().toLowerCase());
  if (!user || user.disabledAt !== undefined) {
    s.logger.info('password reset requested for an email without an active account');
    return { delivery: mailer.delivery };
  }
  const token = await issueOneTimeToken(s, 'password-reset', user.id, RESET_TTL_MS);
  try {
    await mailer.send(passwordResetMail({ to: user.email, link: passwordResetLink(s.config.publicUrl, token) }));
    s.logger.info({ userId: user.id, delivery: mailer.delivery }, 'password reset link mailed');
  } catch (err) {
    s.logger.error({ err, userId: user.id }, 'password reset link could not be mailed');
  }
  return { delivery: mailer.delivery };
}

const INVALID = 'this password reset link is unknown, used or expired: ask for a new one';

/** Whether a reset token can still be used (for the page that asks for the new password). */
export async function checkPasswordResetToken(s: AppServices, token: string): Promise<boolean> {
  return (await usableOneTimeToken(s, token, 'password-reset')) !== undefined;
}

/**
 * Sets a new password with a reset token: single use (race-safe in the store), valid one hour.
 * Ends every other reset link of the person, proves their email (the link was mailed to it),
 * lifts the sign-in limit of the account and ends every session and launch token of the person.
 * 404 for an unknown, used or expired token; 400 for a password that breaks the rules.
 */
export async function resetPassword(s: AppServices, token: string, newPassword: string): Promise<void> {
  const password = parseNewPassword(newPassword);
  const t = await usableOneTimeToken(s, token, 'password-reset');
  if (!t) throw new AppError('not_found', INVALID);
  const passwordHash = await hashSecret(password);
  const now = s.now();
  if (!(await s.store.accounts.updateTokenUsed(t.tokenHash, now.toISOString()))) throw new AppError('not_found', INVALID);
  // Issue 11: an older (or newer) link mailed before must not set the password again.
  await s.store.accounts.updateTokensUsedForUser(t.userId, 'password-reset', now.toISOString());
  await s.store.accounts.updateUser(t.userId, { passwordHash });
  const user = await s.store.accounts.findUser(t.userId);
  if (user) {
    await markEmailProven(s, user);
    await clearAccountLimit(s, user.email);
  }
  await endUserSessions(s, t.userId);
}
