import express, { type Router } from 'express';
import { requireUser } from '../../accounts/guards';
import type { AppServices } from '../../deps';
import { myLearning, type AssignedItem, type Dashboard, type LearningItem } from '../../learning/dashboard';
import { sendPage, signedIn, when } from '../accounts/render';
import { pageErrorHandler } from '../accounts/page-errors';
import { html, type Html } from '../html';
import { mountTranscriptPages } from './transcript-pages';
import { mountOpportunityEditPages } from './opportunity-edit-pages';
import { mountSelfReportPages } from './self-report-pages';
import { mountSelfReportApprovalPages } from './self-report-approval-pages';
import { mountOpportunityPages } from './opportunity-pages';
import { mountOpportunityOrgPages } from './opportunity-org-pages';
import { mountAssignmentPages } from './assignment-pages';
import { mountOrganizePage } from './organize-page';

function progressBar(label: string, earned: number, target: number | undefined, unit: string): Html {
  if (target === undefined || target <= 0) return html`<p><strong>${label}:</strong> ${earned} ${unit} this year (your organization has set no target).</p>`;
  const pct = Math.min(100, Math.round((earned / target) * 100));
  return html`<p><strong>${label}:</strong> ${earned} of ${target} ${unit} this year (${pct}%).</p>
<progress max="${target}" value="${Math.min(earned, target)}" aria-label="${label}: ${earned} of ${target} ${unit}">${pct}%</progress>`;
}

function hoursOf(seconds: number | undefined): string {
  if (!seconds) return '';
  const h = seconds / 3600;
  return h >= 1 ? `${Math.round(h * 10) / 10} h` : `${Math.max(1, Math.round(seconds / 60))} min`;
}

function inProgressRow(i: LearningItem): Html {
  return html`<li class="card"><h3><a href="${i.href}">${i.title}</a></h3>
<p class="muted">${i.provider}${i.lastActivityAt ? html` · last active ${when(i.lastActivityAt)}` : ''}${i.timeSeconds ? ` · ${hoursOf(i.timeSeconds)} so far` : ''}</p>
<p><a class="button" href="${i.href}">Resume<span class="visually-hidden"> ${i.title}</span></a></p></li>`;
}

function assignedRow(i: AssignedItem): Html {
  return html`<tr${i.overdue ? html` class="overdue"` : ''}><td><a href="${i.href}">${i.title}</a><br><span class="muted">${i.provider}</span></td>
<td>${i.dueAt ? when(i.dueAt) : 'No due date'}${i.overdue ? html` <strong class="badge-overdue">Overdue</strong>` : ''}</td>
<td>${i.required ? 'Required' : 'Recommended'}</td><td>${i.status === 'not started' ? 'Not started' : 'In progress'}</td></tr>`;
}

/** /my-learning: the person's dashboard (twin of GET /api/my-learning). */
export function myLearningView(name: string, d: Dashboard): Html {
  return html`<h1>My learning</h1>
<p>Welcome, ${name}. Here is what you are working on, what is assigned to you and what you have finished.</p>
<section aria-labelledby="h-year"><h2 id="h-year">This year (${d.year})</h2>
${progressBar('CE credits', d.credits.earned, d.credits.target, 'credits')}
${progressBar('Learning hours', d.hours.earned, d.hours.target, 'hours')}
</section>
<section aria-labelledby="h-assigned"><h2 id="h-assigned">Assigned to me</h2>
${d.assigned.length === 0
    ? html`<p>Nothing is assigned to you right now.</p>`
    : html`<div class="table-wrap"><table><caption class="visually-hidden">Assigned learning, overdue first</caption>
<thead><tr><th scope="col">Learning</th><th scope="col">Due</th><th scope="col">Kind</th><th scope="col">Status</th></tr></thead>
<tbody>${d.assigned.map(assignedRow)}</tbody></table></div>`}
</section>
<section aria-labelledby="h-registered"><h2 id="h-registered">Registered</h2>
${d.registered.length === 0
    ? html`<p>You are not registered for any webinar, workshop or session.</p>`
    : html`<ul>${d.registered.map((r) => html`<li><a href="${r.href}">${r.title}</a> <span class="muted">${r.provider}${r.startsAt ? html` · ${when(r.startsAt)}` : ''}${r.location ? ` · ${r.location}` : ''}</span></li>`)}</ul>`}
${d.pendingReports.length > 0 ? html`<p>Waiting for approval: ${d.pendingReports.map((r) => r.title).join(', ')}.</p>` : ''}
</section>
<section aria-labelledby="h-progress"><h2 id="h-progress">In progress</h2>
${d.inProgress.length === 0 ? html`<p>You have nothing in progress. <a href="/catalog">Find something in the catalog</a>.</p>` : html`<ul class="catalog">${d.inProgress.map(inProgressRow)}</ul>`}
</section>
${d.sections.map((sec) => html`<section aria-labelledby="h-${sec.id}"><h2 id="h-${sec.id}">${sec.heading}</h2>
${sec.items.length === 0 ? html`<p>Nothing yet.</p>` : html`<ul>${sec.items.map((it) => html`<li>${it.href ? html`<a href="${it.href}">${it.title}</a>` : it.title}${it.detail ? html` <span class="muted">${it.detail}</span>` : ''}</li>`)}</ul>`}</section>`)}
<section aria-labelledby="h-done"><h2 id="h-done">Completed</h2>
${d.completed.length === 0
    ? html`<p>You have not completed anything yet.</p>`
    : html`<ul>${d.completed.map((i) => html`<li><a href="${i.href}">${i.title}</a> <span class="muted">completed ${when(i.completedAt)}${i.ceCredits !== undefined ? ` · ${i.ceCredits} CE credits` : ''}</span></li>`)}</ul>`}
<p><a href="/transcript">My transcript and certificates</a> · <a href="/self-reports">Report learning I took elsewhere</a> · <a href="/me">My account</a></p>
</section>`;
}

/** The pages of the learner's side: /my-learning. */
export function learningPagesRouter(s: AppServices): Router {
  const pages = express.Router();
  pages.get('/my-learning', requireUser(), async (_req, res) => {
    const user = signedIn(res);
    sendPage(res, 200, { title: 'My learning', body: myLearningView(user.name, await myLearning(s, user)) });
  });
  mountTranscriptPages(pages, s);
  mountOpportunityEditPages(pages, s);
  mountSelfReportApprovalPages(pages, s);
  mountSelfReportPages(pages, s);
  mountOpportunityPages(pages, s);
  mountOpportunityOrgPages(pages, s);
  mountAssignmentPages(pages, s);
  mountOrganizePage(pages, s);
  pages.use(pageErrorHandler());
  return pages;
}
