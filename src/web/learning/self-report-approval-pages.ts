/**
 * /self-reports/approvals (issue 18): the queue of pending self-reports the viewer may decide —
 * organization administrators: their organization's; managers: the people of their units and below
 * (approvableSelfReports, which asks mayApprove for each) — with the note, the attached file and
 * Approve / Reject (with an optional reason) as plain CSRF-protected form posts. The page twin of
 * POST /api/self-reports/:reportId/decision.
 */
import express, { type Router } from 'express';
import { requireCsrf, requireUser } from '../../accounts/guards';
import { approvableSelfReports, decideSelfReport, decidesSelfReports } from '../../catalog/opportunities';
import type { AppServices } from '../../deps';
import { badRequest, forbidden } from '../../errors';
import type { SelfReport } from '../../store/ports';
import { csrfField, formBody, text } from '../accounts/forms';
import { sendPage, signedIn, when } from '../accounts/render';
import { kindLabel } from '../catalog/pages';
import { html, type Html } from '../html';

interface QueueLine {
  readonly report: SelfReport;
  readonly personName: string;
  readonly orgName: string;
}

function facts(r: SelfReport): string {
  return [kindLabel(r.kind), `completed ${r.completedOn}`, r.hours !== undefined ? `${r.hours} h` : '', r.ceCredits !== undefined ? `${r.ceCredits} CE credits` : '']
    .filter((x) => x !== '').join(' · ');
}

function line(csrf: string, l: QueueLine): Html {
  const r = l.report;
  const id = encodeURIComponent(r.id);
  return html`<li class="card" aria-labelledby="sr-${r.id}">
<h2 id="sr-${r.id}">${r.title}</h2>
<p><strong>${l.personName}</strong> <span class="muted">· ${l.orgName} · from ${r.provider}</span></p>
<p class="muted">${facts(r)} · sent ${when(r.createdAt)}</p>
${r.note ? html`<p class="note">${r.note}</p>` : html`<p class="muted">No note.</p>`}
${r.attachment ? html`<p>Attached: <a href="/api/self-reports/${id}/attachment">${r.attachment.fileName}</a></p>` : html`<p class="muted">No file attached.</p>`}
<form method="post" action="/self-reports/${id}/decision" class="inline">${csrfField(csrf)}<input type="hidden" name="decision" value="approve"><button type="submit">Approve “${r.title}”</button></form>
<form method="post" action="/self-reports/${id}/decision" class="stack">${csrfField(csrf)}<input type="hidden" name="decision" value="reject">
<label for="reason-${r.id}">Reason for rejecting (shown to ${l.personName})</label>
<textarea id="reason-${r.id}" name="reason" rows="2" maxlength="2000"></textarea>
<div class="actions"><button type="submit" class="secondary">Reject “${r.title}”</button></div></form>
</li>`;
}

function view(csrf: string, lines: readonly QueueLine[], notice?: string): Html {
  return html`<h1>Self-reports to approve</h1>
<p>Learning people took elsewhere and reported themselves. Once approved it counts in their transcript and My learning.</p>
${notice ? html`<p class="notice ok" role="status">${notice}</p>` : ''}
${lines.length === 0 ? html`<p>Nothing is waiting for you.</p>` : html`<ul class="queue">${lines.map((l) => line(csrf, l))}</ul>`}`;
}

export function mountSelfReportApprovalPages(pages: Router, s: AppServices): void {
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  pages.get('/self-reports/approvals', requireUser(), async (req, res) => {
    const user = signedIn(res);
    if (!decidesSelfReports(user)) throw forbidden('this needs the role orgAdmin or manager');
    const reports = await approvableSelfReports(s, user);
    const names = new Map<string, string>();
    const orgs = new Map<string, string>();
    const lines: QueueLine[] = [];
    for (const r of reports) {
      if (!names.has(r.userId)) names.set(r.userId, (await s.store.accounts.findUser(r.userId))?.name ?? r.userId);
      if (!orgs.has(r.orgId)) orgs.set(r.orgId, (await s.store.accounts.findOrganization(r.orgId))?.name ?? r.orgId);
      lines.push({ report: r, personName: names.get(r.userId)!, orgName: orgs.get(r.orgId)! });
    }
    const done = req.query['done'];
    const notice = done === 'approved' ? 'Approved. It now counts in their transcript.' : done === 'rejected' ? 'Rejected. They see your reason.' : undefined;
    sendPage(res, 200, { title: 'Self-reports to approve', body: view(user.csrfToken, lines, notice) });
  });
  pages.post('/self-reports/:reportId/decision', requireUser(), form, requireCsrf(), async (req, res) => {
    const b = formBody(req);
    const decision = text(b, 'decision');
    if (decision !== 'approve' && decision !== 'reject') throw badRequest('decision: approve or reject');
    const reason = text(b, 'reason');
    if (reason.length > 2000) throw badRequest('reason: text of at most 2,000 characters');
    await decideSelfReport(s, signedIn(res), String(req.params['reportId'] ?? ''), decision === 'approve', reason);
    res.redirect(303, `/self-reports/approvals?done=${decision === 'approve' ? 'approved' : 'rejected'}`);
  });
}
