/** Views of the competency pages (server-rendered; no script). */
import type { CompetencyView } from '../../competency/views';
import type { TreeNode } from '../../competency/frameworks';
import type { Profile, ProfileEntry } from '../../competency/profile';
import type { Alignment, CompetencyItem, Course, Framework, Organization, SelfAssessment } from '../../store/ports';
import { html, type Html } from '../html';
import { when } from '../accounts/render';

const itemHref = (fwId: string, identifier: string): string => `/competencies/${encodeURIComponent(fwId)}/items/${encodeURIComponent(identifier)}`;
const label = (i: Pick<CompetencyItem, 'humanCodingScheme' | 'abbreviatedStatement' | 'fullStatement'>): string =>
  `${i.humanCodingScheme ? `${i.humanCodingScheme} ` : ''}${i.abbreviatedStatement ?? i.fullStatement}`;

/** /competencies: every framework, and import forms for the organizations where the person may import. */
export function frameworkListView(frameworks: readonly Framework[], orgs: ReadonlyMap<string, string>, importOrgs: readonly Organization[], csrf: string): Html {
  return html`<h1>Competency frameworks</h1>
${frameworks.length === 0 ? html`<p>No framework is published yet.</p>` : html`<ul class="frameworks">${frameworks.map((f) => html`<li class="card">
  <h2><a href="/competencies/${encodeURIComponent(f.id)}">${f.title}</a></h2>
  <p class="muted">Published by ${orgs.get(f.orgId) ?? 'an organization'}${f.version ? html` · version ${f.version}` : ''} · updated ${when(f.updatedAt)}</p>
</li>`)}</ul>`}
<p><a href="/me/competencies">My competency profile</a></p>
${importOrgs.length === 0 ? '' : html`<h2>Badges</h2>
<ul>${importOrgs.map((o) => html`<li><a href="/admin/competency/${encodeURIComponent(o.id)}/badges">Badges of ${o.name}</a></li>`)}</ul>
<h2>Import a framework</h2>
<form method="post" action="/competencies/import" class="card">
  <input type="hidden" name="_csrf" value="${csrf}">
  <label for="imp-org">Organization</label>
  <select id="imp-org" name="orgId">${importOrgs.map((o) => html`<option value="${o.id}">${o.name}</option>`)}</select>
  <label for="imp-format">Format</label>
  <select id="imp-format" name="format"><option value="case">CASE 1.1 JSON package</option><option value="csv">CSV sheet (parent, code, short_statement, full_statement, type, notes)</option></select>
  <label for="imp-title">Title (CSV only)</label>
  <input id="imp-title" name="title">
  <label for="imp-text">Package or sheet</label>
  <textarea id="imp-text" name="text" rows="8" required></textarea>
  <div class="actions"><button type="submit">Import</button></div>
</form>`}`;
}

function treeList(fwId: string, nodes: readonly TreeNode[], entries?: Readonly<Record<string, ProfileEntry>>): Html {
  return html`<ul class="tree">${nodes.map((n) => {
    const e = entries?.[n.item.identifier];
    return html`<li><a href="${itemHref(fwId, n.item.identifier)}">${label(n.item)}</a>${entries ? html` <span class="level${e && e.level > 0 ? '' : ' muted'}">${e && e.level > 0 ? `${e.levelName ?? e.level}${e.source === 'confirmed' ? ' (confirmed)' : ''}` : 'not yet'}</span>${e?.self && e.self.confirmedAt === undefined ? html` <span class="muted">self-assessed: level ${e.self.level}</span>` : ''}${e?.lapsesAt ? html` <strong class="lapse">lapses ${when(e.lapsesAt)}</strong>` : ''}` : ''}${n.children.length > 0 ? treeList(fwId, n.children, entries) : ''}</li>`;
  })}</ul>`;
}

/** /competencies/:id: the framework as a tree, with search. */
export function frameworkView(f: Framework, tree: readonly TreeNode[], q: string | undefined, matches: readonly CompetencyItem[] | undefined): Html {
  return html`<h1>${f.title}</h1>
<p class="muted">${f.uri}${f.version ? ` · version ${f.version}` : ''} · <a href="/api/competency/frameworks/${encodeURIComponent(f.id)}/case">CASE 1.1 export</a></p>
<h2>Proficiency levels</h2>
<ol class="scale">${f.scale.map((l) => html`<li><strong>${l.name}</strong>${l.description ? html` — ${l.description}` : ''}</li>`)}</ol>
<form method="get" action="/competencies/${encodeURIComponent(f.id)}" role="search">
  <label for="q">Search this framework</label>
  <input id="q" name="q" type="search" value="${q ?? ''}">
  <div class="actions"><button type="submit">Search</button></div>
</form>
${matches !== undefined ? html`<h2>${matches.length} match${matches.length === 1 ? '' : 'es'}</h2><ul>${matches.map((i) => html`<li><a href="${itemHref(f.id, i.identifier)}">${label(i)}</a></li>`)}</ul>` : ''}
<h2>Competencies</h2>
${treeList(f.id, tree)}`;
}

function ruleText(a: Alignment): string {
  switch (a.rule.kind) {
    case 'completed': return 'completed';
    case 'passed': return 'passed';
    case 'satisfied': return 'cmi5 satisfied';
    case 'scaled': return `scaled score at least ${a.rule.min}`;
    case 'verb': return `statement with verb ${a.rule.verb}`;
  }
}

function selfView(list: readonly SelfAssessment[], scaleName: (rank: number) => string): Html {
  return html`${list.map((a) => html`<p>Self-assessed: <strong>${scaleName(a.level)}</strong> on ${when(a.at)}${a.confirmedAt ? html` · confirmed ${when(a.confirmedAt)}` : html` · not confirmed yet`}</p>`)}`;
}

/** /competencies/:fid/items/:identifier: description, level descriptors, aligned learning, own evidence, self-assessment, and the alignment form for authors. */
export function competencyPageView(v: CompetencyView, o: { csrf: string; memberOrgs: readonly Organization[]; authorCourses: readonly (Course & { orgName: string })[]; authorOrgs: readonly Organization[] }): Html {
  const name = (rank: number): string => v.framework.scale.find((l) => l.rank === rank)?.name ?? String(rank);
  const base = itemHref(v.framework.id, v.item.identifier);
  return html`<p><a href="/competencies/${encodeURIComponent(v.framework.id)}">${v.framework.title}</a></p>
<h1>${label(v.item)}</h1>
${v.item.retiredAt ? html`<p class="notice">This competency was retired from the framework on ${when(v.item.retiredAt)}.</p>` : ''}
<p>${v.item.fullStatement}</p>
${v.item.notes ? html`<p class="muted">${v.item.notes}</p>` : ''}
<p class="muted">${v.item.uri}</p>
${v.children.length > 0 ? html`<h2>Included competencies</h2><ul>${v.children.map((c) => html`<li><a href="${itemHref(v.framework.id, c.identifier)}">${label(c)}</a></li>`)}</ul>` : ''}
<h2>Levels</h2>
<dl class="scale">${v.framework.scale.map((l) => html`<dt>${l.name}</dt><dd>${l.description ?? ''}</dd>`)}</dl>
<h2>Learning aligned to it</h2>
${v.alignments.length === 0 ? html`<p>No learning in your organizations is aligned to this competency yet.</p>` : html`<table><caption class="muted">Alignments</caption>
<thead><tr><th scope="col">Learning</th><th scope="col">Level</th><th scope="col">Earned by</th><th scope="col">Valid for</th></tr></thead>
<tbody>${v.alignments.map((a) => html`<tr><td>${a.target.courseId ? html`<a href="/courses/${encodeURIComponent(a.target.courseId)}">${a.courseTitle ?? a.target.courseId}</a>${a.target.kind === 'unit' ? html` (unit ${a.activityId})` : ''}` : a.activityId}</td><td>${name(a.level)}</td><td>${ruleText(a)}</td><td>${a.validDays ? `${a.validDays} days` : 'no limit'}</td></tr>`)}</tbody></table>`}
<h2>My evidence</h2>
${v.evidence.length === 0 ? html`<p>No evidence yet.</p>` : html`<ul>${v.evidence.map((e) => html`<li>${name(e.level)} on ${when(e.at)} from ${e.courseId ? html`<a href="/courses/${encodeURIComponent(e.courseId)}">a course</a>` : e.activityId} (statement <a href="/me/competencies/statements/${encodeURIComponent(e.statementId)}">${e.statementId}</a>)${e.expiresAt ? html` · valid until ${when(e.expiresAt)}` : ''}</li>`)}</ul>`}
${selfView(v.self, name)}
${o.memberOrgs.length === 0 ? '' : html`<form method="post" action="${base}/self" class="card">
  <input type="hidden" name="_csrf" value="${o.csrf}">
  <fieldset><legend>Assess myself</legend>
  <label for="self-org">In organization</label>
  <select id="self-org" name="orgId">${o.memberOrgs.map((org) => html`<option value="${org.id}">${org.name}</option>`)}</select>
  <label for="self-level">My level</label>
  <select id="self-level" name="level">${v.framework.scale.map((l) => html`<option value="${l.rank}">${l.name}</option>`)}</select>
  </fieldset>
  <div class="actions"><button type="submit">Save my self-assessment</button></div>
</form>`}
${o.authorOrgs.length === 0 || v.item.retiredAt ? '' : html`<h2>Align learning to this competency</h2>
<form method="post" action="${base}/align" class="card">
  <input type="hidden" name="_csrf" value="${o.csrf}">
  <label for="al-org">Organization</label>
  <select id="al-org" name="orgId">${o.authorOrgs.map((org) => html`<option value="${org.id}">${org.name}</option>`)}</select>
  <label for="al-course">Course (or leave empty and give an activity IRI)</label>
  <select id="al-course" name="courseId"><option value="">No course: an activity IRI</option>${o.authorCourses.map((c) => html`<option value="${c.id}">${c.title} (${c.orgName})</option>`)}</select>
  <label for="al-activity">Activity IRI (learning from outside tools)</label>
  <input id="al-activity" name="activityId" type="url">
  <label for="al-level">Level it evidences</label>
  <select id="al-level" name="level">${v.framework.scale.map((l) => html`<option value="${l.rank}">${l.name}</option>`)}</select>
  <label for="al-rule">Earned when</label>
  <select id="al-rule" name="rule"><option value="completed">completed</option><option value="passed">passed</option><option value="scaled">scaled score at least</option><option value="satisfied">cmi5 satisfied</option><option value="verb">a statement with the verb</option></select>
  <label for="al-min">Minimum scaled score (0 to 1, for "scaled score at least")</label>
  <input id="al-min" name="min" inputmode="decimal">
  <label for="al-verb">Verb IRI (for "a statement with the verb")</label>
  <input id="al-verb" name="verb" type="url">
  <label for="al-valid">Valid for (days, empty: no limit)</label>
  <input id="al-valid" name="validDays" inputmode="numeric">
  <div class="actions"><button type="submit">Align</button></div>
</form>`}`;
}

/** Latest pieces of evidence shown per competency on the profile (all of them are on the competency page and in the exports). */
const TRAIL = 3;

function itemLabel(tree: readonly TreeNode[], identifier: string): string {
  for (const n of tree) {
    if (n.item.identifier === identifier) return label(n.item);
    const inner = itemLabel(n.children, identifier);
    if (inner !== '') return inner;
  }
  return '';
}

/** /me/competencies: the profile tree with levels, the evidence trail, what lapses soon, exports. */
export function profileView(p: Profile): Html {
  const lapsing = p.frameworks.flatMap((f) => Object.values(f.entries).filter((e) => e.lapsesAt !== undefined).map((e) => ({ f: f.framework, e })));
  return html`<h1>My competency profile</h1>
<p><a href="/api/me/competencies">Download as JSON</a> · <a href="/api/me/competencies.csv">Download as CSV</a> · <a href="/me/badges">My badges</a></p>
${lapsing.length > 0 ? html`<h2>Lapses soon</h2><ul>${lapsing.map(({ f, e }) => html`<li><a href="${itemHref(f.id, e.itemIdentifier)}">${e.itemIdentifier}</a> in ${f.title}: ${when(e.lapsesAt)}</li>`)}</ul>` : ''}
${p.frameworks.length === 0 ? html`<p>No framework yet: your organizations have not published or used one.</p>` : ''}
${p.frameworks.map((f) => html`<section>
<h2>${f.framework.title}</h2>
${treeList(f.framework.id, f.tree, f.entries)}
${Object.values(f.entries).some((e) => e.count > 0) ? html`<h3>Evidence trail</h3><ul>${Object.values(f.entries).filter((e) => e.count > 0).map((e) => html`<li><a href="${itemHref(f.framework.id, e.itemIdentifier)}">${itemLabel(f.tree, e.itemIdentifier) || e.itemIdentifier}</a>: <ul>${e.latest.slice(0, TRAIL).map((ev) => html`<li>${f.framework.scale.find((l) => l.rank === ev.level)?.name ?? ev.level} · ${when(ev.at)} · ${ev.courseId ? html`<a href="/courses/${encodeURIComponent(ev.courseId)}">course</a>` : ev.activityId} · <a href="/me/competencies/statements/${encodeURIComponent(ev.statementId)}">statement</a>${ev.expiresAt ? html` · valid until ${when(ev.expiresAt)}` : ''}</li>`)}${e.count > TRAIL ? html`<li>and ${e.count - TRAIL} earlier (on the competency's page and in the exports)</li>` : ''}</ul></li>`)}</ul>` : ''}
</section>`)}`;
}

/** The competencies of a course, for its course page. */
export function courseCompetenciesView(list: readonly { href: string; name: string; level: string; rule: string }[]): Html {
  if (list.length === 0) return html``;
  return html`<section class="card"><h2>Competencies</h2><ul>${list.map((c) => html`<li><a href="${c.href}">${c.name}</a> — ${c.level} (${c.rule})</li>`)}</ul></section>`;
}

/** /admin/competency/:orgId: self-assessments to confirm. */
export function confirmationsView(org: Organization, rows: readonly { a: SelfAssessment; person: string; competency: string; level: string }[], csrf: string): Html {
  return html`<h1>Self-assessments in ${org.name}</h1>
${rows.length === 0 ? html`<p>No self-assessment yet.</p>` : html`<table><thead><tr><th scope="col">Person</th><th scope="col">Competency</th><th scope="col">Level</th><th scope="col">Status</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td>${r.person}</td><td>${r.competency}</td><td>${r.level}</td><td>${r.a.confirmedAt ? html`confirmed ${when(r.a.confirmedAt)}` : html`<form method="post" action="/admin/competency/${encodeURIComponent(org.id)}/confirm" class="inline">
<input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="userId" value="${r.a.userId}"><input type="hidden" name="frameworkId" value="${r.a.frameworkId}"><input type="hidden" name="itemIdentifier" value="${r.a.itemIdentifier}">
<button type="submit" aria-label="Confirm ${r.person}: ${r.competency}">Confirm</button></form>`}</td></tr>`)}
</tbody></table>`}`;
}

export { ruleText };

/** /me/badges: my credentials with downloads. */
export function myBadgesView(list: readonly { uuid: string; name: string; issuedAt: string; expiresAt?: string; revokedAt?: string; badgeId: string }[]): Html {
  return html`<h1>My badges</h1>
${list.length === 0 ? html`<p>No badge yet. Badges come with competencies and courses that carry one.</p>` : html`<ul class="badges">${list.map((b) => html`<li class="card">
  <img src="/ob/achievements/${encodeURIComponent(b.badgeId)}/image" alt="" width="64" height="64">
  <h2>${b.name}</h2>
  <p>Issued ${when(b.issuedAt)}${b.expiresAt ? html` · expires ${when(b.expiresAt)}` : ''}${b.revokedAt ? html` · <strong>revoked ${when(b.revokedAt)}</strong>` : ''}</p>
  <p><a href="/api/me/badges/${b.uuid}.jwt" download>Download the credential (VC-JWT)<span class="visually-hidden"> of ${b.name}</span></a> · <a href="/api/me/badges/${b.uuid}.json" download>Download as JSON<span class="visually-hidden"> (${b.name})</span></a> · <a href="/ob/achievements/${encodeURIComponent(b.badgeId)}/image" download>Badge image<span class="visually-hidden"> (${b.name})</span></a></p>
</li>`)}</ul>`}
<p><a href="/ob/verify">Verify a badge</a></p>`;
}

/** /ob/verify: paste a credential, see what verification found. */
export function verifyView(token: string, result?: { valid: boolean; checks: Record<string, boolean>; reason?: string; credential?: Record<string, unknown> }): Html {
  const subject = result?.credential?.['credentialSubject'] as { achievement?: { name?: string } } | undefined;
  const issuer = result?.credential?.['issuer'] as { name?: string } | undefined;
  return html`<h1>Verify an Open Badge</h1>
<form method="post" action="/ob/verify">
  <label for="jwt">Credential (VC-JWT)</label>
  <textarea id="jwt" name="jwt" rows="6" required>${token}</textarea>
  <div class="actions"><button type="submit">Verify</button></div>
</form>
${result ? html`<section aria-live="polite"><h2>${result.valid ? 'Valid' : 'Not valid'}</h2>
${result.valid ? html`<p class="notice ok">${subject?.achievement?.name ?? 'The badge'} was issued by ${issuer?.name ?? 'its issuer'}.</p>` : html`<p class="notice error">${result.reason ?? 'Verification failed.'}</p>`}
<ul>
  <li>Signature: ${result.checks['signature'] ? 'valid' : 'not valid'}</li>
  <li>Expiry: ${result.checks['expiry'] ? 'not expired' : 'expired or not yet valid'}</li>
  <li>Revocation: ${result.checks['revocation'] ? 'not revoked' : 'revoked'}</li>
</ul></section>` : ''}`;
}
