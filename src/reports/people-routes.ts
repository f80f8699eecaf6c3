/**
 * The people report's HTTP API (twins of /reports/people pages). Access: src/reports/people.ts.
 *
 * - GET /api/reports/people?org&unit&role&status&overdue&page&pageSize   the staff table, one page
 * - GET /api/reports/people.csv?org&unit&role&status&overdue             every row of it as CSV
 * - GET /api/reports/people/:userId?org                                  one person's transcript
 * - GET /api/reports/people/:userId/transcript.pdf?org                   the same as PDF
 * - GET /api/reports/people/:userId/transcript.csv?org                   the same as CSV
 */
import { Router, type Request, type Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { requireUser, userOf } from '../accounts/guards';
import { safeCell } from '../careers/role-profiles-csv';
import type { AppServices } from '../deps';
import { transcriptPdf } from '../learning/transcript';
import { asLearnerTranscript, buildPeopleTable, buildPersonTranscript, parsePeopleQuery, peopleAccess, type PeopleTable, type PersonTranscript } from './people';
import { sendCsv } from './routes';

const orgParam = (req: Request): string | undefined => (typeof req.query['org'] === 'string' ? req.query['org'] : undefined);

export const PEOPLE_CSV_COLUMNS = ['user_id', 'name', 'email', 'units', 'roles', 'job_roles', 'courses_in_progress', 'courses_completed', 'overdue_assignments', 'hours_this_year', 'ce_credits_this_year'];

/** The staff table as CSV (formula-like cells defused). */
export function peopleCsv(t: PeopleTable): string {
  return stringify(t.rows.map((r) => [
    r.userId, safeCell(r.name), safeCell(r.email), safeCell(r.units.join('; ')), r.roles.join('; '), safeCell(r.jobRoles.join('; ')),
    r.inProgress, r.completed, r.overdue, r.hours, r.ceCredits,
  ]), { header: true, columns: PEOPLE_CSV_COLUMNS });
}

/** A transcript as CSV, one row per course. */
export function personTranscriptCsv(t: PersonTranscript): string {
  return stringify(t.courses.map((c) => [
    c.courseId, safeCell(c.title), safeCell(c.provider), c.status, c.success, c.score === undefined ? '' : Math.round(c.score * 100), c.hours, c.ceCredits,
    c.startedAt.slice(0, 10), (c.lastActivityAt ?? '').slice(0, 10), (c.completedAt ?? '').slice(0, 10),
  ]), { header: true, columns: ['course_id', 'title', 'provider', 'status', 'success', 'score_percent', 'hours', 'ce_credits', 'started', 'last_activity', 'completed'] });
}

export function peopleApiRouter(s: AppServices): Router {
  const router = Router();
  router.get('/api/reports/people', requireUser(), async (req, res) => {
    const access = await peopleAccess(s, userOf(res), orgParam(req));
    const t = await buildPeopleTable(s, access, parsePeopleQuery(req.query as Record<string, unknown>));
    res.set('Cache-Control', 'no-store').json(t);
  });
  router.get('/api/reports/people.csv', requireUser(), async (req, res) => {
    const access = await peopleAccess(s, userOf(res), orgParam(req));
    const t = await buildPeopleTable(s, access, parsePeopleQuery(req.query as Record<string, unknown>), { allPages: true });
    sendCsv(res, `people-${access.orgId}.csv`, peopleCsv(t));
  });
  router.get('/api/reports/people/:userId', requireUser(), async (req, res) => {
    const access = await peopleAccess(s, userOf(res), orgParam(req));
    res.set('Cache-Control', 'no-store').json(await buildPersonTranscript(s, access, String(req.params['userId'])));
  });
  router.get('/api/reports/people/:userId/transcript.csv', requireUser(), async (req, res) => {
    const access = await peopleAccess(s, userOf(res), orgParam(req));
    const t = await buildPersonTranscript(s, access, String(req.params['userId']));
    sendCsv(res, `transcript-${t.userId}.csv`, personTranscriptCsv(t));
  });
  router.get('/api/reports/people/:userId/transcript.pdf', requireUser(), async (req, res) => {
    const access = await peopleAccess(s, userOf(res), orgParam(req));
    const t = await buildPersonTranscript(s, access, String(req.params['userId']));
    const pdf = await transcriptPdf(asLearnerTranscript(s, t));
    res.status(200).set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="transcript-${t.userId.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf"`,
      'Cache-Control': 'no-store',
    }).send(Buffer.from(pdf));
  });
  return router;
}
