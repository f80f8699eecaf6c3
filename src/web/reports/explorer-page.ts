/** /reports/statements: the statement explorer page (twin of GET /api/reports/statements). */
import type { ReportLens } from '../../reports/access';
import type { ExplorerPage, ExplorerQuery } from '../../reports/explorer';
import { html, type Html } from '../html';
import { lensParams, qs, reportsNav } from './views';

export function explorerView(o: { page: ExplorerPage; lens: ReportLens; raw: Record<string, string>; people: readonly { id: string; name: string }[]; query: ExplorerQuery }): Html {
  const { raw } = o;
  const keep = { ...lensParams(o.lens), person: raw['person'], verb: raw['verb'], activity: raw['activity'], registration: raw['registration'], since: raw['since'], until: raw['until'], related_activities: raw['related_activities'], related_agents: raw['related_agents'] };
  const field = (name: string, label: string, hint: string): Html => html`<label for="${name}">${label}</label><input id="${name}" name="${name}" value="${raw[name] ?? ''}" aria-describedby="${name}-hint"><small id="${name}-hint" class="muted">${hint}</small>`;
  return html`<h1>Statement explorer</h1>
${reportsNav('statements', lensParams(o.lens))}
<form method="get" action="/reports/statements" class="explorer">
  ${o.lens.orgId ? html`<input type="hidden" name="org" value="${o.lens.orgId}">` : ''}
  <input type="hidden" name="view" value="${o.lens.view}">
  ${o.people.length > 0 ? html`<label for="person">Person</label>
  <select id="person" name="person"><option value="">Anyone</option>${o.people.map((p) => html`<option value="${p.id}"${p.id === raw['person'] ? html` selected` : ''}>${p.name}</option>`)}</select>`
    : field('person', 'Person (user id)', 'Leave empty for anyone.')}
  <label><input type="checkbox" name="related_agents" value="true"${raw['related_agents'] === 'true' ? html` checked` : ''}> Also where the person is named elsewhere in the statement</label>
  ${field('verb', 'Verb', 'An IRI, e.g. http://adlnet.gov/expapi/verbs/passed')}
  ${field('activity', 'Activity', 'An activity IRI')}
  <label><input type="checkbox" name="related_activities" value="true"${raw['related_activities'] === 'true' ? html` checked` : ''}> Also related activities (parent, grouping, …)</label>
  ${field('registration', 'Registration', 'A registration UUID')}
  <label for="since">Stored since</label><input id="since" name="since" type="date" value="${raw['since'] ?? ''}">
  <label for="until">Stored until</label><input id="until" name="until" type="date" value="${raw['until'] ?? ''}">
  <div class="actions"><button type="submit">Search</button>
  <a href="/api/reports/statements/export${qs({ ...keep, format: 'csv' })}" download>Export all as CSV</a>
  <a href="/api/reports/statements/export${qs({ ...keep, format: 'ndjson' })}" download>Export all as NDJSON</a></div>
</form>
<section aria-labelledby="results-h"><h2 id="results-h">Statements, newest first</h2>
${o.page.rows.length === 0 ? html`<p>No statements match.</p>` : html`<ol class="statements">${o.page.rows.map((r) => html`<li>
  <p>${r.text} <small class="muted"><time datetime="${r.timestamp}">${r.timestamp.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time></small></p>
  <details><summary>Raw JSON<span class="visually-hidden"> of statement ${r.id}</span></summary><pre>${JSON.stringify(r.statement, null, 2)}</pre></details>
</li>`)}</ol>`}
${o.page.more ? html`<p><a rel="next" href="/reports/statements${qs({ ...keep, limit: raw['limit'], more: o.page.more })}">More statements</a></p>` : ''}
</section>`;
}
