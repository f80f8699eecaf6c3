import { Router } from 'express';
import type { AppServices } from '../../deps';
import { isRecord, optionalStringProp, parseEmail, stringProp } from '../input';
import { acceptInvitation, describeInvitation } from '../invitations';
import { describeMe, setShareEmail } from '../me';
import { badRequest } from '../../errors';
import { requestPasswordReset, resetPassword } from '../password-reset';
import { clearSessionCookie, setSessionCookie } from '../session-cookie';
import { signIn, signOut } from '../sign-in';
import { currentUser, requireUser } from '../guards';
import { actorOf, param, userJson } from './respond';
import { clientAddress } from '../../http/client-address';
import { confirmEmail, requestEmailVerification } from '../email-proof';

/**
 * Session, self, password reset, invitation and email confirmation endpoints (mounted under
 * /api). Requests without a session (sign-in, reset, invitation acceptance, email confirmation)
 * accept only JSON bodies, which a cross-site HTML form cannot send, and routes.ts refuses them
 * when the browser says they come from another site: both keep them safe from login CSRF.
 */
export function sessionApiRouter(s: AppServices): Router {
  const r = Router();

  r.post('/session', async (req, res) => {
    const body: unknown = req.body;
    const email = parseEmail(isRecord(body) ? body['email'] : undefined);
    const password = stringProp(body, 'password', { trim: false, max: 1000 });
    const { user, session } = await signIn(s, { email, password, address: clientAddress(req) });
    setSessionCookie(res, s.config, session.token, session.expiresAt);
    res.status(201).json({ user: userJson(user, s.config), csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() });
  });

  r.delete('/session', async (_req, res) => {
    const user = currentUser(res);
    if (user) await signOut(s, user.sessionId);
    clearSessionCookie(res, s.config);
    res.status(204).end();
  });

  // PATCH /api/me { shareEmail }: the API twin of the /me page's setting.
  r.patch('/me', requireUser(), async (req, res) => {
    const body: unknown = req.body;
    const share = isRecord(body) ? body['shareEmail'] : undefined;
    if (typeof share !== 'boolean') throw badRequest('shareEmail: must be true or false');
    const actor = currentUser(res);
    if (!actor) throw badRequest('not signed in');
    await setShareEmail(s, actor, share);
    res.json(await describeMe(s, actor));
  });

  r.get('/me', requireUser(), async (_req, res) => {
    res.json(await describeMe(s, actorOf(res)));
  });

  r.post('/password-reset', async (req, res) => {
    const body: unknown = req.body;
    const email = parseEmail(isRecord(body) ? body['email'] : undefined);
    const { delivery } = await requestPasswordReset(s, email);
    // The same answer whether or not the email has an account; it says truly where the link went.
    res.status(202).json({
      delivery,
      message: delivery === 'smtp'
        ? 'if this email has an account, a reset link valid for one hour was mailed to it'
        : 'no mail server is configured: if this email has an account, its reset link is in the site administrator\'s outbox',
    });
  });

  r.post('/password-reset/:token', async (req, res) => {
    await resetPassword(s, param(req.params['token'], 'token'), stringProp(req.body, 'password', { trim: false, max: 1000 }));
    clearSessionCookie(res, s.config);
    res.status(204).end();
  });

  // POST /api/me/email-verification: mails the signed-in person a link that proves their address.
  r.post('/me/email-verification', requireUser(), async (_req, res) => {
    const result = await requestEmailVerification(s, actorOf(res));
    if (result.proven) {
      res.status(200).json({ proven: true, message: 'your email address is proven already' });
      return;
    }
    res.status(202).json({
      proven: false,
      delivery: result.delivery,
      message: result.delivery === 'smtp' ? 'a confirmation link was mailed to your address' : 'no mail server is configured: the confirmation link is in the site administrator\'s outbox',
    });
  });

  r.post('/email-verification/:token', async (req, res) => {
    await confirmEmail(s, param(req.params['token'], 'token'));
    res.status(204).end();
  });

  r.get('/invitations/:token', async (req, res) => {
    res.json(await describeInvitation(s, param(req.params['token'], 'token')));
  });

  r.post('/invitations/:token', async (req, res) => {
    const body: unknown = req.body;
    const shareEmail = isRecord(body) && body['shareEmail'] === true;
    const name = optionalStringProp(body, 'name', { max: 120 });
    const { user, session } = await acceptInvitation(s, param(req.params['token'], 'token'), {
      ...(name !== undefined ? { name } : {}),
      password: stringProp(body, 'password', { trim: false, max: 1000 }),
      shareEmail,
      address: clientAddress(req),
    });
    setSessionCookie(res, s.config, session.token, session.expiresAt);
    res.status(201).json({ user: userJson(user, s.config), csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() });
  });

  return r;
}
