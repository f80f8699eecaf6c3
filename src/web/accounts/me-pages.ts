import type { RequestHandler, Router } from 'express';
import { requireCsrf, requireUser } from '../../accounts/guards';
import { setShareEmail } from '../../accounts/me';
import { describeMe } from '../../accounts/service';
import type { AppServices } from '../../deps';
import { formBody, text } from './forms';
import { sendPage, signedIn } from './render';
import { meView } from './views/me-views';
import { requestEmailVerification } from '../../accounts/email-proof';

/** /me: identity, roles, xAPI identity, share-email setting, link to the records download. Twin: /api/me. */
export function mountMePages(router: Router, s: AppServices, form: RequestHandler): void {
  router.get('/me', requireUser(), async (req, res) => {
    const me = await describeMe(s, signedIn(res));
    const sent = req.query['sent'];
    sendPage(res, 200, {
      title: 'My account',
      body: meView({ me, saved: req.query['saved'] === '1', canEditShareEmail: true, ...(sent === 'smtp' || sent === 'outbox' ? { verificationSent: sent } : {}) }),
    });
  });

  // Twin: POST /api/me/email-verification.
  router.post('/me/verify-email', requireUser(), form, requireCsrf(), async (_req, res) => {
    const result = await requestEmailVerification(s, signedIn(res));
    res.redirect(303, result.proven ? '/me' : `/me?sent=${result.delivery}`);
  });

  router.post('/me/share-email', requireUser(), form, requireCsrf(), async (req, res) => {
    await setShareEmail(s, signedIn(res), text(formBody(req), 'shareEmail') === 'on');
    res.redirect(303, '/me?saved=1');
  });
}
