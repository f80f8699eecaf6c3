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

/**
 * Session, self, password reset and invitation endpoints (mounted under /api). Requests without
 * a session (sign-in, reset, invitation acceptance) accept only JSON bodies: a cross-site HTML
 * form cannot send application/json, which keeps these endpoints safe from login CSRF.
 */
export function sessionApiRouter(s: AppServices): Router {
  const r = Router();

  r.post('/session', async (req, res) => {
    const body: unknown = req.body;
    const email = parseEmail(isRecord(body) ? body['email'] : undefined);
    const password = stringProp(body, 'password', { trim: false, max: 1000 });
    const { user, session } = await signIn(s, { email, password });
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
    await requestPasswordReset(s, email);
    // The same answer whether or not the email has an account.
    res.status(202).json({ message: 'if this email has an account, a reset link valid for one hour has been sent' });
  });

  r.post('/password-reset/:token', async (req, res) => {
    await resetPassword(s, param(req.params['token'], 'token'), stringProp(req.body, 'password', { trim: false, max: 1000 }));
    clearSessionCookie(res, s.config);
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
    });
    setSessionCookie(res, s.config, session.token, session.expiresAt);
    res.status(201).json({ user: userJson(user, s.config), csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() });
  });

  return r;
}
