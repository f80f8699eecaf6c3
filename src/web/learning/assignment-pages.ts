/**
 * /orgs/:orgId/assignments (issue 18): organization administrators and managers assign learning
 * (a course or an opportunity) to people, a role or a unit with a due date, see the
 * organization's assignments with how many people are done and overdue, and cancel one. Twins:
 * GET/POST /api/orgs/:orgId/assignments, DELETE /api/orgs/:orgId/assignments/:id.
 *
 * Reach: an administrator, the whole organization; a manager, their units and those below and
 * the people in them (no platform roles); other members 403; anyone else 404.
 */
import express, { type Router } from 'express';
import { requireCsrf, requireUser } from '../../accounts/guards';
import { hasRole, type UserContext } from '../../accounts/user-context';
import { managedUnits } from '../../careers/extensions';
import { ensureCoursesIndexed, entriesByIds } from '../../catalog/course-entries';
import type { AppServices } from '../../deps';
import { AppError } from '../../errors';
import { assignmentStatus, type AssignmentStatus } from '../../learning/assignment-status';
import { createAssignment, deleteAssignment, listAssignments, parseAssignment } from '../../learning/assignments';
import type { Assignment, CatalogEntry, Organization, OrgUnit, Role } from '../../store/ports';
import { csrfField, formBody, formError, text } from '../accounts/forms';
import { roleLabel, sendPage, signedIn, when } from '../accounts/render';
import { kindLabel } from '../catalog/pages';
import { html, type Html } from '../html';

const ROLES: readonly Role[] = ['learner', 'author', 'analyst', 'orgAdmin'];

interface Choices {
  readonly entries: readonly CatalogEntry[];
  readonly people: readonly { readonly id: string; readonly name: string }[];
  readonly units: readonly OrgUnit[];
  /** Platform roles: administrators only. */
  readonly roles: readonly Role[];
}

interface Row { readonly a: Assignment; readonly title: string; readonly target: string; readonly status: AssignmentStatus }

type Values = Readonly<Record<string, string>>;

/** What the viewer may assign, and to whom. */
async function choicesFor(s: AppServices, user: UserContext, orgId: string): Promise<Choices> {
  await ensureCoursesIndexed(s);
  const hits = await s.store.catalog.searchCatalog({ viewer: { orgIds: [orgId] } });
  const entries = hits.map((h) => h.entry).sort((a, b) => a.title.localeCompare(b.title));
  const admin = hasRole(user, orgId, 'orgAdmin');
  const allUnits = await s.store.careers.findUnits(orgId);
  const scope = admin ? undefined : await managedUnits(s, user, orgId);
  const units = allUnits.filter((u) => !scope || scope.has(u.id)).sort((a, b) => a.name.localeCompare(b.name));
  const ids = admin
    ? (await s.store.accounts.findMemberships({ orgId })).map((m) => m.userId)
    : scope && scope.size > 0 ? (await s.store.careers.findUnitPeople({ orgId, unitIds: [...scope], kind: 'member' })).map((r) => r.userId) : [];
  const people: { id: string; name: string }[] = [];
  for (const id of new Set(ids)) {
    const u = await s.store.accounts.findUser(id);
    if (u && u.disabledAt === undefined) people.push({ id: u.id, name: u.name });
  }
  people.sort((a, b) => a.name.localeCompare(b.name));
  return { entries, people, units, roles: admin ? ROLES : [] };
}

async function rowsOf(s: AppServices, orgId: string, list: readonly Assignment[]): Promise<Row[]> {
  const titles = new Map((await entriesByIds(s, [...new Set(list.map((a) => a.entryId))])).map((e) => [e.id, e.title]));
  const units = new Map((await s.store.careers.findUnits(orgId)).map((u) => [u.id, u.name]));
  const rows: Row[] = [];
  for (const a of list) {
    let target: string;
    switch (a.target.kind) {
      case 'person': target = (await s.store.accounts.findUser(a.target.userId))?.name ?? 'a former member'; break;
      case 'role': target = `Everyone with the role ${roleLabel(a.target.role)}`; break;
      case 'unit': target = `Unit ${units.get(a.target.unitId) ?? a.target.unitId} (and the units below)`; break;
    }
    rows.push({ a, title: titles.get(a.entryId) ?? a.entryId, target, status: await assignmentStatus(s, a) });
  }
  return rows;
}

function option(value: string, label: string, selected: string | undefined): Html {
  return html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`;
}

function formView(org: Organization, c: Choices, v: Values, csrf: string): Html {
  const base = `/orgs/${encodeURIComponent(org.id)}`;
  const kind = v['targetKind'] || (c.units.length > 0 ? 'unit' : 'person');
  const radio = (k: string, label: string): Html =>
    html`<div class="check"><input type="radio" id="f-kind-${k}" name="targetKind" value="${k}"${k === kind ? html` checked` : ''}><label for="f-kind-${k}">${label}</label></div>`;
  if (c.entries.length === 0) return html`<p>There is nothing in the catalog your organization may take yet.</p>`;
  return html`<form method="post" action="${base}/assignments" class="stack" id="assign-form">${csrfField(csrf)}
<label for="f-entry">Learning</label>
<select id="f-entry" name="entryId" required>${c.entries.map((e) => option(e.id, `${e.title} (${kindLabel(e.kind)}, ${e.provider})`, v['entryId']))}</select>
<fieldset><legend>Assign to</legend>
${c.units.length > 0 ? radio('unit', 'A unit (its members and those of the units below)') : ''}
${c.people.length > 0 ? radio('person', 'One person') : ''}
${c.roles.length > 0 ? radio('role', 'Everyone with a role') : ''}
</fieldset>
${c.units.length > 0 ? html`<label for="f-unit">Unit</label><select id="f-unit" name="unitId">${c.units.map((u) => option(u.id, u.name, v['unitId']))}</select>` : ''}
${c.people.length > 0 ? html`<label for="f-person">Person</label><select id="f-person" name="userId">${c.people.map((p) => option(p.id, p.name, v['userId']))}</select>` : ''}
${c.roles.length > 0 ? html`<label for="f-role">Role</label><select id="f-role" name="role">${c.roles.map((r) => option(r, roleLabel(r), v['role']))}</select>` : ''}
<label for="f-due">Due date (optional)</label>
<input id="f-due" name="dueAt" type="date" value="${v['dueAt'] ?? ''}">
<div class="check"><input type="checkbox" id="f-required" name="required" value="yes"${v['required'] === 'no' ? '' : html` checked`}><label for="f-required">Required (otherwise recommended)</label></div>
<div class="actions"><button type="submit">Assign</button></div>
</form>`;
}

function listView(org: Organization, rows: readonly Row[], csrf: string): Html {
  const base = `/orgs/${encodeURIComponent(org.id)}`;
  if (rows.length === 0) return html`<p>Nothing is assigned yet.</p>`;
  return html`<div class="table-wrap"><table id="assignments"><caption class="visually-hidden">Assignments, by due date</caption>
<thead><tr><th scope="col">Learning</th><th scope="col">Assigned to</th><th scope="col">Due</th><th scope="col">Done</th><th scope="col">Overdue</th><th scope="col">Action</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${r.title}<br><span class="muted">${r.a.required ? 'Required' : 'Recommended'}</span></td><td>${r.target}</td>
<td>${r.a.dueAt ? when(r.a.dueAt) : 'No due date'}</td><td>${r.status.done} of ${r.status.people}</td><td>${r.status.overdue > 0 ? html`<strong class="badge-overdue">${r.status.overdue}</strong>` : '0'}</td>
<td><form class="inline" method="post" action="${base}/assignments/${encodeURIComponent(r.a.id)}/cancel">${csrfField(csrf)}<button type="submit" class="secondary" aria-label="Cancel the assignment of ${r.title} to ${r.target}">Cancel</button></form></td></tr>`)}</tbody></table></div>`;
}

async function sendAssignmentsPage(s: AppServices, res: express.Response, orgId: string, status: number, o: { values?: Values; error?: string; notice?: string } = {}): Promise<void> {
  const user = signedIn(res);
  const list = await listAssignments(s, user, orgId);
  const org = (await s.store.accounts.findOrganization(orgId))!;
  const [choices, rows] = await Promise.all([choicesFor(s, user, orgId), rowsOf(s, orgId, list)]);
  const admin = hasRole(user, orgId, 'orgAdmin');
  sendPage(res, status, {
    title: `${org.name}: assignments`,
    body: html`<h1>${org.name}: assignments</h1>
<p>${admin ? 'Assign learning to people, a role or a unit of your organization.' : 'Assign learning to the units you manage and the people in them.'} It shows first on their My learning, with reminders mailed before the due date and when it is overdue.</p>
${o.notice ? html`<p class="notice ok" role="status">${o.notice}</p>` : ''}
<section aria-labelledby="h-new"><h2 id="h-new">Assign learning</h2>
${formError(o.error)}
${formView(org, choices, o.values ?? {}, user.csrfToken)}
</section>
<section aria-labelledby="h-list"><h2 id="h-list">Assigned</h2>
${listView(org, rows, user.csrfToken)}
</section>
${hasRole(user, orgId, 'author', 'orgAdmin') ? html`<p><a href="/orgs/${encodeURIComponent(orgId)}/opportunities">Our opportunities</a></p>` : ''}`,
  });
}

const FIELDS = ['entryId', 'targetKind', 'unitId', 'userId', 'role', 'dueAt', 'required'] as const;

export function mountAssignmentPages(pages: Router, s: AppServices): void {
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  pages.get('/orgs/:orgId/assignments', requireUser(), async (req, res) => {
    const entry = typeof req.query['entry'] === 'string' ? req.query['entry'] : undefined;
    const created = req.query['created'] === '1';
    await sendAssignmentsPage(s, res, String(req.params['orgId'] ?? ''), 200, {
      ...(entry ? { values: { entryId: entry } } : {}), ...(created ? { notice: 'Assigned.' } : {}),
    });
  });
  pages.post('/orgs/:orgId/assignments', requireUser(), form, requireCsrf(), async (req, res) => {
    const user = signedIn(res);
    const orgId = String(req.params['orgId'] ?? '');
    const f = formBody(req);
    const values: Record<string, string> = Object.fromEntries(FIELDS.map((k) => [k, text(f, k).trim()]));
    values['required'] = values['required'] === 'yes' ? 'yes' : 'no';
    const kind = values['targetKind'];
    const target = kind === 'unit' ? { kind, unitId: values['unitId'] } : kind === 'person' ? { kind, userId: values['userId'] } : kind === 'role' ? { kind, role: values['role'] } : { kind };
    try {
      const input = parseAssignment({ entryId: values['entryId'], target, ...(values['dueAt'] ? { dueAt: values['dueAt'] } : {}), required: values['required'] === 'yes' });
      await createAssignment(s, user, orgId, input);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 400) throw err;
      await sendAssignmentsPage(s, res, orgId, 400, { values, error: err.message });
      return;
    }
    res.redirect(303, `/orgs/${encodeURIComponent(orgId)}/assignments?created=1`);
  });
  pages.post('/orgs/:orgId/assignments/:assignmentId/cancel', requireUser(), form, requireCsrf(), async (req, res) => {
    const orgId = String(req.params['orgId'] ?? '');
    await deleteAssignment(s, signedIn(res), orgId, String(req.params['assignmentId'] ?? ''));
    res.redirect(303, `/orgs/${encodeURIComponent(orgId)}/assignments`);
  });
}
