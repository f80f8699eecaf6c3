import type { RequestHandler, Router } from 'express';
import { requireCsrf } from '../../accounts/guards';
import { clearSessionCookie, setSessionCookie } from '../../accounts/session-cookie';
import { signIn, signOut } from '../../accounts/sign-in';
import type { AppServices } from '../../deps';
import { clientAddress } from '../../http/client-address';
import { presessionToken } from '../../accounts/presession';
import { formBody, safeNext, text } from './forms';
import { isFormError, sentence } from './page-errors';
import { currentUser, sendPage } from './render';
import { signInView } from './views/sign-in-views';
import { landingFor } from '../../learning/landing';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '../../accounts/bootstrap-admin';
import type { Role, User } from '../../store/ports';

/** Where the person lands when the form names no other page (issue 18): where their roles' work is. */
async function landingOf(s: AppServices, user: User): Promise<string> {
  const roles = new Map<string, Set<Role>>();
  for (const m of await s.store.accounts.findMemberships({ userId: user.id })) {
    const set = roles.get(m.orgId) ?? new Set<Role>();
    set.add(m.role);
    roles.set(m.orgId, set);
  }
  return landingFor({ isSiteAdmin: user.isSiteAdmin, roles });
}

/** Messages of the sign-in form: one fixed sentence for 401 (says nothing about which was wrong); the service's words otherwise (slow-down and lock). */
function signInMessage(status: number, message: string): string {
  return status === 401 ? 'The email or password is wrong.' : sentence(message);
}

/**
 * GET/POST /sign-in and POST /sign-out (twins: the accounts JSON session API). `publicForm` is
 * the chain of a form that works without a session: same-origin check, body parser, pre-session
 * CSRF token (src/accounts/presession.ts).
 */
export function mountSignInPages(router: Router, s: AppServices, form: RequestHandler, publicForm: readonly RequestHandler[]): void {
  router.get('/sign-in', (req, res) => {
    const next = safeNext(req.query['next']);
    if (currentUser(res)) {
      res.redirect(303, next);
      return;
    }
    const notice = req.query['reset'] === '1' ? { kind: 'info' as const, text: 'Your password was changed: sign in with the new one.' } : undefined;
    const demo = s.config.demo ? { demo: { people: DEMO_PEOPLE.map((p) => ({ email: p.email, name: p.name })), password: DEMO_PASSWORD } } : {};
    sendPage(res, 200, { title: 'Sign in', body: signInView({ next, csrf: presessionToken(req, res, s.config), ...demo }), ...(notice ? { notice } : {}) });
  });

  router.post('/sign-in', ...publicForm, async (req, res) => {
    const f = formBody(req);
    const csrf = presessionToken(req, res, s.config);
    const email = text(f, 'email').trim();
    const password = text(f, 'password');
    const next = safeNext(text(f, 'next'));
    if (email === '' || password === '') {
      sendPage(res, 400, { title: 'Sign in', body: signInView({ email, next, csrf, error: 'Enter your email and your password.' }) });
      return;
    }
    try {
      const { user, session } = await signIn(s, { email, password, address: clientAddress(req) });
      setSessionCookie(res, s.config, session.token, session.expiresAt);
      res.redirect(303, next === '/' ? await landingOf(s, user) : next);
    } catch (err) {
      if (!isFormError(err)) throw err;
      const retry = err.headers['Retry-After'];
      if (retry !== undefined) res.setHeader('Retry-After', retry);
      sendPage(res, err.status, { title: 'Sign in', body: signInView({ email, next, csrf, error: signInMessage(err.status, err.message) }) });
    }
  });

  router.post('/sign-out', form, requireCsrf(), async (_req, res) => {
    const user = currentUser(res);
    if (user) await signOut(s, user.sessionId);
    clearSessionCookie(res, s.config);
    res.redirect(303, '/sign-in');
  });
}
