/** Views of the author console: course lists per organization, upload forms, course page. */
import type { UserContext } from '../../accounts/user-context';
import type { ValidationReport } from '../../packages/course-model';
import type { CourseDetail, OrgCourses } from '../../packages/service';
import type { Course, CourseVersionInfo } from '../../store/ports';
import { when } from '../accounts/render';
import { html, type Html } from '../html';

const STATE_LABEL: Record<Course['state'], string> = { draft: 'Draft', published: 'Published', retired: 'Retired' };
const FORMAT_LABEL: Record<string, string> = { scorm12: 'SCORM 1.2', scorm2004: 'SCORM 2004', tincan: 'xAPI (tincan.xml)', cmi5: 'cmi5' };

/** Human label of a package format (with the SCORM edition when known). */
export function formatLabel(format: string, edition?: string): string {
  const base = FORMAT_LABEL[format] ?? format;
  return format === 'scorm2004' && edition ? `${base} (${edition.replace('2004-', '')} edition)` : base;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * An upload form, enhanced by /static/upload.js (XMLHttpRequest with upload progress). It stays
 * hidden without JavaScript: the API needs the CSRF header that only the script sends.
 */
export function uploadForm(o: { id: string; endpoint: string; label: string; button: string; csrfToken: string }): Html {
  return html`<form class="upload card" id="${o.id}" method="post" action="${o.endpoint}" data-upload data-endpoint="${o.endpoint}" hidden>
  <input type="hidden" name="_csrf" value="${o.csrfToken}">
  <label for="${o.id}-file">${o.label}</label>
  <p class="hint muted" id="${o.id}-hint">A zip with imsmanifest.xml (SCORM 1.2 or 2004), tincan.xml (xAPI) or cmi5.xml at its root, or a cmi5.xml course structure on its own (its AUs at full URLs).</p>
  <input id="${o.id}-file" name="package" type="file" accept=".zip,application/zip,.xml,application/xml" required aria-describedby="${o.id}-hint">
  <div class="actions"><button type="submit">${o.button}</button></div>
  <progress max="100" value="0" hidden aria-label="Upload progress"></progress>
  <div class="upload-status" role="status" aria-live="polite"></div>
  <div class="upload-report"></div>
</form>
<noscript><p class="notice error">Uploading a package needs JavaScript (it shows the upload progress and the validation report).</p></noscript>`;
}

/** The validation findings of an import. */
export function reportView(report: ValidationReport): Html {
  const list = (title: string, issues: ValidationReport['errors']): Html =>
    issues.length === 0
      ? html``
      : html`<h3>${title} (${issues.length})</h3><ul class="issues">${issues.map(
          (i) => html`<li><strong>${i.message}</strong> <span class="muted">${i.code}${i.path ? html` at <code>${i.path}</code>` : ''}</span></li>`,
        )}</ul>`;
  if (report.errors.length === 0 && report.warnings.length === 0) return html`<p class="muted">The package passed every check without warnings.</p>`;
  return html`${list('Errors', report.errors)}${list('Warnings', report.warnings)}`;
}

function courseRow(c: Course): Html {
  return html`<tr>
  <td><a href="/author/courses/${c.id}">${c.title}</a></td>
  <td><span class="state state-${c.state}">${STATE_LABEL[c.state]}</span></td>
  <td>${c.currentVersionNumber ?? '—'}</td>
  <td>${when(c.updatedAt)}</td>
</tr>`;
}

/** /author: the courses of each organization where the person authors, with an upload form each. */
export function authorHomeView(user: UserContext, orgs: readonly OrgCourses[]): Html {
  return html`<h1>Author console</h1>
${orgs.length === 0 ? html`<p>There are no organizations yet.</p>` : ''}
${orgs.map((o) => html`<section aria-labelledby="org-${o.org.id}">
  <h2 id="org-${o.org.id}">${o.org.name}</h2>
  ${o.courses.length === 0
    ? html`<p class="muted">No courses yet.</p>`
    : html`<table><caption class="visually-hidden">Courses of ${o.org.name}</caption>
      <thead><tr><th scope="col">Course</th><th scope="col">State</th><th scope="col">Version</th><th scope="col">Updated</th></tr></thead>
      <tbody>${o.courses.map(courseRow)}</tbody></table>`}
  <h3>Upload a new course</h3>
  ${uploadForm({ id: `upload-${o.org.id}`, endpoint: `/api/orgs/${o.org.id}/courses`, label: `Package zip for ${o.org.name}`, button: 'Upload course', csrfToken: user.csrfToken })}
</section>`)}`;
}

function field(id: string, label: string, input: Html, hint?: string): Html {
  return html`<label for="${id}">${label}</label>${hint ? html`<p class="hint muted" id="${id}-hint">${hint}</p>` : ''}${input}`;
}

function catalogForm(c: Course, csrfToken: string): Html {
  const v = (n: number | undefined): string => (n === undefined ? '' : String(n));
  return html`<form method="post" action="/author/courses/${c.id}" class="catalog">
  <input type="hidden" name="_csrf" value="${csrfToken}">
  ${field('title', 'Title', html`<input id="title" name="title" required maxlength="200" value="${c.title}">`)}
  ${field('description', 'Description', html`<textarea id="description" name="description" rows="5" maxlength="10000">${c.description}</textarea>`)}
  ${field('language', 'Language', html`<input id="language" name="language" required maxlength="35" value="${c.language}" aria-describedby="language-hint">`, 'A language tag such as en or fr-CA.')}
  ${field('estimatedMinutes', 'Estimated duration (minutes)', html`<input id="estimatedMinutes" name="estimatedMinutes" type="number" min="1" max="100000" step="1" value="${v(c.estimatedMinutes)}">`)}
  ${field('provider', 'Provider', html`<input id="provider" name="provider" required maxlength="200" value="${c.provider}">`)}
  ${field('ceCredits', 'Continuing-education credits', html`<input id="ceCredits" name="ceCredits" type="number" min="0" max="1000" step="0.25" value="${v(c.ceCredits)}">`)}
  ${field('slug', 'Short name (in links)', html`<input id="slug" name="slug" maxlength="80" pattern="[a-z0-9]+(-[a-z0-9]+)*" value="${c.slug ?? ''}" aria-describedby="slug-hint">`, 'Lower-case letters, digits and hyphens; optional.')}
  <div class="actions"><button type="submit">Save catalog data</button></div>
</form>`;
}

function versionRow(v: CourseVersionInfo, current: string | undefined): Html {
  return html`<tr>
  <td>${v.number}${v.id === current ? html` <strong>(current)</strong>` : ''}</td>
  <td>${formatLabel(v.format, v.edition)}</td>
  <td>${when(v.createdAt)}</td>
  <td>${bytes(v.bytes)}</td>
  <td><code title="${v.sha256}">${v.sha256.slice(0, 12)}</code></td>
</tr>`;
}

function stateActions(c: Course, csrfToken: string): Html {
  const button = (action: 'publish' | 'retire', label: string, cls: string): Html =>
    html`<form method="post" action="/author/courses/${c.id}/${action}" class="inline"><input type="hidden" name="_csrf" value="${csrfToken}"><button type="submit" class="${cls}">${label}</button></form>`;
  return html`<div class="actions">
  ${c.state !== 'published' ? button('publish', c.state === 'retired' ? 'Publish again' : 'Publish', '') : ''}
  ${c.state !== 'retired' ? button('retire', 'Retire', 'danger') : ''}
</div>`;
}

/** /author/courses/:id: catalog data, state, versions, new version upload, current report. */
export function courseView(user: UserContext, d: CourseDetail, orgName: string): Html {
  const c = d.course;
  return html`<p><a href="/author">← Author console</a></p>
<h1>${c.title}</h1>
<dl class="facts">
  <dt>Organization</dt><dd>${orgName}</dd>
  <dt>State</dt><dd><span class="state state-${c.state}">${STATE_LABEL[c.state]}</span>${c.state === 'published' ? html` — learners see it in the <a href="/catalog">catalog</a>` : ''}</dd>
  <dt>Current version</dt><dd>${c.currentVersionNumber ?? '—'}</dd>
</dl>
<section aria-labelledby="state-h"><h2 id="state-h">Availability</h2>
<p class="muted">Only published courses reach learners. Retiring hides the course from the catalog; learners who started keep their records.</p>
${stateActions(c, user.csrfToken)}</section>
<section aria-labelledby="catalog-h"><h2 id="catalog-h">Catalog data</h2>${catalogForm(c, user.csrfToken)}</section>
<section aria-labelledby="versions-h"><h2 id="versions-h">Versions</h2>
<p class="muted">A new version becomes current for new learners; learners who started on an older version finish on it.</p>
<table><caption class="visually-hidden">Versions of ${c.title}</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Format</th><th scope="col">Uploaded</th><th scope="col">Size</th><th scope="col">SHA-256</th></tr></thead>
<tbody>${d.versions.map((v) => versionRow(v, c.currentVersionId))}</tbody></table>
${uploadForm({ id: 'upload-version', endpoint: `/api/courses/${c.id}/versions`, label: 'Package zip of the new version', button: 'Upload new version', csrfToken: user.csrfToken })}
</section>
<section aria-labelledby="report-h"><h2 id="report-h">Validation report of the current version</h2>${reportView(d.report)}</section>`;
}
