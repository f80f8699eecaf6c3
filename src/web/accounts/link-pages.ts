import type { RequestHandler, Router } from 'express';
import { acceptInvitation, describeInvitation, type InvitationView } from '../../accounts/invitations';
import { checkPasswordResetToken, requestPasswordReset, resetPassword } from '../../accounts/password-reset';
import { setSessionCookie } from '../../accounts/session-cookie';
import type { AppServices } from '../../deps';
import { isAppError } from '../../errors';
import { formBody, param, text } from './forms';
import { clientAddress } from '../../http/client-address';
import { presessionToken } from '../../accounts/presession';
import { checkEmailVerificationToken, confirmEmail } from '../../accounts/email-proof';
import { isFormError, sentence } from './page-errors';
import { roleLabel, sendPage } from './render';
import { invitationView, linkDeadView, resetRequestView, resetSetView, verifyEmailView } from './views/sign-in-views';

/** The invitation behind a token, or undefined (and the "cannot be used" page sent) when it is dead. */
async function invitationOr404(s: AppServices, token: string, res: Parameters<RequestHandler>[1]): Promise<InvitationView | undefined> {
  try {
    return await describeInvitation(s, token);
  } catch (err) {
    if (!isAppError(err) || err.status !== 404) throw err;
    sendPage(res, 404, { title: 'Invitation', body: linkDeadView('invitation', sentence(err.message)) });
    return undefined;
  }
}

/**
 * Pages reached by one-time links: /invitations/:token (accept), /password-reset[/:token] and
 * /verify-email/:token. Twins: /api/invitations/:token, /api/password-reset[/:token] and
 * /api/email-verification/:token of the accounts API. Their forms work without a session, so each
 * POST goes through `publicForm` (same-origin check, parser, pre-session CSRF token).
 */
export function mountLinkPages(router: Router, s: AppServices, publicForm: readonly RequestHandler[]): void {
  router.get('/invitations/:token', async (req, res) => {
    const token = param(req, 'token');
    const inv = await invitationOr404(s, token, res);
    if (!inv) return;
    const csrf = presessionToken(req, res, s.config);
    sendPage(res, 200, {
      title: `Join ${inv.organization.name}`,
      body: invitationView({ token, csrf, orgName: inv.organization.name, email: inv.email, roles: inv.roles.map(roleLabel), existingAccount: inv.existingAccount }),
    });
  });

  router.post('/invitations/:token', ...publicForm, async (req, res) => {
    const token = param(req, 'token');
    const inv = await invitationOr404(s, token, res);
    if (!inv) return;
    const csrf = presessionToken(req, res, s.config);
    const f = formBody(req);
    const name = text(f, 'name');
    const password = text(f, 'password');
    const again = (status: number, error: string): void =>
      sendPage(res, status, {
        title: `Join ${inv.organization.name}`,
        body: invitationView({ token, csrf, orgName: inv.organization.name, email: inv.email, roles: inv.roles.map(roleLabel), existingAccount: inv.existingAccount, name, error }),
      });
    if (!inv.existingAccount && password !== text(f, 'confirm')) {
      again(400, 'The two passwords are not the same.');
      return;
    }
    try {
      const address = clientAddress(req);
      const { session } = await acceptInvitation(s, token, inv.existingAccount ? { password, address } : { name, password, address });
      setSessionCookie(res, s.config, session.token, session.expiresAt);
      res.redirect(303, '/');
    } catch (err) {
      if (isAppError(err) && err.status === 404) {
        sendPage(res, 404, { title: 'Invitation', body: linkDeadView('invitation', sentence(err.message)) });
        return;
      }
      if (!isFormError(err)) throw err;
      again(err.status, sentence(err.message));
    }
  });

  router.get('/password-reset', (req, res) => {
    sendPage(res, 200, { title: 'Reset your password', body: resetRequestView({ csrf: presessionToken(req, res, s.config) }) });
  });

  router.post('/password-reset', ...publicForm, async (req, res) => {
    const email = text(formBody(req), 'email').trim();
    const csrf = presessionToken(req, res, s.config);
    if (email === '') {
      sendPage(res, 400, { title: 'Reset your password', body: resetRequestView({ csrf, email, error: 'Enter the email of your account.' }) });
      return;
    }
    // The same answer whether or not the account exists (the service decides; the page never says).
    const { delivery } = await requestPasswordReset(s, email);
    sendPage(res, 200, { title: 'Reset your password', body: resetRequestView({ csrf, email, sent: delivery }) });
  });

  router.get('/password-reset/:token', async (req, res) => {
    const token = param(req, 'token');
    if (!(await checkPasswordResetToken(s, token))) {
      sendPage(res, 404, { title: 'Password reset', body: linkDeadView('password reset link', 'This link is unknown, used or expired: ask for a new one.') });
      return;
    }
    sendPage(res, 200, { title: 'Choose a new password', body: resetSetView({ token, csrf: presessionToken(req, res, s.config) }) });
  });

  router.post('/password-reset/:token', ...publicForm, async (req, res) => {
    const token = param(req, 'token');
    const csrf = presessionToken(req, res, s.config);
    const f = formBody(req);
    const password = text(f, 'password');
    if (password !== text(f, 'confirm')) {
      sendPage(res, 400, { title: 'Choose a new password', body: resetSetView({ token, csrf, error: 'The two passwords are not the same.' }) });
      return;
    }
    try {
      await resetPassword(s, token, password);
    } catch (err) {
      if (isAppError(err) && err.status === 404) {
        sendPage(res, 404, { title: 'Password reset', body: linkDeadView('password reset link', sentence(err.message)) });
        return;
      }
      if (!isFormError(err)) throw err;
      sendPage(res, err.status, { title: 'Choose a new password', body: resetSetView({ token, csrf, error: sentence(err.message) }) });
      return;
    }
    res.redirect(303, '/sign-in?reset=1');
  });

  // A GET only shows the confirm button: mail scanners that open links must not use them up.
  router.get('/verify-email/:token', async (req, res) => {
    const token = param(req, 'token');
    if (!(await checkEmailVerificationToken(s, token))) {
      sendPage(res, 404, { title: 'Confirm your email', body: linkDeadView('email confirmation link', 'This link is unknown, used or expired: ask for a new one on your account page.') });
      return;
    }
    sendPage(res, 200, { title: 'Confirm your email', body: verifyEmailView({ token, csrf: presessionToken(req, res, s.config) }) });
  });

  router.post('/verify-email/:token', ...publicForm, async (req, res) => {
    try {
      await confirmEmail(s, param(req, 'token'));
    } catch (err) {
      if (isAppError(err) && err.status === 404) {
        sendPage(res, 404, { title: 'Confirm your email', body: linkDeadView('email confirmation link', sentence(err.message)) });
        return;
      }
      throw err;
    }
    sendPage(res, 200, { title: 'Email confirmed', body: verifyEmailView({ done: true }) });
  });
}
