/**
 * Proof of an email address (issue 11): an address is linked to a person only once they followed
 * a link mailed to it — an invitation, a password reset or the verification link of this module.
 * Until then the LRS does not file statements naming that mailbox under the person's
 * organizations, and the person's identity and erasure leave the mailbox out (docs/security.md).
 */
import type { AppServices } from '../deps';
import { AppError, notFound } from '../errors';
import type { User } from '../store/ports';
import { forgetPerson } from '../xapi/org-scope';
import { mailerFor, type MailDelivery } from './mail/mailer';
import { emailVerificationMail } from './mail/messages';
import { forgetUser } from './sessions';
import { issueOneTimeToken, usableOneTimeToken } from './one-time-tokens';
import type { UserContext } from './user-context';

/** How long a verification link works. */
export const EMAIL_VERIFY_TTL_MS = 24 * 60 * 60 * 1000;

/** The link of a verification token (page /verify-email/<token>; API twin POST /api/email-verification/<token>). */
export function emailVerificationLink(publicUrl: string, token: string): string {
  return `${publicUrl}/verify-email/${token}`;
}

/** Records that `user` proved their email now (no-op when proven before). */
export async function markEmailProven(s: AppServices, user: Pick<User, 'id' | 'emailVerifiedAt'>): Promise<void> {
  if (user.emailVerifiedAt !== undefined) return;
  await s.store.accounts.updateUser(user.id, { emailVerifiedAt: s.now().toISOString() });
  forgetUser(s, user.id);
  // The LRS may now match statements naming the mailbox (when the person shares it). Its cache may
  // hold "nobody" under that mailbox, which forgetting one person would not reach: forget all
  // (proofs are rare).
  forgetPerson(s.store);
}

/** What requestEmailVerification did. */
export type VerificationRequest = { readonly proven: true } | { readonly proven: false; readonly delivery: MailDelivery };

/**
 * Mails the signed-in person a one-time link to their own address (valid one day). Nothing is
 * sent when the address is proven already.
 */
export async function requestEmailVerification(s: AppServices, actor: UserContext): Promise<VerificationRequest> {
  const user = await s.store.accounts.findUser(actor.userId);
  if (!user) throw notFound(`no person ${actor.userId}`);
  if (user.emailVerifiedAt !== undefined) return { proven: true };
  const token = await issueOneTimeToken(s, 'email-verify', user.id, EMAIL_VERIFY_TTL_MS);
  const mailer = mailerFor(s);
  await mailer.send(emailVerificationMail({ to: user.email, link: emailVerificationLink(s.config.publicUrl, token) }));
  return { proven: false, delivery: mailer.delivery };
}

const INVALID = 'this email confirmation link is unknown, used or expired: ask for a new one on your account page';

/** Whether a verification token can still be used (for the page that asks to confirm). */
export async function checkEmailVerificationToken(s: AppServices, token: string): Promise<boolean> {
  return (await usableOneTimeToken(s, token, 'email-verify')) !== undefined;
}

/** Confirms an address with a verification token: single use, one day. 404 for an unknown, used or expired token. */
export async function confirmEmail(s: AppServices, token: string): Promise<void> {
  const t = await usableOneTimeToken(s, token, 'email-verify');
  if (!t || !(await s.store.accounts.updateTokenUsed(t.tokenHash, s.now().toISOString()))) throw new AppError('not_found', INVALID);
  const user = await s.store.accounts.findUser(t.userId);
  if (!user || user.disabledAt !== undefined) throw new AppError('not_found', INVALID);
  await markEmailProven(s, user);
}
