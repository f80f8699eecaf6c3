/**
 * The competencies report's HTTP API (twins of /reports/competencies). Access: peopleAccess
 * (src/reports/people.ts): aggregates, and per-person rows of the people in the viewer's reach.
 *
 * - GET /api/reports/competencies?org&unit&role&framework&from&to&page&pageSize   JSON (one page of per-person rows)
 * - GET /api/reports/competencies.csv?…                          one row per competency and month
 * - GET /api/reports/competencies/people.csv?…                   one row per person and competency (every one)
 * - GET /api/reports/competencies/chart.svg?…                    the chart (image/svg+xml)
 */
import { Router, type Request, type Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { requireUser, userOf } from '../accounts/guards';
import type { UserContext } from '../accounts/user-context';
import { safeCell } from '../careers/role-profiles-csv';
import type { AppServices } from '../deps';
import { renderChartSvg } from './charts';
import { buildCompetencyReport, competencyChart, parseCompetencyQuery, type CompetencyReport } from './competencies';
import { peopleAccess } from './people';
import { sendCsv, sendSvg } from './routes';

/** The report for a request (org, unit, framework, from, to). */
export async function competencyReportFor(s: AppServices, user: UserContext, q: Record<string, unknown>, opts: { readonly allPages?: boolean; readonly withoutPeople?: boolean } = {}): Promise<CompetencyReport> {
  const access = await peopleAccess(s, user, typeof q['org'] === 'string' ? q['org'] : undefined);
  return buildCompetencyReport(s, access, parseCompetencyQuery(q, s.now()), opts);
}

export const COMPETENCY_PEOPLE_CSV_COLUMNS = ['user_id', 'name', 'framework', 'code', 'competency', 'uri_or_identifier', 'level', 'level_name', 'attained_on', 'source', 'source_course_id', 'source_activity_id', 'source_label'];

/** One row per person and competency (formula-like cells defused). */
export function competencyPeopleCsv(r: CompetencyReport): string {
  const uri = new Map(r.competencies.map((c) => [`${c.frameworkId}|${c.identifier}`, c.uri]));
  return stringify(r.people.rows.map((p) => [
    p.userId, safeCell(p.name), safeCell(p.framework), safeCell(p.code ?? ''), safeCell(p.competency), uri.get(`${p.frameworkId}|${p.identifier}`) ?? p.identifier,
    p.level, safeCell(p.levelName), p.at.slice(0, 10), p.source, p.sourceCourseId ?? '', p.sourceActivityId ?? '', safeCell(p.sourceLabel),
  ]), { header: true, columns: COMPETENCY_PEOPLE_CSV_COLUMNS });
}

/** One row per competency and month. */
export function competencyCsv(r: CompetencyReport): string {
  return stringify(r.competencies.flatMap((c) => c.months.map((m) => [
    safeCell(c.framework), safeCell(c.code ?? ''), safeCell(c.name), c.uri, m.month, m.attained, m.people,
  ])), { header: true, columns: ['framework', 'code', 'competency', 'uri', 'month', 'newly_attained', 'people_attained'] });
}

export function competencyReportsApiRouter(s: AppServices): Router {
  const router = Router();
  const q = (req: Request): Record<string, unknown> => req.query as Record<string, unknown>;
  router.get('/api/reports/competencies', requireUser(), async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await competencyReportFor(s, userOf(res), q(req)));
  });
  router.get('/api/reports/competencies.csv', requireUser(), async (req, res) => {
    const r = await competencyReportFor(s, userOf(res), q(req), { withoutPeople: true });
    sendCsv(res, `competencies-${r.orgId}-${r.query.from}-${r.query.to}.csv`, competencyCsv(r));
  });
  router.get('/api/reports/competencies/people.csv', requireUser(), async (req, res) => {
    const r = await competencyReportFor(s, userOf(res), q(req), { allPages: true });
    sendCsv(res, `competencies-people-${r.orgId}-${r.query.from}-${r.query.to}.csv`, competencyPeopleCsv(r));
  });
  router.get('/api/reports/competencies/chart.svg', requireUser(), async (req, res) => {
    sendSvg(res, renderChartSvg(competencyChart(await competencyReportFor(s, userOf(res), q(req), { withoutPeople: true }))));
  });
  return router;
}
