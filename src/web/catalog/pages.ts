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

function courseCard(c: Course): Html {
  return html`<li class="card course">
  <h2 lang="${c.language}"><a href="/courses/${encodeURIComponent(c.id)}">${c.title}</a></h2>
  <p class="muted">${c.provider}</p>
  ${c.description ? html`<p lang="${c.language}">${c.description}</p>` : ''}
  <dl class="facts">
    <dt>Language</dt><dd>${c.language}</dd>
    ${c.estimatedMinutes !== undefined ? html`<dt>Duration</dt><dd>${duration(c.estimatedMinutes)}</dd>` : ''}
    ${c.ceCredits !== undefined ? html`<dt>CE credits</dt><dd>${c.ceCredits}</dd>` : ''}
  </dl>
</li>`;
}

/** /catalog: the published courses, for every signed-in person (twin of GET /api/catalog). */
export function catalogView(courses: readonly Course[]): Html {
  return html`<h1>Catalog</h1>
${courses.length === 0 ? html`<p>No courses are published yet.</p>` : html`<ul class="catalog">${courses.map(courseCard)}</ul>`}`;
}

/** Mounts /catalog. */
export function mountCatalogPages(router: Router, source: CourseServicesSource): void {
  const pages = express.Router();
  pages.get('/catalog', requireUser(), async (_req, res) => {
    const s = await source();
    const courses = await listCatalog(s, signedIn(res));
    sendPage(res, 200, { title: 'Catalog', body: catalogView(courses) });
  });
  pages.use(pageErrorHandler());
  router.use(pages);
}
