import type { PlanView, compare } from '../../careers/plans';
import type { Organization } from '../../store/ports';
import { csrfField, formError, postButton } from '../accounts/forms';
import { html, type Html } from '../html';

type Comparison = Awaited<ReturnType<typeof compare>>;

function gapText(gap: number): string {
  return gap === 0 ? 'Met' : `${gap} level${gap === 1 ? '' : 's'} to go`;
}

/** A person's career plan (theirs to edit, or read-only for their manager). */
export function planView(o: { readonly org: Organization; readonly plan: PlanView; readonly personName: string; readonly csrf: string; readonly error?: string }): Html {
  const p = o.plan;
  const id = encodeURIComponent(o.org.id);
  const base = `/orgs/${id}/career-plan`;
  const today = new Date().toISOString().slice(0, 10);
  return html`<h1>${p.mine ? 'My career plan' : `Career plan of ${o.personName}`}: ${o.org.name}</h1>
${formError(o.error)}
${p.mine ? html`<form method="post" action="${base}/target" aria-labelledby="target-h">${csrfField(o.csrf)}
<h2 id="target-h">Target role</h2>
${p.roles.length === 0 ? html`<p class="muted">Your organization has no role profiles yet.</p>` : html`<label for="plan-role">Role I aim for</label>
<select id="plan-role" name="profileId">${p.roles.map((r) => html`<option value="${r.id}"${r.id === p.role?.id ? html` selected` : ''}>${r.name}</option>`)}</select>
<div class="actions"><button type="submit">${p.role ? 'Change the target role' : 'Pick this role'}</button></div>`}</form>
<p><a href="${base}/compare">What would it take? Compare roles</a></p>` : ''}
${p.role ? html`<h2 id="gaps">${p.role.name}: where ${p.mine ? 'I stand' : 'they stand'}</h2>
<p>${p.progress.met} of ${p.progress.competencies} competencies at the target level; ${p.progress.itemsDone} of ${p.progress.items} plan items done.</p>
<table><caption>Competencies of ${p.role.name}: current level against the target</caption>
<thead><tr><th scope="col">Competency</th><th scope="col">Current</th><th scope="col">Target</th><th scope="col">Gap</th><th scope="col">Learning that closes it</th></tr></thead>
<tbody>${p.rows.map((r, ri) => html`<tr><th scope="row">${r.code ? `${r.code} ` : ''}${r.name}</th><td>${r.currentName}</td><td>${r.targetName}</td><td>${gapText(r.gap)}</td>
<td>${r.gap === 0 ? '' : r.recommendations.length === 0 ? html`<span class="muted">No aligned learning yet</span>` : html`<ol class="recs">${r.recommendations.map((c, ci) => html`<li><a href="/courses/${encodeURIComponent(c.entryId)}">${c.title}</a>
<span class="muted">(${c.closes ? 'reaches the target' : `raises to level ${c.level}`}${c.hours !== undefined ? `, ${c.hours} h` : ''}${c.ceCredits !== undefined ? `, ${c.ceCredits} CE` : ''})</span>
${p.mine ? html`<form method="post" action="${base}/items" class="inline">${csrfField(o.csrf)}<input type="hidden" name="entryId" value="${c.entryId}"><input type="hidden" name="competencyId" value="${r.competencyId}">
<label for="d-${ri}-${ci}">Target date<span class="visually-hidden"> for ${c.title}</span></label><input id="d-${ri}-${ci}" name="targetDate" type="date" min="${today}">
<button type="submit">Add to my plan<span class="visually-hidden">: ${c.title}</span></button></form>` : ''}</li>`)}</ol>`}</td></tr>`)}</tbody></table>
<h2 id="items">Plan items</h2>
${p.items.length === 0 ? html`<p class="muted">No items yet${p.mine ? ': add learning from the table above' : ''}.</p>` : html`<table><caption>Learning in the plan</caption>
<thead><tr><th scope="col">Learning</th><th scope="col">For</th><th scope="col">Target date</th><th scope="col">Status</th>${p.mine ? html`<th scope="col"><span class="visually-hidden">Actions</span></th>` : ''}</tr></thead>
<tbody>${p.items.map((i) => html`<tr><th scope="row">${i.title}</th><td>${i.competencyName ?? ''}</td><td>${i.targetDate ?? ''}</td><td>${i.done ? 'Done' : i.overdue ? 'Overdue' : 'To do'}</td>
${p.mine ? html`<td>${postButton({ action: `${base}/items/${encodeURIComponent(i.id)}/delete`, csrf: o.csrf, label: 'Remove', accessibleLabel: `Remove ${i.title}` })}</td>` : ''}</tr>`)}</tbody></table>`}
${p.mine ? html`<h2 id="share-h">Sharing</h2>
<form method="post" action="${base}/share" aria-labelledby="share-h">${csrfField(o.csrf)}
<input type="hidden" name="shared" value="${p.sharedWithManager ? 'false' : 'true'}">
<p>${p.sharedWithManager ? 'Your managers can see this plan.' : 'Only you can see this plan.'}</p>
<div class="actions"><button type="submit">${p.sharedWithManager ? 'Stop sharing with my manager' : 'Share with my manager'}</button></div></form>` : ''}
<p><a href="/api/orgs/${id}/career-plan">This plan as JSON</a></p>` : html`<p>${p.mine ? 'Pick a target role to see your gaps and the learning that closes them.' : 'No target role yet.'}</p>`}`;
}

/** "What would it take?": the form and, when asked, the comparison. */
export function compareView(o: { readonly org: Organization; readonly roles: readonly { id: string; name: string }[]; readonly a: string; readonly b: string; readonly result?: Comparison }): Html {
  const id = encodeURIComponent(o.org.id);
  const r = o.result;
  return html`<p><a href="/orgs/${id}/career-plan">My career plan</a></p>
<h1>What would it take?</h1>
<form method="get" action="/orgs/${id}/career-plan/compare" aria-label="Compare">
<label for="cmp-a">From</label><select id="cmp-a" name="a"><option value="me"${o.a === 'me' ? html` selected` : ''}>Me, now</option>${o.roles.map((x) => html`<option value="${x.id}"${x.id === o.a ? html` selected` : ''}>${x.name}</option>`)}</select>
<label for="cmp-b">To</label><select id="cmp-b" name="b">${o.roles.map((x) => html`<option value="${x.id}"${x.id === o.b ? html` selected` : ''}>${x.name}</option>`)}</select>
<div class="actions"><button type="submit">Compare</button></div></form>
${r ? html`<h2 id="cmp-h">From ${r.a.name} to ${r.b.name}: ${r.totalGap} level${r.totalGap === 1 ? '' : 's'} to gain</h2>
<table><caption>From ${r.a.name} to ${r.b.name}, per competency of ${r.b.name}</caption>
<thead><tr><th scope="col">Competency</th><th scope="col">${r.a.name}</th><th scope="col">${r.b.name}</th><th scope="col">Gap</th><th scope="col">Learning that closes it</th></tr></thead>
<tbody>${r.rows.map((x) => html`<tr><th scope="row">${x.code ? `${x.code} ` : ''}${x.name}</th><td>${x.fromName}</td><td>${x.targetName}</td><td>${gapText(x.gap)}</td><td>${x.recommendations.slice(0, 3).map((c, i) => html`${i > 0 ? ', ' : ''}<a href="/courses/${encodeURIComponent(c.entryId)}">${c.title}</a>`)}</td></tr>`)}</tbody></table>` : ''}`;
}
