/** The badge page's view (server-rendered; no script). */
import type { BadgeClass, Course, Framework, Organization } from '../../store/ports';
import { when } from '../accounts/render';
import { html, type Html } from '../html';

/** A badge and, in words, what earns it. */
export interface BadgeRow {
  readonly badge: BadgeClass;
  readonly awardedFor: string;
}

/** /admin/competency/:orgId/badges: the organization's badges and the form that defines one. */
export function badgesPageView(org: Organization, rows: readonly BadgeRow[], courses: readonly Course[], frameworks: readonly Framework[], csrf: string): Html {
  return html`<h1>Badges of ${org.name}</h1>
<p>An Open Badges 3.0 credential is issued to a person once they earn the badge: a competency at a level (from their evidence) or a course (once they complete it).</p>
${rows.length === 0 ? html`<p>No badge is defined yet.</p>` : html`<table>
  <caption>Badges of ${org.name}</caption>
  <thead><tr><th scope="col">Image</th><th scope="col">Name</th><th scope="col">Awarded for</th><th scope="col">Criteria</th><th scope="col">Defined</th></tr></thead>
  <tbody>${rows.map((r) => html`<tr>
    <td><img src="/ob/achievements/${encodeURIComponent(r.badge.id)}/image" alt="" width="48" height="48"></td>
    <td><a href="/ob/achievements/${encodeURIComponent(r.badge.id)}">${r.badge.name}</a></td>
    <td>${r.awardedFor}</td>
    <td>${r.badge.criteria}</td>
    <td>${when(r.badge.createdAt)}</td>
  </tr>`)}</tbody>
</table>`}
<h2>Define a badge</h2>
<form method="post" action="/admin/competency/${encodeURIComponent(org.id)}/badges" enctype="multipart/form-data" class="card">
  <input type="hidden" name="_csrf" value="${csrf}">
  <label for="badge-name">Name</label>
  <input id="badge-name" name="name" required maxlength="200">
  <label for="badge-description">Description</label>
  <textarea id="badge-description" name="description" rows="3" required maxlength="2000"></textarea>
  <label for="badge-criteria">Criteria (what a person does to earn it)</label>
  <textarea id="badge-criteria" name="criteria" rows="3" required maxlength="4000"></textarea>
  <label for="badge-for">Awarded for</label>
  <select id="badge-for" name="for" required aria-describedby="badge-for-help">
    <option value="">Choose a course, or a framework and level</option>
    ${courses.length === 0 ? '' : html`<optgroup label="Completing a course">${courses.map((c) => html`<option value="course|${c.id}">${c.title}</option>`)}</optgroup>`}
    ${frameworks.filter((f) => f.scale.length > 0).map((f) => html`<optgroup label="A competency of ${f.title}, at the level">${f.scale.map((l) => html`<option value="level|${f.id}|${String(l.rank)}">${f.title}: ${l.name}</option>`)}</optgroup>`)}
  </select>
  <p id="badge-for-help" class="muted">For a competency badge, choose the framework's level here and name the competency below.</p>
  <label for="badge-competency">Competency code or identifier (competency badges)</label>
  <input id="badge-competency" name="competency" maxlength="300">
  <label for="badge-image">Image (PNG or SVG, at most 290 kB; optional)</label>
  <input id="badge-image" name="image" type="file" accept="image/png,image/svg+xml">
  <div class="actions"><button type="submit">Define badge</button></div>
</form>`;
}
