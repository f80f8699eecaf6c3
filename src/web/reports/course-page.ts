/** /reports/courses/:courseId: the course report page (twin of GET /api/reports/courses/:courseId). */
import type { ReportLens } from '../../reports/access';
import type { Bin, CourseReport } from '../../reports/course-report';
import { html, type Html } from '../html';
import { lensParams, qs } from './views';

const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : `${Math.round(v * 100)} %`);

function binsTable(id: string, caption: string, first: string, second: string, bins: readonly Bin[]): Html {
  return html`<table id="${id}"><caption>${caption}</caption>
<thead><tr><th scope="col">${first}</th><th scope="col">${second}</th></tr></thead>
<tbody>${bins.map((b) => html`<tr><th scope="row">${b.label}</th><td>${b.count}</td></tr>`)}</tbody></table>`;
}

export function courseReportView(r: CourseReport, lens: ReportLens): Html {
  const all = { ...lensParams(lens), from: r.query.from, to: r.query.to, learnerOrg: r.query.learnerOrgId };
  const base = `/api/reports/courses/${encodeURIComponent(r.course.id)}`;
  const csv = (table: string): string => `${base}/report.csv${qs({ ...all, table })}`;
  const chart = (name: string, title: string, alt: string, table: Html): Html => html`<figure class="chart">
<img src="${base}/chart.svg${qs({ ...all, chart: name })}" alt="${alt}" width="720">
<figcaption>${title} — <a href="${csv(name)}" download>Download CSV</a></figcaption>
<details><summary>Table of the chart's figures</summary>${table}</details></figure>`;
  const head = html`<h1>Course report: ${r.course.title}</h1>
<p><a href="/reports${qs(all)}">Back to the overview</a> · ${r.query.from} to ${r.query.to}${r.course.format ? ` · ${r.course.format}` : ''}</p>`;
  if (r.suppressed) return html`${head}<p>Fewer than ${lens.minGroup} learners took this course in this period: the figures are not shown.</p>`;
  return html`${head}
<section aria-labelledby="funnel-h"><h2 id="funnel-h">From enrolment to pass</h2>
${chart('funnel', 'Learners at each step', 'Bar chart of learners enrolled, launched, completed and passed; the table below gives the same figures.',
    binsTable('table-funnel', 'Funnel', 'Step', 'Learners', r.funnel.map((f) => ({ label: f.step, count: f.learners }))))}
</section>
<section aria-labelledby="scores-h"><h2 id="scores-h">Scores</h2>
${chart('scores', 'Scored attempts by score', 'Bar chart of scored attempts per score band; the table below gives the same figures.', binsTable('table-scores', 'Scores', 'Score', 'Attempts', r.scores))}
</section>
<section aria-labelledby="times-h"><h2 id="times-h">Time</h2>
${chart('times', 'Sittings by length', 'Bar chart of sittings per length band; the table below gives the same figures.', binsTable('table-times', 'Time per sitting', 'Length', 'Sittings', r.times))}
</section>
<section aria-labelledby="attempts-h"><h2 id="attempts-h">Attempts</h2>
${chart('attempts', 'Learners by number of sittings', 'Bar chart of learners per number of sittings; the table below gives the same figures.', binsTable('table-attempts', 'Sittings per learner', 'Sittings', 'Learners', r.attempts))}
</section>
<section aria-labelledby="orgs-h"><h2 id="orgs-h">Completion by organization</h2>
<table id="table-byOrganization"><caption>Completion by organization</caption>
<thead><tr><th scope="col">Organization</th><th scope="col">Enrolled</th><th scope="col">Completed</th><th scope="col">Passed</th><th scope="col">Completion rate</th></tr></thead>
<tbody>${r.byOrganization.map((o) => html`<tr><th scope="row">${o.label}</th>${o.suppressed ? html`<td colspan="4">Fewer than 5 learners: not shown</td>`
    : html`<td>${o.enrolled}</td><td>${o.completed}</td><td>${o.passed}</td><td>${pct(o.completionRate)}</td>`}</tr>`)}</tbody></table>
<p><a href="${csv('byOrganization')}" download>Download CSV</a></p>
</section>
<section aria-labelledby="items-h"><h2 id="items-h">Item analysis</h2>
${r.items.length === 0 ? html`<p>No answers to questions were recorded for this course in this period.</p>` : html`<table id="table-items"><caption>Per question</caption>
<thead><tr><th scope="col">Question</th><th scope="col">Answers</th><th scope="col">Correct</th><th scope="col">Most chosen wrong answers</th><th scope="col">Mean time</th></tr></thead>
<tbody>${r.items.map((i) => html`<tr><th scope="row">${i.question}</th>${i.suppressed ? html`<td colspan="4">Fewer than 5 learners: not shown</td>`
    : html`<td>${i.answers}</td><td>${pct(i.shareCorrect)}</td><td>${(i.topWrong ?? []).length === 0 ? '–' : (i.topWrong ?? []).map((w) => `${w.response || '(empty)'} (${w.count})`).join('; ')}</td><td>${i.meanSeconds === null || i.meanSeconds === undefined ? '–' : `${i.meanSeconds} s`}</td>`}</tr>`)}</tbody></table>`}
<p><a href="${csv('items')}" download>Download CSV</a></p>
</section>`;
}
