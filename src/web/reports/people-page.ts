/** /reports/people and /reports/people/:userId: the staff table and a person's transcript (twins of /api/reports/people…). */
import { PEOPLE_STATUSES, type PeopleTable, type PersonTranscript } from '../../reports/people';
import { html, type Html } from '../html';
import { qs, reportsNav } from './views';

const STATUS_LABELS: Record<(typeof PEOPLE_STATUSES)[number], string> = {
  any: 'Anyone', overdue: 'Has overdue assignments', 'none-completed': 'Has completed nothing', 'in-progress': 'Has courses in progress', completed: 'Has completed something',
};
export const ROLE_LABELS: Record<string, string> = { learner: 'Learner', author: 'Author', analyst: 'Analyst', orgAdmin: 'Administrator', manager: 'Manager' };

const date = (iso: string | undefined): string => (iso ? iso.slice(0, 10) : '–');

export function peopleView(t: PeopleTable, orgs: readonly { id: string; name: string }[], onlyPeopleReports = false): Html {
  const q = t.query;
  const filters = { org: t.orgId, unit: q.unitId, role: q.role, status: q.status === 'any' ? undefined : q.status };
  const pages = Math.max(1, Math.ceil(t.total / q.pageSize));
  return html`<h1>People of ${t.orgName}</h1>
${reportsNav('people', { org: t.orgId }, onlyPeopleReports)}
<form method="get" action="/reports/people" class="filters">
  ${orgs.length > 1 ? html`<label for="org">Organization</label>
  <select id="org" name="org">${orgs.map((o) => html`<option value="${o.id}"${o.id === t.orgId ? html` selected` : ''}>${o.name}</option>`)}</select>`
    : html`<input type="hidden" name="org" value="${t.orgId}">`}
  ${t.units.length > 0 ? html`<label for="unit">Unit</label>
  <select id="unit" name="unit"><option value="">All units</option>${t.units.map((u) => html`<option value="${u.id}"${u.id === q.unitId ? html` selected` : ''}>${u.path}</option>`)}</select>` : ''}
  <label for="role">Role</label>
  <select id="role" name="role"><option value="">Any role</option>${Object.entries(ROLE_LABELS).map(([k, v]) => html`<option value="${k}"${k === q.role ? html` selected` : ''}>${v}</option>`)}</select>
  <label for="status">Status</label>
  <select id="status" name="status">${PEOPLE_STATUSES.map((s) => html`<option value="${s}"${s === q.status ? html` selected` : ''}>${STATUS_LABELS[s]}</option>`)}</select>
  <div class="actions"><button type="submit">Show</button>
  <a href="/api/reports/people.csv${qs(filters)}" download>Download CSV</a></div>
</form>
<p>${t.total} ${t.total === 1 ? 'person' : 'people'}. Hours and CE credits are for ${t.year}: courses taken through ${t.orgName}, webinars and workshops attended, and self-reported learning ${t.orgName} approved.</p>
<table id="table-people">
<caption>People</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Units</th><th scope="col">Roles</th><th scope="col">In progress</th><th scope="col">Completed</th><th scope="col">Overdue</th><th scope="col">Hours</th><th scope="col">CE credits</th></tr></thead>
<tbody>${t.rows.length === 0 ? html`<tr><td colspan="9">Nobody matches.</td></tr>` : t.rows.map((r) => html`<tr>
<th scope="row"><a href="/reports/people/${encodeURIComponent(r.userId)}${qs({ org: t.orgId })}">${r.name}</a></th>
<td>${r.email || html`<span class="muted">not shared</span>`}</td><td>${r.units.join(', ') || '–'}</td>
<td>${[...r.roles.map((x) => ROLE_LABELS[x] ?? x), ...r.jobRoles].join(', ')}</td>
<td>${r.inProgress}</td><td>${r.completed}</td><td>${r.overdue}</td><td>${r.hours}</td><td>${r.ceCredits}</td></tr>`)}</tbody>
</table>
${pages > 1 ? html`<nav aria-label="Pages"><ul class="inline-list">
${q.page > 1 ? html`<li><a rel="prev" href="/reports/people${qs({ ...filters, page: String(q.page - 1), pageSize: String(q.pageSize) })}">Previous page</a></li>` : ''}
<li>Page ${q.page} of ${pages}</li>
${q.page < pages ? html`<li><a rel="next" href="/reports/people${qs({ ...filters, page: String(q.page + 1), pageSize: String(q.pageSize) })}">Next page</a></li>` : ''}
</ul></nav>` : ''}`;
}

export function transcriptView(t: PersonTranscript): Html {
  const api = `/api/reports/people/${encodeURIComponent(t.userId)}`;
  return html`<div class="transcript">
<h1>Transcript: ${t.name}</h1>
<p class="no-print"><a href="/reports/people${qs({ org: t.orgId })}">Back to the people of ${t.orgName}</a> ·
<a href="${api}/transcript.pdf${qs({ org: t.orgId })}" download>Download PDF</a> ·
<a href="${api}/transcript.csv${qs({ org: t.orgId })}" download>Download CSV</a> · Use your browser's Print for a paper copy.</p>
<dl class="facts">
  <dt>Organization</dt><dd>${t.orgName}</dd>
  ${t.email ? html`<dt>Email</dt><dd>${t.email}</dd>` : ''}
  <dt>Units</dt><dd>${t.units.join(', ') || '–'}</dd>
  <dt>Completed</dt><dd>${t.totals.completed}</dd>
  <dt>Learning hours</dt><dd>${t.totals.hours}</dd>
  <dt>CE credits</dt><dd>${t.totals.ceCredits}</dd>
  <dt>Generated</dt><dd>${t.generatedAt.slice(0, 16).replace('T', ' ')} UTC</dd>
</dl>
<table id="table-transcript">
<caption>Courses</caption>
<thead><tr><th scope="col">Course</th><th scope="col">Status</th><th scope="col">Score</th><th scope="col">Hours</th><th scope="col">CE credits</th><th scope="col">Started</th><th scope="col">Last activity</th><th scope="col">Completed</th></tr></thead>
<tbody>${t.courses.length === 0 ? html`<tr><td colspan="8">No courses yet.</td></tr>` : t.courses.map((c) => html`<tr>
<th scope="row">${c.title}${c.provider ? html`<br><small class="muted">${c.provider}</small>` : ''}</th>
<td>${c.status}${c.success !== 'unknown' ? `, ${c.success}` : ''}</td><td>${c.score === undefined ? '–' : `${Math.round(c.score * 100)} %`}</td>
<td>${c.hours}</td><td>${c.ceCredits}</td><td>${date(c.startedAt)}</td><td>${date(c.lastActivityAt)}</td><td>${date(c.completedAt)}</td></tr>`)}</tbody>
</table>
<h2>Badges</h2>
${t.badges.length === 0 ? html`<p>No badges.</p>` : html`<ul>${t.badges.map((b) => html`<li>${b.name} <small class="muted">(${date(b.issuedAt)})</small></li>`)}</ul>`}
</div>`;
}
