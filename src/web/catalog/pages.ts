import express, { type Router } from 'express';
import { requireUser } from '../../accounts/guards';
import { listCatalog, type CourseServicesSource } from '../../packages/service';
import type { Course } from '../../store/ports';
import { sendPage, signedIn } from '../accounts/render';
import { pageErrorHandler } from '../accounts/page-errors';
import { html, type Html } from '../html';

function duration(minutes: number | undefined): string {
  if (minutes === undefined) return '';
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** Names of competencies by `frameworkId|itemIdentifier` (issue 14: catalog cards and the filter). */
type CompetencyNames = ReadonlyMap<string, string>;

function courseCard(c: Course, names: CompetencyNames = new Map()): Html {
  return html`<li class="card course">
  <h2 lang="${c.language}"><a href="/courses/${encodeURIComponent(c.id)}">${c.title}</a></h2>
  <p class="muted">${c.provider}</p>
  ${c.description ? html`<p lang="${c.language}">${c.description}</p>` : ''}
  <dl class="facts">
    <dt>Language</dt><dd>${c.language}</dd>
    ${c.estimatedMinutes !== undefined ? html`<dt>Duration</dt><dd>${duration(c.estimatedMinutes)}</dd>` : ''}
    ${c.ceCredits !== undefined ? html`<dt>CE credits</dt><dd>${c.ceCredits}</dd>` : ''}
    ${c.competencies.length > 0 ? html`<dt>Competencies</dt><dd>${c.competencies.map((k, i) => html`${i > 0 ? ', ' : ''}<a href="/catalog?competency=${encodeURIComponent(k)}">${names.get(k) ?? 'competency'}</a>`)}</dd>` : ''}
  </dl>
</li>`;
}

/** /catalog: the published courses, for every signed-in person (twin of GET /api/catalog). */
export function catalogView(courses: readonly Course[], names: CompetencyNames = new Map(), competency?: string): Html {
  return html`<h1>Catalog</h1>
${competency !== undefined ? html`<p>Courses aligned to <strong>${names.get(competency) ?? 'a competency'}</strong> · <a href="/catalog">all courses</a></p>` : ''}
${courses.length === 0 ? html`<p>${competency !== undefined ? 'No published course is aligned to this competency.' : 'No courses are published yet.'}</p>` : html`<ul class="catalog">${courses.map((c) => courseCard(c, names))}</ul>`}`;
}

/** Mounts /catalog. */
export function mountCatalogPages(router: Router, source: CourseServicesSource): void {
  const pages = express.Router();
  pages.get('/catalog', requireUser(), async (req, res) => {
    const s = await source();
    const competency = typeof req.query['competency'] === 'string' && req.query['competency'] !== '' ? req.query['competency'] : undefined;
    const courses = await listCatalog(s, signedIn(res), competency !== undefined ? { competency } : {});
    const names = new Map<string, string>();
    for (const k of new Set([...courses.flatMap((c) => c.competencies), ...(competency ? [competency] : [])])) {
      const [fw, item] = k.split('|');
      const [found] = fw && item ? await s.store.competency.findItems({ frameworkId: fw, identifiers: [item], includeRetired: true }) : [];
      if (found) names.set(k, `${found.humanCodingScheme ? `${found.humanCodingScheme} ` : ''}${found.abbreviatedStatement ?? found.fullStatement}`);
    }
    sendPage(res, 200, { title: 'Catalog', body: catalogView(courses, names, competency) });
  });
  pages.use(pageErrorHandler());
  router.use(pages);
}
