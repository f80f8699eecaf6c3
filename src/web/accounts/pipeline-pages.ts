/**
 * The statement pipeline's status and rebuild (issue 13), site administrator only:
 * GET /admin/pipeline (page) and POST /admin/pipeline/:name/rebuild (its button); twins
 * GET /api/admin/pipeline and POST /api/admin/pipeline/:name/rebuild. Every cursor, its lag in
 * statements and seconds, its holder and its last error; a rebuild replays from seq 0 while the
 * service runs.
 */
import { Router, type RequestHandler } from 'express';
import { recordAudit } from '../../accounts/audit';
import { requireCsrf, requireSiteAdmin, requireUser } from '../../accounts/guards';
import type { AppServices } from '../../deps';
import { AppError, badRequest } from '../../errors';
import { pipelineStatus, type SubscriberStatus } from '../../pipeline/engine';
import { html, type Html } from '../html';
import { csrfField } from './forms';
import { sendPage, signedIn, when } from './render';

const NAME = /^[a-z0-9][a-z0-9._:-]{0,99}$/;

async function statusOf(s: AppServices): Promise<SubscriberStatus[]> {
  return s.pipeline ? s.pipeline.status() : pipelineStatus(s.store, []);
}

async function rebuild(s: AppServices, res: Parameters<RequestHandler>[1], name: string): Promise<void> {
  if (!NAME.test(name)) throw badRequest('no such pipeline subscriber');
  if (!s.pipeline) throw new AppError('unavailable', 'the statement pipeline does not run in this process');
  await s.pipeline.rebuild(name);
  const user = signedIn(res);
  await recordAudit(s, user, { action: 'pipeline.rebuild', target: name });
}

function statusView(list: readonly SubscriberStatus[], csrf: string): Html {
  return html`<h1>Statement pipeline</h1>
<p><a href="/admin">Administration</a></p>
<p>Each subscriber follows the statements in the order they were stored, from its own cursor. Lag is what it has not handled yet. Rebuild forgets what a projection derived and replays every statement from the start, while the site keeps running.</p>
${list.length === 0
    ? html`<p>No subscriber has run yet.</p>`
    : html`<table>
<caption>Subscribers</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Cursor</th><th scope="col">Lag (statements)</th><th scope="col">Lag (seconds)</th><th scope="col">Instance</th><th scope="col">Last error</th><th scope="col">Rebuild</th></tr></thead>
<tbody>${list.map((x) => html`<tr>
<th scope="row">${x.name}${x.registered ? '' : html` <span class="muted">(not registered here)</span>`}</th>
<td>${String(x.cursor)} of ${String(x.horizon)}</td>
<td>${String(x.lagStatements)}</td>
<td>${x.lagSeconds.toFixed(1)}</td>
<td>${x.holder ?? html`<span class="muted">none</span>`}</td>
<td>${x.lastError !== undefined ? html`${x.lastError} (${String(x.failures)} in a row, ${when(x.lastErrorAt)})` : html`<span class="muted">none</span>`}</td>
<td>${x.rebuildRequestedAt !== undefined
    ? html`Requested ${when(x.rebuildRequestedAt)}`
    : html`<form method="post" action="/admin/pipeline/${encodeURIComponent(x.name)}/rebuild">${csrfField(csrf)}<button type="submit" aria-label="Rebuild ${x.name}">Rebuild</button></form>`}</td>
</tr>`)}</tbody></table>`}`;
}

/** The page and its button (mounted with the account pages, whose error handler renders refusals). */
export function mountPipelinePages(router: Router, s: AppServices, form: RequestHandler): void {
  router.get('/admin/pipeline', requireUser(), requireSiteAdmin(), async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    sendPage(res, 200, { title: 'Statement pipeline', body: statusView(await statusOf(s), signedIn(res).csrfToken) });
  });
  router.post('/admin/pipeline/:name/rebuild', requireUser(), form, requireCsrf(), requireSiteAdmin(), async (req, res) => {
    await rebuild(s, res, String(req.params['name']));
    res.redirect(303, '/admin/pipeline');
  });
}

/** The JSON twins, mounted under /api (JSON bodies and CSRF checked by the accounts API). */
export function pipelineApiRouter(s: AppServices): Router {
  const r = Router();
  r.get('/admin/pipeline', requireSiteAdmin(), async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ subscribers: await statusOf(s) });
  });
  r.post('/admin/pipeline/:name/rebuild', requireSiteAdmin(), async (req, res) => {
    await rebuild(s, res, String(req.params['name']));
    res.status(202).json({ name: req.params['name'], rebuild: 'requested' });
  });
  return r;
}
