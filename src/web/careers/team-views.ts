import type { TeamPerson } from '../../careers/team-progress';
import type { UnitDetail, UnitView } from '../../careers/teams';
import type { Organization, User } from '../../store/ports';
import { html, type Html, type HtmlValue } from '../html';
import { csrfField, formError, postButton } from '../accounts/forms';
import { when } from '../accounts/render';

/** Tabs of an organization's careers pages. */
export function careersNav(org: Organization, current: 'units' | 'team' | 'profiles' | 'goals' | 'gaps', admin: boolean): Html {
  const id = encodeURIComponent(org.id);
  const item = (key: typeof current, href: string, label: string): Html =>
    html`<li><a href="${href}"${key === current ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<nav aria-label="Teams and goals"><ul class="tabs">
${admin ? item('units', `/admin/orgs/${id}/units`, 'Units') : ''}${item('team', `/team/${id}`, 'Team')}${item('profiles', `/orgs/${id}/role-profiles`, 'Role profiles')}${item('goals', `/orgs/${id}/goals`, 'Goals')}${item('gaps', `/orgs/${id}/heat-map`, 'Competency gaps')}
</ul></nav>`;
}

/** A select of units (indented by depth) for a parent or a filter; `none` labels the empty choice. */
export function unitSelect(o: { readonly id: string; readonly name: string; readonly label: string; readonly units: readonly UnitView[]; readonly selected?: string; readonly none?: string; readonly exclude?: string }): Html {
  return html`<label for="${o.id}">${o.label}</label>
<select id="${o.id}" name="${o.name}">${o.none !== undefined ? html`<option value="">${o.none}</option>` : ''}${o.units
    .filter((u) => u.id !== o.exclude)
    .map((u) => html`<option value="${u.id}"${u.id === o.selected ? html` selected` : ''}>${'\u2003'.repeat(u.depth)}${u.name}</option>`)}</select>`;
}

export interface UnitsPageData {
  readonly org: Organization;
  readonly units: readonly UnitView[];
  readonly detail?: UnitDetail;
  /** People of the organization, for the add-person form. */
  readonly people: readonly Pick<User, 'id' | 'name' | 'email'>[];
  readonly managerNames: ReadonlyMap<string, string>;
  readonly csrf: string;
  readonly error?: string;
}

function unitRow(d: UnitsPageData, u: UnitView): Html {
  const base = `/admin/orgs/${encodeURIComponent(d.org.id)}/units/${encodeURIComponent(u.id)}`;
  return html`<tr><th scope="row">${'\u2003'.repeat(u.depth)}<a href="/admin/orgs/${encodeURIComponent(d.org.id)}/units?unit=${encodeURIComponent(u.id)}">${u.name}</a></th>
<td>${u.members}</td><td>${u.managers.map((m) => d.managerNames.get(m) ?? m).join(', ')}</td>
<td>${postButton({ action: `${base}/delete`, csrf: d.csrf, label: 'Delete', danger: true, accessibleLabel: `Delete unit ${u.path}` })}</td></tr>`;
}

function detailSection(d: UnitsPageData, u: UnitDetail): Html {
  const base = `/admin/orgs/${encodeURIComponent(d.org.id)}/units/${encodeURIComponent(u.id)}`;
  return html`<section aria-labelledby="unit-detail"><h2 id="unit-detail">${u.path}</h2>
<form method="post" action="${base}">${csrfField(d.csrf)}
<label for="f-rename">Name</label><input id="f-rename" name="name" value="${u.name}" required>
${unitSelect({ id: 'f-move', name: 'parentId', label: 'Place under', units: d.units, selected: u.parentId, none: '(top level)', exclude: u.id })}
<div class="actions"><button type="submit">Save the unit</button></div></form>
<h3>People and managers</h3>
${u.people.length === 0 ? html`<p class="muted">Nobody yet.</p>` : html`<table><caption class="visually-hidden">People of ${u.name}</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">As</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>${u.people.map((p) => html`<tr><td>${p.name}</td><td>${p.email}</td><td>${p.kind === 'manager' ? 'Manager' : 'Member'}</td><td>${postButton({
    action: `${base}/people/remove`, csrf: d.csrf, label: 'Remove', hidden: { userId: p.userId, kind: p.kind }, accessibleLabel: `Remove ${p.name} as ${p.kind} of ${u.name}`,
  })}</td></tr>`)}</tbody></table>`}
<form method="post" action="${base}/people">${csrfField(d.csrf)}
<label for="f-person">Person</label><select id="f-person" name="userId">${d.people.map((p) => html`<option value="${p.id}">${p.name} (${p.email})</option>`)}</select>
<fieldset><legend>As</legend>
<div class="check"><input type="radio" id="k-member" name="kind" value="member" checked><label for="k-member">Member</label></div>
<div class="check"><input type="radio" id="k-manager" name="kind" value="manager"><label for="k-manager">Manager (sees this unit and the units below it)</label></div>
</fieldset>
<div class="actions"><button type="submit">Add to ${u.name}</button></div></form>
</section>`;
}

/** The units page of an organization's administrators: the tree, one unit's people, the forms. */
export function unitsView(d: UnitsPageData): Html {
  return html`<p><a href="/admin/orgs/${encodeURIComponent(d.org.id)}">${d.org.name}</a></p>
<h1>${d.org.name}: units</h1>
${careersNav(d.org, 'units', true)}
${formError(d.error)}
${d.units.length === 0 ? html`<p>No units yet: add the branches and departments of ${d.org.name}.</p>` : html`<table><caption>Units of ${d.org.name}</caption>
<thead><tr><th scope="col">Unit</th><th scope="col">People</th><th scope="col">Managers</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>${d.units.map((u) => unitRow(d, u))}</tbody></table>`}
${d.detail ? detailSection(d, d.detail) : ''}
<h2 id="new-unit">Add a unit</h2>
<form method="post" action="/admin/orgs/${encodeURIComponent(d.org.id)}/units" aria-labelledby="new-unit">${csrfField(d.csrf)}
<label for="f-name">Name</label><input id="f-name" name="name" required>
${unitSelect({ id: 'f-parent', name: 'parentId', label: 'Under', units: d.units, none: '(top level)' })}
<div class="actions"><button type="submit">Add the unit</button></div></form>`;
}

function status(p: TeamPerson['courses'][number]): string {
  if (p.done) return p.success === 'passed' ? 'Completed, passed' : 'Completed';
  if (p.success === 'failed') return 'Failed';
  return p.completion === 'incomplete' ? 'In progress' : 'Not started';
}

/** A manager's (or administrator's) team: people of their units with their progress. */
export function teamView(o: { readonly org: Organization; readonly admin: boolean; readonly units: readonly UnitView[]; readonly unitId?: string; readonly people: readonly TeamPerson[] }): Html {
  const id = encodeURIComponent(o.org.id);
  return html`<h1>${o.org.name}: team</h1>
${careersNav(o.org, 'team', o.admin)}
${o.units.length === 0 ? html`<p>You manage no unit of ${o.org.name} yet.</p>` : html`<form method="get" action="/team/${o.org.id}">
${unitSelect({ id: 'f-unit', name: 'unit', label: 'Unit', units: o.units, selected: o.unitId, none: 'All my units' })}
<div class="actions"><button type="submit" class="secondary">Show</button></div></form>`}
${o.people.length === 0 ? html`<p class="muted">No people in these units.</p>` : html`<table><caption>People and their courses</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Units</th><th scope="col">Courses started</th><th scope="col">Completed</th><th scope="col">Last activity</th></tr></thead>
<tbody>${o.people.map((p) => html`<tr><th scope="row"><a href="/team/${id}/people/${encodeURIComponent(p.userId)}">${p.name}</a></th><td>${p.units.map((u) => u.path).join('; ')}</td><td>${p.started}</td><td>${p.done}</td><td>${when(p.lastActivityAt)}</td></tr>`)}</tbody></table>`}`;
}

/** One person of a manager's units. */
export function teamPersonView(o: { readonly org: Organization; readonly admin: boolean; readonly person: TeamPerson; readonly sharedPlan?: boolean }): Html {
  const p = o.person;
  const rows: HtmlValue = p.courses.map((c) => html`<tr><th scope="row">${c.title}</th><td>${status(c)}</td><td>${Math.round(c.timeSeconds / 60)}</td><td>${when(c.lastActivityAt)}</td></tr>`);
  return html`<p><a href="/team/${encodeURIComponent(o.org.id)}">Team</a></p>
<h1>${p.name}</h1>
<p class="muted">${p.email} · ${p.units.map((u) => u.path).join('; ')}</p>
${p.courses.length === 0 ? html`<p>No course started in ${o.org.name} yet.</p>` : html`<table><caption>Courses of ${p.name}</caption>
<thead><tr><th scope="col">Course</th><th scope="col">Status</th><th scope="col">Minutes</th><th scope="col">Last activity</th></tr></thead>
<tbody>${rows}</tbody></table>`}
${o.sharedPlan ? html`<p><a href="/orgs/${encodeURIComponent(o.org.id)}/people/${encodeURIComponent(p.userId)}/career-plan">Career plan of ${p.name} (shared with you)</a></p>` : ''}`;
}

/** Where a person finds the careers pages of each of their organizations. */
export function teamsIndexView(orgs: readonly { readonly org: Organization; readonly admin: boolean; readonly manager: boolean }[]): Html {
  return html`<h1>Teams and roles</h1>
${orgs.length === 0 ? html`<p>You belong to no organization yet.</p>` : html`<ul>${orgs.map(({ org, admin, manager }) => {
    const id = encodeURIComponent(org.id);
    return html`<li><h2>${org.name}</h2><ul>
<li><a href="/orgs/${id}/role-profiles">Role profiles</a></li>
${admin || manager ? html`<li><a href="/team/${id}">Team</a></li><li><a href="/orgs/${id}/goals">Goals</a></li>` : ''}
${admin ? html`<li><a href="/admin/orgs/${id}/units">Units</a></li>` : ''}
</ul></li>`;
  })}</ul>`}`;
}
