import type { GoalDetail, GoalView } from '../../careers/goals';
import type { UnitView } from '../../careers/teams';
import type { Course, Organization } from '../../store/ports';
import { html, type Html } from '../html';
import { csrfField, formError, postButton } from '../accounts/forms';
import { when } from '../accounts/render';
import { goalTrendSvg, svgDataUrl } from './goal-chart';
import { careersNav, unitSelect } from './team-views';

const STATUS: Record<GoalView['status'], string> = { met: 'Met', 'on track': 'On track', behind: 'Behind', missed: 'Missed' };

function scopeLabel(g: GoalView): string {
  return g.unitPath === '' ? 'Whole organization' : g.unitPath;
}

/** The goals of an organization (those of a manager's units) and the form to set one. */
export function goalsView(o: {
  readonly org: Organization; readonly admin: boolean; readonly goals: readonly GoalView[]; readonly units: readonly UnitView[];
  readonly courses: readonly Pick<Course, 'id' | 'title'>[]; readonly csrf: string; readonly error?: string;
  /** Competencies of the organization's role profiles, for competency-level goals. */
  readonly roleCompetencies?: readonly { readonly value: string; readonly label: string }[];
}): Html {
  const id = encodeURIComponent(o.org.id);
  return html`<h1>${o.org.name}: goals</h1>
${careersNav(o.org, 'goals', o.admin)}
${formError(o.error)}
${o.goals.length === 0 ? html`<p>No goals yet.</p>` : html`<table><caption>Goals</caption>
<thead><tr><th scope="col">Goal</th><th scope="col">For</th><th scope="col">Course</th><th scope="col">Due</th><th scope="col">Done</th><th scope="col">Target</th><th scope="col">Status</th></tr></thead>
<tbody>${o.goals.map((g) => html`<tr><th scope="row"><a href="/orgs/${id}/goals/${encodeURIComponent(g.id)}">${g.title}</a></th><td>${scopeLabel(g)}</td><td>${g.courseTitle}</td><td>${g.dueDate}</td><td>${g.done} of ${g.total} (${g.percent}%)</td><td>${g.targetPercent}%</td><td>${STATUS[g.status]}</td></tr>`)}</tbody></table>`}
<h2 id="new-goal">Set a goal</h2>
<p class="muted">Every person in the unit (and the units below it) completes a course by a date.</p>
<form method="post" action="/orgs/${id}/goals" aria-labelledby="new-goal">${csrfField(o.csrf)}
<label for="g-title">Title</label><input id="g-title" name="title" required>
${unitSelect({ id: 'g-unit', name: 'unitId', label: 'For', units: o.units, ...(o.admin ? { none: 'The whole organization' } : {}) })}
<label for="g-course">Course</label><select id="g-course" name="courseId">${o.courses.map((c) => html`<option value="${c.id}">${c.title}</option>`)}</select>
<label for="g-due">Due date</label><input id="g-due" name="dueDate" type="date" required>
<label for="g-target">Target (% of the people)</label><input id="g-target" name="targetPercent" type="number" min="1" max="100" value="100">
<div class="actions"><button type="submit">Set the goal</button></div></form>
${(o.roleCompetencies ?? []).length === 0 ? '' : html`<h2 id="new-level-goal">Set a competency goal</h2>
<p class="muted">A share of the people holding a role reach a level of one of its competencies by a date.</p>
<form method="post" action="/orgs/${id}/goals" aria-labelledby="new-level-goal">${csrfField(o.csrf)}<input type="hidden" name="kind" value="competency-level">
<label for="l-title">Title</label><input id="l-title" name="title" required>
${unitSelect({ id: 'l-unit', name: 'unitId', label: 'For', units: o.units, ...(o.admin ? { none: 'The whole organization' } : {}) })}
<label for="l-comp">Role and competency</label><select id="l-comp" name="roleCompetency">${(o.roleCompetencies ?? []).map((c) => html`<option value="${c.value}">${c.label}</option>`)}</select>
<label for="l-level">Level (1 = the lowest of its scale)</label><input id="l-level" name="level" type="number" min="1" max="10" value="2" required>
<label for="l-due">Due date</label><input id="l-due" name="dueDate" type="date" required>
<label for="l-target">Target (% of the people)</label><input id="l-target" name="targetPercent" type="number" min="1" max="100" value="80">
<div class="actions"><button type="submit">Set the competency goal</button></div></form>`}`;
}

const PERSON: Record<GoalDetail['people'][number]['status'], string> = { done: 'Done', 'in progress': 'In progress', 'not started': 'Not started' };

/** One goal: its value against the target, its trend (chart and table), its people, CSV links. */
export function goalView(o: { readonly org: Organization; readonly goal: GoalDetail; readonly csrf: string }): Html {
  const g = o.goal;
  const base = `/orgs/${encodeURIComponent(o.org.id)}/goals/${encodeURIComponent(g.id)}`;
  const api = `/api/orgs/${encodeURIComponent(o.org.id)}/goals/${encodeURIComponent(g.id)}/export`;
  const last = g.trend[g.trend.length - 1];
  const alt = `Trend of ${g.title}: ${g.trend.length} point(s) from the evidence history, from ${g.trend[0]?.day ?? 'today'} to ${last?.day ?? 'today'}; now ${g.percent}% done against a target of ${g.targetPercent}%; a dotted line shows the people a straight line to the target calls for. The table below has every value.`;
  return html`<p><a href="/orgs/${encodeURIComponent(o.org.id)}/goals">Goals</a></p>
<h1>${g.title}</h1>
<dl class="facts"><dt>For</dt><dd>${scopeLabel(g)}</dd><dt>${g.kind === 'competency-level' ? 'Measures' : 'Course'}</dt><dd>${g.courseTitle}</dd><dt>Due</dt><dd>${g.dueDate}</dd>
<dt>Done</dt><dd>${g.done} of ${g.total} people (${g.percent}%)</dd><dt>Target</dt><dd>${g.targetPercent}%</dd><dt>Status</dt><dd>${STATUS[g.status]}</dd></dl>
<h2 id="trend">Trend</h2>
<img src="${svgDataUrl(goalTrendSvg(g.trend, g.targetPercent, g.dueDate))}" alt="${alt}" width="640" height="280">
<table><caption>Trend of ${g.title}, one row per point</caption>
<thead><tr><th scope="col">Day</th><th scope="col">Done</th><th scope="col">People</th><th scope="col">% done</th><th scope="col">On track needs</th></tr></thead>
<tbody>${g.trend.map((p) => html`<tr><th scope="row">${p.day}</th><td>${p.done}</td><td>${p.total}</td><td>${p.total === 0 ? 0 : Math.round((p.done / p.total) * 1000) / 10}</td><td>${p.onTrack ?? '–'}</td></tr>`)}</tbody></table>
<p><a href="${api}?part=trend" download>Download the trend as CSV</a></p>
<h2 id="people">People</h2>
${g.people.length === 0 ? html`<p class="muted">Nobody is in scope.</p>` : html`<table><caption>Who is on track</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Last activity</th></tr></thead>
<tbody>${g.people.map((p) => html`<tr><th scope="row">${p.name}</th><td>${PERSON[p.status]}</td><td>${when(p.lastActivityAt)}</td></tr>`)}</tbody></table>`}
<p><a href="${api}?part=people" download>Download the people as CSV</a></p>
${postButton({ action: `${base}/delete`, csrf: o.csrf, label: 'Delete this goal', danger: true })}`;
}
