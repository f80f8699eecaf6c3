import type { RequestHandler, Router } from 'express';
import { acceptInvitation, describeInvitation, type InvitationView } from '../../accounts/invitations';
import { checkPasswordResetToken, requestPasswordReset, resetPassword } from '../../accounts/password-reset';
import { setSessionCookie } from '../../accounts/session-cookie';
import type { AppServices } from '../../deps';
import { isAppError } from '../../errors';
import { formBody, param, text } from './forms';
import { isFormError, sentence } from './page-errors';
import { roleLabel, sendPage } from './render';
import { invitationView, linkDeadView, resetRequestView, resetSetView } from './views/sign-in-views';

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
 * Pages reached by one-time links: /invitations/:token (accept) and /password-reset[/:token].
 * Twins: /api/invitations/:token and /api/password-reset[/:token] of the accounts API.
 */
export function mountLinkPages(router: Router, s: AppServices, form: RequestHandler): void {
  router.get('/invitations/:token', async (req, res) => {
    const token = param(req, 'token');
    const inv = await invitationOr404(s, token, res);
    if (!inv) return;
    sendPage(res, 200, {
      title: `Join ${inv.organization.name}`,
      body: invitationView({ token, orgName: inv.organization.name, email: inv.email, roles: inv.roles.map(roleLabel), existingAccount: inv.existingAccount }),
    });
  });

  router.post('/invitations/:token', form, async (req, res) => {
    const token = param(req, 'token');
    const inv = await invitationOr404(s, token, res);
    if (!inv) return;
    const f = formBody(req);
    const name = text(f, 'name');
    const password = text(f, 'password');
    const again = (status: number, error: string): void =>
      sendPage(res, status, {
        title: `Join ${inv.organization.name}`,
        body: invitationView({ token, orgName: inv.organization.name, email: inv.email, roles: inv.roles.map(roleLabel), existingAccount: inv.existingAccount, name, error }),
      });
    if (!inv.existingAccount && password !== text(f, 'confirm')) {
      again(400, 'The two passwords are not the same.');
      return;
    }
    try {
      const { session } = await acceptInvitation(s, token, inv.existingAccount ? { password } : { name, password });
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

  router.get('/password-reset', (_req, res) => {
    sendPage(res, 200, { title: 'Reset your password', body: resetRequestView({}) });
  });

  router.post('/password-reset', form, async (req, res) => {
    const email = text(formBody(req), 'email').trim();
    if (email === '') {
      sendPage(res, 400, { title: 'Reset your password', body: resetRequestView({ email, error: 'Enter the email of your account.' }) });
      return;
    }
    // The same answer whether or not the account exists (the service decides; the page never says).
    await requestPasswordReset(s, email);
    sendPage(res, 200, { title: 'Reset your password', body: resetRequestView({ email, sent: true }) });
  });

  router.get('/password-reset/:token', async (req, res) => {
    const token = param(req, 'token');
    if (!(await checkPasswordResetToken(s, token))) {
      sendPage(res, 404, { title: 'Password reset', body: linkDeadView('password reset link', 'This link is unknown, used or expired: ask for a new one.') });
      return;
    }
    sendPage(res, 200, { title: 'Choose a new password', body: resetSetView({ token }) });
  });

  router.post('/password-reset/:token', form, async (req, res) => {
    const token = param(req, 'token');
    const f = formBody(req);
    const password = text(f, 'password');
    if (password !== text(f, 'confirm')) {
      sendPage(res, 400, { title: 'Choose a new password', body: resetSetView({ token, error: 'The two passwords are not the same.' }) });
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
      sendPage(res, err.status, { title: 'Choose a new password', body: resetSetView({ token, error: sentence(err.message) }) });
      return;
    }
    res.redirect(303, '/sign-in?reset=1');
  });
}
