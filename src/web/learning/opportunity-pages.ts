import express, { type Router } from 'express';
import { requireCsrf, requireUser } from '../../accounts/guards';
import { hasRole } from '../../accounts/user-context';
import { cancelRegistration, organizedBy, parseAttendanceCsv, recordAttendance, registerFor, roster, visibleOpportunity, type AttendanceRowReport, type RosterLine } from '../../catalog/opportunities';
import type { AppServices } from '../../deps';
import type { CatalogEntry } from '../../store/ports';
import { csrfField, formBody, text } from '../accounts/forms';
import { sendPage, signedIn, when } from '../accounts/render';
import { kindLabel } from '../catalog/pages';
import { html, type Html, type HtmlValue } from '../html';
import { assignLinks } from './assign-links';

function reportView(report: readonly AttendanceRowReport[]): Html {
  return html`<div class="table-wrap"><table><caption>What each row of the CSV did</caption>
<thead><tr><th scope="col">Row</th><th scope="col">Person</th><th scope="col">Outcome</th></tr></thead>
<tbody>${report.map((r) => html`<tr><td>${r.row}</td><td>${r.who}</td><td>${r.outcome === 'error' ? html`<strong>Not recorded:</strong> ${r.message ?? ''}` : r.outcome === 'attended' ? 'Attended' : 'Absent'}</td></tr>`)}</tbody></table></div>`;
}

function view(e: CatalogEntry, o: { csrf: string; registered: boolean; roster?: readonly RosterLine[]; notice?: string; report?: readonly AttendanceRowReport[]; assign?: HtmlValue }): Html {
  const withdrawn = e.state !== 'published';
  return html`<h1>${e.title}</h1>
<p class="muted">${kindLabel(e.kind)} · provided by ${e.provider}</p>
${o.notice ? html`<p class="notice ok" role="status">${o.notice}</p>` : ''}
${withdrawn ? html`<p class="notice error">This opportunity was withdrawn; its registrations are cancelled.</p>` : ''}
${o.roster ? html`<p>${withdrawn ? '' : html`<a href="/opportunities/${encodeURIComponent(e.id)}/edit">Edit or withdraw</a> · `}<a href="/orgs/${encodeURIComponent(e.orgId)}/opportunities">All our opportunities</a></p>` : ''}
${withdrawn ? '' : o.assign ?? ''}
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
${o.report ? reportView(o.report) : ''}
<form method="post" action="/opportunities/${encodeURIComponent(e.id)}/attendance-csv" class="stack">${csrfField(o.csrf)}
<label for="att-csv">Or paste a CSV with the columns <code>email</code> and <code>attended</code> (yes or no)</label>
<textarea id="att-csv" name="csv" rows="5" maxlength="500000" spellcheck="false">email,attended
</textarea>
<div class="actions"><button type="submit" class="secondary">Record attendance from the CSV</button></div></form>
<p class="muted">The same over the API: <code>POST /api/opportunities/${e.id}/attendance</code> with <code>text/csv</code>; its answer reports each row.</p>`}`
    : ''}`;
}

/** /opportunities/:id: details, register or cancel, and the attendance checklist for organizers. */
export function mountOpportunityPages(pages: Router, s: AppServices): void {
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 5000 });
  const show = async (res: express.Response, id: string, notice?: string, report?: readonly AttendanceRowReport[]): Promise<void> => {
    const user = signedIn(res);
    const e = await visibleOpportunity(s, user, id);
    const mine = (await s.store.learning.findOpportunityRegistrations({ entryId: id, userId: user.userId }))[0];
    const organizer = hasRole(user, e.orgId, 'author', 'orgAdmin');
    sendPage(res, 200, {
      title: e.title,
      body: view(e, {
        csrf: user.csrfToken, registered: mine?.state === 'registered' || mine?.state === 'attended', assign: await assignLinks(s, user, e.id, kindLabel(e.kind).toLowerCase()),
        ...(organizer ? { roster: await roster(s, user, id) } : {}), ...(notice ? { notice } : {}), ...(report ? { report } : {}),
      }),
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
  // The CSV upload of the page: pasted text, the same parser and row-level report as the API.
  pages.post('/opportunities/:entryId/attendance-csv', requireUser(), express.urlencoded({ extended: false, limit: '1mb' }), requireCsrf(), async (req, res) => {
    const id = String(req.params['entryId'] ?? '');
    const user = signedIn(res);
    await organizedBy(s, user, id);
    const report = await recordAttendance(s, user, id, parseAttendanceCsv(text(formBody(req), 'csv')));
    const count = (o: string): number => report.filter((r) => r.outcome === o).length;
    await show(res, id, `CSV read: ${count('attended')} attended, ${count('absent')} absent, ${count('error')} not recorded.`, report);
  });
}
