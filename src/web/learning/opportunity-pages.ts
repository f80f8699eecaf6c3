import express, { type Router } from 'express';
import { requireCsrf, requireUser } from '../../accounts/guards';
import { hasRole } from '../../accounts/user-context';
import { cancelRegistration, recordAttendance, registerFor, roster, visibleOpportunity, type RosterLine } from '../../catalog/opportunities';
import type { AppServices } from '../../deps';
import type { CatalogEntry } from '../../store/ports';
import { csrfField, formBody } from '../accounts/forms';
import { sendPage, signedIn, when } from '../accounts/render';
import { kindLabel } from '../catalog/pages';
import { html, type Html } from '../html';

function view(e: CatalogEntry, o: { csrf: string; registered: boolean; roster?: readonly RosterLine[]; notice?: string }): Html {
  const withdrawn = e.state !== 'published';
  return html`<h1>${e.title}</h1>
<p class="muted">${kindLabel(e.kind)} · provided by ${e.provider}</p>
${o.notice ? html`<p class="notice ok" role="status">${o.notice}</p>` : ''}
${withdrawn ? html`<p class="notice error">This opportunity was withdrawn; its registrations are cancelled.</p>` : ''}
${o.roster && !withdrawn ? html`<p><a href="/opportunities/${encodeURIComponent(e.id)}/edit">Edit or withdraw</a></p>` : ''}
${e.description ? html`<p lang="${e.language}">${e.description}</p>` : ''}
<dl class="facts">
${e.startsAt ? html`<dt>Starts</dt><dd>${when(e.startsAt)}</dd>` : ''}
${e.endsAt ? html`<dt>Ends</dt><dd>${when(e.endsAt)}</dd>` : ''}
${e.location ? html`<dt>Where</dt><dd>${e.location}</dd>` : ''}
${e.joinUrl && o.registered ? html`<dt>Join link</dt><dd><a href="${e.joinUrl}">${e.joinUrl}</a></dd>` : ''}
${e.url ? html`<dt>Link</dt><dd><a href="${e.url}">${e.url}</a></dd>` : ''}
${e.capacity !== undefined ? html`<dt>Places</dt><dd>${e.capacity}</dd>` : ''}
${e.ceCredits !== undefined ? html`<dt>CE credits</dt><dd>${e.ceCredits}</dd>` : ''}
</dl>
${withdrawn ? '' : o.registered
    ? html`<p>You are registered.</p><form method="post" action="/opportunities/${encodeURIComponent(e.id)}/cancel">${csrfField(o.csrf)}<button type="submit" class="secondary">Cancel my registration</button></form>`
    : html`<form method="post" action="/opportunities/${encodeURIComponent(e.id)}/register">${csrfField(o.csrf)}<button type="submit">Register</button></form>`}
${o.roster
    ? html`<h2>Attendance</h2>
${o.roster.length === 0 ? html`<p>Nobody has registered yet.</p>` : html`<form method="post" action="/opportunities/${encodeURIComponent(e.id)}/attendance">${csrfField(o.csrf)}
<fieldset><legend>Who attended</legend>
${o.roster.map((r, i) => html`<div class="check"><input type="checkbox" id="att-${i}" name="attended" value="${r.userId}"${r.state === 'attended' ? html` checked` : ''}><label for="att-${i}">${r.name} (${r.email})</label></div>`)}
</fieldset><div class="actions"><button type="submit">Save attendance</button></div></form>
<p>Or send a CSV with columns <code>email</code> and <code>attended</code> (yes/no) to <code>POST /api/opportunities/${e.id}/attendance</code>; its answer reports each row.</p>`}`
    : ''}`;
}

/** /opportunities/:id: details, register or cancel, and the attendance checklist for organizers. */
export function mountOpportunityPages(pages: Router, s: AppServices): void {
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 5000 });
  const show = async (res: express.Response, id: string, notice?: string): Promise<void> => {
    const user = signedIn(res);
    const e = await visibleOpportunity(s, user, id);
    const mine = (await s.store.learning.findOpportunityRegistrations({ entryId: id, userId: user.userId }))[0];
    const organizer = hasRole(user, e.orgId, 'author', 'orgAdmin');
    sendPage(res, 200, {
      title: e.title,
      body: view(e, { csrf: user.csrfToken, registered: mine?.state === 'registered' || mine?.state === 'attended', ...(organizer ? { roster: await roster(s, user, id) } : {}), ...(notice ? { notice } : {}) }),
    });
  };
  pages.get('/opportunities/:entryId', requireUser(), async (req, res) => {
    const withdrawn = typeof req.query['withdrawn'] === 'string' && /^\d+$/.test(req.query['withdrawn']) ? Number(req.query['withdrawn']) : undefined;
    await show(res, String(req.params['entryId'] ?? ''), withdrawn !== undefined ? `Withdrawn. ${withdrawn} registered ${withdrawn === 1 ? 'person was' : 'people were'} told by mail.` : undefined);
  });
  pages.post('/opportunities/:entryId/register', requireUser(), form, requireCsrf(), async (req, res) => {
    const id = String(req.params['entryId'] ?? '');
    await registerFor(s, signedIn(res), id);
    res.redirect(303, `/opportunities/${encodeURIComponent(id)}`);
  });
  pages.post('/opportunities/:entryId/cancel', requireUser(), form, requireCsrf(), async (req, res) => {
    const id = String(req.params['entryId'] ?? '');
    await cancelRegistration(s, signedIn(res), id);
    res.redirect(303, `/opportunities/${encodeURIComponent(id)}`);
  });
  pages.post('/opportunities/:entryId/attendance', requireUser(), form, requireCsrf(), async (req, res) => {
    const id = String(req.params['entryId'] ?? '');
    const user = signedIn(res);
    const checked = formBody(req)['attended'];
    const ids = new Set(Array.isArray(checked) ? checked : checked !== undefined ? [checked] : []);
    const people = await roster(s, user, id);
    const report = await recordAttendance(s, user, id, people.filter((p) => p.state !== 'cancelled').map((p) => ({ who: p.userId, attended: ids.has(p.userId) })));
    await show(res, id, `Attendance saved: ${report.filter((r) => r.outcome === 'attended').length} attended, ${report.filter((r) => r.outcome === 'absent').length} absent.`);
  });
}
