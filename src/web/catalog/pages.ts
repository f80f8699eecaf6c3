import express, { type Router } from 'express';
import { requireUser } from '../../accounts/guards';
import { searchForUser, type CatalogAnswer } from '../../catalog/service';
import { parseCatalogSearch, SORTS, type CatalogSearch, type FacetValue } from '../../catalog/search';
import type { CourseServicesSource } from '../../packages/service';
import type { CatalogEntry } from '../../store/ports';
import { sendPage, signedIn } from '../accounts/render';
import { pageErrorHandler } from '../accounts/page-errors';
import { html, type Html } from '../html';

export function duration(minutes: number | undefined): string {
  if (minutes === undefined) return '';
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

const KIND_LABELS: Record<string, string> = {
  course: 'Online course', webinar: 'Webinar', workshop: 'Workshop', conference: 'Conference session', external: 'External course', link: 'Reading or video',
};
const VISIBILITY_LABELS: Record<string, string> = { org: 'Only your organization', orgs: 'Selected organizations', all: 'Every organization' };
const DURATION_LABELS: Record<string, string> = { short: 'Up to 30 minutes', medium: '30 minutes to 2 hours', long: 'Over 2 hours' };
const SORT_LABELS: Record<string, string> = { relevance: 'Best match', title: 'Title', newest: 'Newest', credits: 'Most CE credits', date: 'Next date' };

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

function entryHref(e: CatalogEntry): string {
  return e.kind === 'course' ? `/courses/${encodeURIComponent(e.id)}` : `/opportunities/${encodeURIComponent(e.id)}`;
}

/** Names of competencies by `frameworkId|itemIdentifier` (issue 14: catalog cards, the facet, the filter). */
type CompetencyNames = ReadonlyMap<string, string>;

function entryCard(e: CatalogEntry, names: CompetencyNames): Html {
  return html`<li class="card course">
  <h2 lang="${e.language}"><a href="${entryHref(e)}">${e.title}</a></h2>
  <p class="muted">${kindLabel(e.kind)} · provided by ${e.provider}</p>
  ${e.description ? html`<p lang="${e.language}">${e.description.length > 300 ? `${e.description.slice(0, 300)}…` : e.description}</p>` : ''}
  <dl class="facts">
    <dt>Language</dt><dd>${e.language}</dd>
    ${e.durationMinutes !== undefined ? html`<dt>Duration</dt><dd>${duration(e.durationMinutes)}</dd>` : ''}
    ${e.ceCredits !== undefined ? html`<dt>CE credits</dt><dd>${e.ceCredits}</dd>` : ''}
    ${e.startsAt !== undefined ? html`<dt>Starts</dt><dd><time datetime="${e.startsAt}">${e.startsAt.slice(0, 16).replace('T', ' ')} UTC</time></dd>` : ''}
    <dt>Shared with</dt><dd>${VISIBILITY_LABELS[e.visibility]}</dd>
    ${e.competencies.length > 0 ? html`<dt>Competencies</dt><dd>${e.competencies.map((k, i) => html`${i > 0 ? ', ' : ''}<a href="/catalog?competency=${encodeURIComponent(k)}">${names.get(k) ?? 'competency'}</a>`)}</dd>` : ''}
  </dl>
</li>`;
}

function facetSelect(name: string, label: string, values: readonly FacetValue[], chosen: string | undefined, show: (v: string) => string = (v) => v): Html {
  const options = values.some((v) => v.value === chosen) || chosen === undefined ? values : [{ value: chosen, count: 0 }, ...values];
  return html`<div class="field"><label for="f-${name}">${label}</label>
<select id="f-${name}" name="${name}"><option value="">Any</option>${options.map((v) => html`<option value="${v.value}"${v.value === chosen ? html` selected` : ''}>${show(v.value)} (${v.count})</option>`)}</select></div>`;
}

function flag(name: string, label: string, values: readonly FacetValue[], on: boolean | undefined): Html {
  const count = values.find((v) => v.value === 'yes')?.count ?? 0;
  return html`<div class="check"><input type="checkbox" id="f-${name}" name="${name}" value="1"${on ? html` checked` : ''}><label for="f-${name}">${label} (${count})</label></div>`;
}

function pageLink(search: CatalogSearch, page: number): string {
  const p = new URLSearchParams();
  const add = (k: string, v: string | number | boolean | undefined): void => {
    if (v !== undefined && v !== false) p.set(k, v === true ? '1' : String(v));
  };
  add('q', search.q); add('provider', search.provider); add('format', search.format); add('kind', search.kind);
  add('language', search.language); add('duration', search.duration); add('credits', search.credits);
  add('competency', search.competency); add('upcoming', search.upcoming); add('sort', search.sort); add('page', page);
  return `/catalog?${p.toString()}`;
}

/** /catalog: search, facets and results of what the person may take (twin of GET /api/catalog). */
export function catalogView(search: CatalogSearch, r: CatalogAnswer, names: CompetencyNames = new Map()): Html {
  const f = r.facets;
  return html`<h1>Catalog</h1>
<form class="catalog-search" method="get" action="/catalog" role="search">
<div class="field"><label for="f-q">Search</label><input id="f-q" type="search" name="q" value="${search.q ?? ''}"></div>
<fieldset><legend>Filters</legend>
${facetSelect('provider', 'Provider', f.provider, search.provider)}
${facetSelect('kind', 'Type', f.kind, search.kind, kindLabel)}
${facetSelect('format', 'Format', f.format, search.format)}
${facetSelect('language', 'Language', f.language, search.language)}
${facetSelect('duration', 'Duration', f.duration, search.duration, (v) => DURATION_LABELS[v] ?? v)}
${facetSelect('competency', 'Competency', f.competency, search.competency, (k) => names.get(k) ?? k)}
${flag('credits', 'Awards CE credits', f.credits, search.credits)}
${flag('upcoming', 'Has upcoming dates', f.upcoming, search.upcoming)}
</fieldset>
<div class="field"><label for="f-sort">Sort by</label><select id="f-sort" name="sort">${SORTS.map((s) => html`<option value="${s}"${s === search.sort ? html` selected` : ''}>${SORT_LABELS[s]}</option>`)}</select></div>
<div class="actions"><button type="submit">Search</button></div>
</form>
${search.competency !== undefined ? html`<p>Courses aligned to <strong>${names.get(search.competency) ?? 'a competency'}</strong> · <a href="/catalog">all courses</a></p>` : ''}
<p id="result-count" role="status">${r.total === 1 ? '1 result' : `${r.total} results`}${r.pages > 1 ? `, page ${r.page} of ${r.pages}` : ''}</p>
${r.total === 0
    ? html`<p>Nothing in the catalog matches. Try fewer words or filters.</p>`
    : html`<ul class="catalog">${r.items.map((e) => entryCard(e, names))}</ul>`}
${r.pages > 1
    ? html`<nav aria-label="Result pages"><ul class="pager">
${r.page > 1 ? html`<li><a href="${pageLink(search, r.page - 1)}" rel="prev">Previous page</a></li>` : ''}
${r.page < r.pages ? html`<li><a href="${pageLink(search, r.page + 1)}" rel="next">Next page</a></li>` : ''}
</ul></nav>`
    : ''}`;
}

/** Mounts /catalog. */
export function mountCatalogPages(router: Router, source: CourseServicesSource): void {
  const pages = express.Router();
  pages.get('/catalog', requireUser(), async (req, res) => {
    const s = await source();
    const search = parseCatalogSearch(req.query as Record<string, unknown>);
    const result = await searchForUser(s, signedIn(res), search);
    const names = new Map<string, string>();
    const keys = new Set([...result.items.flatMap((e) => e.competencies), ...result.facets.competency.map((v) => v.value), ...(search.competency ? [search.competency] : [])]);
    for (const k of keys) {
      const [fw, item] = k.split('|');
      const [found] = fw && item ? await s.store.competency.findItems({ frameworkId: fw, identifiers: [item], includeRetired: true }) : [];
      if (found) names.set(k, `${found.humanCodingScheme ? `${found.humanCodingScheme} ` : ''}${found.abbreviatedStatement ?? found.fullStatement}`);
    }
    sendPage(res, 200, { title: 'Catalog', body: catalogView(search, result, names) });
  });
  pages.use(pageErrorHandler());
  router.use(pages);
}
