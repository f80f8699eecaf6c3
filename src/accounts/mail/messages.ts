/** The texts of the mails LearnHQ sends; each carries one one-time link. */
import type { Mail } from './mailer';

/** An invitation to join an organization. */
export function invitationMail(o: { readonly to: string; readonly orgName: string; readonly roles: readonly string[]; readonly link: string; readonly expiresAt: string }): Mail {
  return {
    to: o.to,
    subject: `Your invitation to ${o.orgName} on LearnHQ`,
    text: [
      `You were invited to join ${o.orgName} on LearnHQ (${o.roles.join(', ')}).`,
      '',
      `Accept the invitation by opening this link (it works once, until ${o.expiresAt}):`,
      o.link,
      '',
      'If you did not expect this invitation, ignore this mail.',
    ].join('\n'),
  };
}

/** A password reset link. */
export function passwordResetMail(o: { readonly to: string; readonly link: string }): Mail {
  return {
    to: o.to,
    subject: 'Reset your LearnHQ password',
    text: [
      'Somebody asked to reset the password of your LearnHQ account.',
      '',
      'Choose a new password by opening this link (it works once, for one hour):',
      o.link,
      '',
      'If it was not you, ignore this mail: your password stays as it is.',
    ].join('\n'),
  };
}

/** A link that proves the person receives mail at their address. */
export function emailVerificationMail(o: { readonly to: string; readonly link: string }): Mail {
  return {
    to: o.to,
    subject: 'Confirm your email address on LearnHQ',
    text: [
      'Confirm that this address belongs to your LearnHQ account by opening this link (it works once, for one day):',
      o.link,
      '',
      'Learning records that name this address are linked to your account only after you confirm it.',
    ].join('\n'),
  };
}
