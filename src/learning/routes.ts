/**
 * JSON API of the learner's side (issue 18), the twins of the My learning and catalog pages:
 *
 *   GET    /api/my-learning                           the signed-in person's dashboard
 *   GET    /api/transcript                            their completions with certificate verification URLs
 *   GET    /api/certificates/:token                   public: confirms a certificate
 *   GET    /api/catalog/entries/:entryId              one entry the person may see
 *   PUT    /api/catalog/entries/:entryId/visibility   authors of its organization
 *   GET    /api/orgs/:orgId/learning-target           members
 *   PUT    /api/orgs/:orgId/learning-target           organization administrators
 *   GET    /api/orgs/:orgId/assignments               organization administrators (all), managers (their units'), with status counts
 *   POST   /api/orgs/:orgId/assignments               organization administrators; managers to their units and their people
 *   DELETE /api/orgs/:orgId/assignments/:assignmentId the same (a manager: 403 outside their units)
 *   POST   /api/orgs/:orgId/assignments/reminders     organization administrators: mail the reminders due now
 *   GET    /api/orgs/:orgId/opportunities             authors and administrators: the organization's opportunities
 *   POST   /api/orgs/:orgId/opportunities             authors and administrators: publish an opportunity
 *   PUT    /api/opportunities/:entryId                organizers: change dates, place, join link, seats, credits
 *   POST   /api/opportunities/:entryId/withdrawal     organizers: withdraw it (registrations cancelled, people mailed)
 *   POST   /api/opportunities/:entryId/registration   register (those who see it); DELETE cancels
 *   GET    /api/opportunities/:entryId/roster         organizers
 *   POST   /api/opportunities/:entryId/attendance     organizers: JSON marks or a CSV, row-level report
 *   POST   /api/me/self-reports                       report external learning
 *   POST   /api/self-reports/:reportId/attachment     the person: attach a PDF or image (raw body, ?name=file name)
 *   GET    /api/self-reports/:reportId/attachment     the person and those who may decide the report: download it
 *   GET    /api/orgs/:orgId/self-reports              organization administrators: pending reports
 *   POST   /api/self-reports/:reportId/decision       approve or reject once (optional reason)
 *   GET    /api/self-reports/approvals                administrators and managers: the reports they may decide
 */
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { requireCsrf, requireUser } from '../accounts/guards';
import { actorOf } from '../accounts/api/respond';
import { parseVisibilityChange, setEntryVisibility, visibleEntry } from '../catalog/service';
import type { AppServices } from '../deps';
import { jsonBody } from '../http/json-body';
import { createAssignment, deleteAssignment, getLearningTarget, listAssignments, parseAssignment, parseTarget, requireAssignmentAdmin, setLearningTarget } from './assignments';
import { assignmentStatus } from './assignment-status';
import { myLearning } from './dashboard';
import { sendAssignmentReminders } from './reminders';
import { myTranscript, verifyCertificate } from './transcript';
import { badRequest, forbidden, notFound } from '../errors';
import { listOrgOpportunities } from '../catalog/opportunity-list';
import { parseOpportunityEdit, updateOpportunity, withdrawOpportunity } from '../catalog/opportunity-edit';
import { attachSelfReportFile, MAX_SELF_REPORT_FILE_BYTES, readBody, readSelfReportFile } from '../catalog/self-report-files';
import type { SelfReport } from '../store/ports';
import {
  approvableSelfReports, cancelRegistration, createOpportunity, decideSelfReport, decidesSelfReports, parseAttendanceCsv, parseSelfReport, pendingSelfReports, recordAttendance, registerFor, roster, submitSelfReport,
} from '../catalog/opportunities';

type Handler = (req: Request, res: Response) => Promise<void>;

/** A self-report as the API shows it: the attachment's store path stays inside, its download URL goes out. */
function shown(r: SelfReport): unknown {
  if (!r.attachment) return r;
  const { path: _path, ...attachment } = r.attachment;
  return { ...r, attachment: { ...attachment, href: `/api/self-reports/${encodeURIComponent(r.id)}/attachment` } };
}

function parseMarks(body: unknown): { who: string; attended: boolean }[] {
  const marks = (body as { marks?: unknown } | null)?.marks;
  if (!Array.isArray(marks) || marks.length > 5000) throw badRequest('marks: a list of { who, attended } (at most 5,000)');
  return marks.map((m, i) => {
    const o = (m ?? {}) as Record<string, unknown>;
    if (typeof o['who'] !== 'string' || typeof o['attended'] !== 'boolean') throw badRequest(`marks[${i}]: { who: user id or email, attended: true|false }`);
    return { who: o['who'], attended: o['attended'] };
  });
}

export function learningApiRouter(s: AppServices): Router {
  const api = Router();
  const signedIn = requireUser();
  const csrf = requireCsrf();
  const json = jsonBody({ limit: '32kb', type: ['application/json', 'application/*+json'] });
  const bigJson = jsonBody({ limit: '1mb', type: ['application/json', 'application/*+json'] });
  const csvText = express.text({ type: ['text/csv', 'text/plain'], limit: '1mb' });
  const csvOrJson: RequestHandler = (req, res, next) => (req.is(['text/csv', 'text/plain']) ? csvText(req, res, next) : bigJson(req, res, next));
  const run = (h: Handler): RequestHandler => (req, res, next) => {
    h(req, res).catch(next);
  };
  const p = (req: Request, name: string): string => String(req.params[name] ?? '');

  api.get('/my-learning', signedIn, run(async (_req, res) => {
    res.json(await myLearning(s, actorOf(res)));
  }));
  api.get('/transcript', signedIn, run(async (_req, res) => {
    res.json(await myTranscript(s, actorOf(res)));
  }));
  // Public twin of /certificates/:token: 404 unless LearnHQ issued it and the completion exists.
  api.get('/certificates/:token', run(async (req, res) => {
    const f = await verifyCertificate(s, p(req, 'token'));
    if (!f) throw notFound('LearnHQ cannot confirm this certificate');
    res.json({ verified: true, name: f.name, title: f.title, provider: f.provider, completedAt: f.completedAt });
  }));
  api.get('/catalog/entries/:entryId', signedIn, run(async (req, res) => {
    res.json({ entry: await visibleEntry(s, actorOf(res), p(req, 'entryId')) });
  }));
  api.put('/catalog/entries/:entryId/visibility', signedIn, json, csrf, run(async (req, res) => {
    res.json({ entry: await setEntryVisibility(s, actorOf(res), p(req, 'entryId'), parseVisibilityChange(req.body)) });
  }));
  api.get('/orgs/:orgId/learning-target', signedIn, run(async (req, res) => {
    res.json({ target: (await getLearningTarget(s, actorOf(res), p(req, 'orgId'))) ?? null });
  }));
  api.put('/orgs/:orgId/learning-target', signedIn, json, csrf, run(async (req, res) => {
    res.json({ target: await setLearningTarget(s, actorOf(res), p(req, 'orgId'), parseTarget(req.body)) });
  }));
  api.get('/orgs/:orgId/assignments', signedIn, run(async (req, res) => {
    const list = await listAssignments(s, actorOf(res), p(req, 'orgId'));
    const out = [];
    for (const a of list) out.push({ ...a, status: await assignmentStatus(s, a) });
    res.json({ assignments: out });
  }));
  api.post('/orgs/:orgId/assignments', signedIn, json, csrf, run(async (req, res) => {
    const a = await createAssignment(s, actorOf(res), p(req, 'orgId'), parseAssignment(req.body));
    res.status(201).json({ assignment: a });
  }));
  api.delete('/orgs/:orgId/assignments/:assignmentId', signedIn, csrf, run(async (req, res) => {
    await deleteAssignment(s, actorOf(res), p(req, 'orgId'), p(req, 'assignmentId'));
    res.status(204).end();
  }));
  api.post('/orgs/:orgId/assignments/reminders', signedIn, csrf, run(async (req, res) => {
    await requireAssignmentAdmin(s, actorOf(res), p(req, 'orgId'));
    res.json({ sent: await sendAssignmentReminders(s, [p(req, 'orgId')]) });
  }));
  // Learning beyond packages (ADR 0019).
  api.get('/orgs/:orgId/opportunities', signedIn, run(async (req, res) => {
    res.json({ opportunities: await listOrgOpportunities(s, actorOf(res), p(req, 'orgId')) });
  }));
  api.post('/orgs/:orgId/opportunities', signedIn, json, csrf, run(async (req, res) => {
    res.status(201).json({ entry: await createOpportunity(s, actorOf(res), p(req, 'orgId'), req.body) });
  }));
  api.put('/opportunities/:entryId', signedIn, json, csrf, run(async (req, res) => {
    res.json({ entry: await updateOpportunity(s, actorOf(res), p(req, 'entryId'), parseOpportunityEdit(req.body)) });
  }));
  api.post('/opportunities/:entryId/withdrawal', signedIn, json, csrf, run(async (req, res) => {
    const reason = (req.body as { reason?: unknown } | undefined)?.reason;
    if (reason !== undefined && (typeof reason !== 'string' || reason.length > 2000)) throw badRequest('reason: text of at most 2,000 characters');
    res.json(await withdrawOpportunity(s, actorOf(res), p(req, 'entryId'), reason?.trim()));
  }));
  api.post('/opportunities/:entryId/registration', signedIn, csrf, run(async (req, res) => {
    res.status(201).json({ registration: await registerFor(s, actorOf(res), p(req, 'entryId')) });
  }));
  api.delete('/opportunities/:entryId/registration', signedIn, csrf, run(async (req, res) => {
    await cancelRegistration(s, actorOf(res), p(req, 'entryId'));
    res.status(204).end();
  }));
  api.get('/opportunities/:entryId/roster', signedIn, run(async (req, res) => {
    res.json({ roster: await roster(s, actorOf(res), p(req, 'entryId')) });
  }));
  // JSON { marks: [{ who, attended }] } or text/csv with columns email, attended.
  api.post('/opportunities/:entryId/attendance', signedIn, csvOrJson, csrf, run(async (req, res) => {
    const marks = typeof req.body === 'string' ? parseAttendanceCsv(req.body) : parseMarks(req.body);
    res.json({ report: await recordAttendance(s, actorOf(res), p(req, 'entryId'), marks) });
  }));
  api.post('/me/self-reports', signedIn, json, csrf, run(async (req, res) => {
    res.status(201).json({ selfReport: shown(await submitSelfReport(s, actorOf(res), parseSelfReport(req.body))) });
  }));
  api.post('/self-reports/:reportId/attachment', signedIn, csrf, run(async (req, res) => {
    const bytes = await readBody(req, MAX_SELF_REPORT_FILE_BYTES);
    const name = typeof req.query['name'] === 'string' ? req.query['name'] : undefined;
    res.status(201).json({ selfReport: shown(await attachSelfReportFile(s, actorOf(res), p(req, 'reportId'), bytes, name)) });
  }));
  api.get('/self-reports/:reportId/attachment', signedIn, run(async (req, res) => {
    const { attachment, file } = await readSelfReportFile(s, actorOf(res), p(req, 'reportId'));
    // Never rendered by the browser in the app's origin: a download, sandboxed, not sniffed.
    res.set({
      'Content-Type': attachment.contentType,
      'Content-Length': String(file.info.size),
      'Content-Disposition': `attachment; filename="${attachment.fileName.replace(/"/g, '')}"`,
      'Content-Security-Policy': "sandbox; default-src 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
    file.stream.on('error', () => res.destroy());
    file.stream.pipe(res);
  }));
  api.get('/orgs/:orgId/self-reports', signedIn, run(async (req, res) => {
    res.json({ selfReports: (await pendingSelfReports(s, actorOf(res), p(req, 'orgId'))).map(shown) });
  }));
  api.get('/self-reports/approvals', signedIn, run(async (_req, res) => {
    const user = actorOf(res);
    if (!decidesSelfReports(user)) throw forbidden('this needs the role orgAdmin or manager');
    res.json({ selfReports: (await approvableSelfReports(s, user)).map(shown) });
  }));
  api.post('/self-reports/:reportId/decision', signedIn, json, csrf, run(async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (b['approve'] !== true && b['approve'] !== false) throw badRequest('approve: true or false');
    const reason = b['reason'];
    if (reason !== undefined && (typeof reason !== 'string' || reason.length > 2000)) throw badRequest('reason: text of at most 2,000 characters');
    res.json({ selfReport: shown(await decideSelfReport(s, actorOf(res), p(req, 'reportId'), b['approve'], reason)) });
  }));
  const router = Router();
  router.use('/api', api);
  return router;
}
