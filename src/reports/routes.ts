/**
 * The reports' HTTP API (the pages' JSON twins, CSV downloads and chart images). Every answer goes
 * through the viewer's lens (access.ts): another organization's id is 404, a missing role 403.
 *
 * - GET /api/reports/overview                 the overview as JSON
 * - GET /api/reports/overview.csv?table=NAME  one of its tables as CSV
 * - GET /api/reports/overview/chart.svg?chart=NAME  one of its charts (image/svg+xml)
 * Common parameters: org, view (the lens), from, to (YYYY-MM-DD), period (day|week|month), learnerOrg.
 */
import { Router, type Request, type Response } from 'express';
import type { Config } from '../config';
import { requireUser, userOf } from '../accounts/guards';
import { badRequest, notFound } from '../errors';
import { renderChartSvg } from './charts';
import { renderChartSvgCached } from './chart-cache';
import { buildOverview, OVERVIEW_TABLES, parseOverviewQuery, type OverviewTable } from './overview';
import { explorerPage, exportPages, exportTextPages, parseExplorerQuery, plainLanguage } from './explorer';
import { buildCourseReport, COURSE_TABLES, type CourseTable } from './course-report';
import { COURSE_TABLE_COLUMNS, courseChart, lensForRequest, lensJson, overviewChart, recordsCsv, rowsCsv, type ReportDeps } from './service';

const query = (req: Request): Record<string, unknown> => req.query as Record<string, unknown>;

/** Sends CSV as a download, never cached (it holds learning records). */
export function sendCsv(res: Response, filename: string, body: string): void {
  res.status(200).set({
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    'Cache-Control': 'no-store',
  }).send(body);
}

/** Sends an SVG chart image, never cached. */
export function sendSvg(res: Response, svg: string): void {
  res.status(200).set({ 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': 'no-store' }).send(svg);
}

export function reportsApiRouter(deps: ReportDeps & { readonly config: Pick<Config, 'publicUrl'> }): Router {
  const router = Router();
  const overview = async (req: Request, res: Response): ReturnType<typeof buildOverview> => {
    const { lens } = await lensForRequest(deps, userOf(res), query(req));
    return buildOverview(deps.store, lens, parseOverviewQuery(query(req), deps.now()));
  };

  router.get('/api/reports/overview', requireUser(), async (req, res) => {
    const { lens, choices } = await lensForRequest(deps, userOf(res), query(req));
    const o = await buildOverview(deps.store, lens, parseOverviewQuery(query(req), deps.now()));
    res.set('Cache-Control', 'no-store').json({ lens: await lensJson(deps, lens), lenses: choices, ...o });
  });

  router.get('/api/reports/overview.csv', requireUser(), async (req, res) => {
    const table = typeof req.query['table'] === 'string' ? req.query['table'] : 'overTime';
    if (!(OVERVIEW_TABLES as readonly string[]).includes(table)) throw badRequest(`table must be one of ${OVERVIEW_TABLES.join(', ')}`);
    const o = await overview(req, res);
    sendCsv(res, `overview-${table}-${o.query.from}-${o.query.to}.csv`, rowsCsv(o[table as OverviewTable]));
  });

  router.get('/api/reports/overview/chart.svg', requireUser(), async (req, res) => {
    const name = typeof req.query['chart'] === 'string' ? req.query['chart'] : 'overTime';
    const o = await overview(req, res);
    const spec = overviewChart(o, name);
    if (!spec) throw notFound(`no chart ${name}`);
    sendSvg(res, renderChartSvgCached(spec));
  });

  const courseReport = async (req: Request, res: Response): ReturnType<typeof buildCourseReport> => {
    const { lens } = await lensForRequest(deps, userOf(res), query(req));
    return buildCourseReport(deps.store, lens, String(req.params['courseId']), parseOverviewQuery(query(req), deps.now()));
  };
  router.get('/api/reports/courses/:courseId', requireUser(), async (req, res) => {
    const { lens } = await lensForRequest(deps, userOf(res), query(req));
    const r = await buildCourseReport(deps.store, lens, String(req.params['courseId']), parseOverviewQuery(query(req), deps.now()));
    res.set('Cache-Control', 'no-store').json({ lens: await lensJson(deps, lens), ...r });
  });
  router.get('/api/reports/courses/:courseId/report.csv', requireUser(), async (req, res) => {
    const table = typeof req.query['table'] === 'string' ? req.query['table'] : 'funnel';
    if (!(COURSE_TABLES as readonly string[]).includes(table)) throw badRequest(`table must be one of ${COURSE_TABLES.join(', ')}`);
    const r = await courseReport(req, res);
    const rows = r[table as CourseTable] as unknown as Record<string, unknown>[];
    sendCsv(res, `course-${r.course.id}-${table}.csv`, recordsCsv(rows, COURSE_TABLE_COLUMNS[table as CourseTable]));
  });
  router.get('/api/reports/courses/:courseId/chart.svg', requireUser(), async (req, res) => {
    const name = typeof req.query['chart'] === 'string' ? req.query['chart'] : 'funnel';
    const r = await courseReport(req, res);
    const spec = courseChart(r, name);
    if (!spec) throw notFound(`no chart ${name}`);
    sendSvg(res, renderChartSvg(spec));
  });

  router.get('/api/reports/statements', requireUser(), async (req, res) => {
    const { lens } = await lensForRequest(deps, userOf(res), query(req));
    const q = parseExplorerQuery(query(req));
    const page = await explorerPage(deps.store, deps.config.publicUrl, lens, q);
    const next = new URLSearchParams(Object.entries(query(req)).filter(([k, v]) => k !== 'more' && typeof v === 'string') as [string, string][]);
    next.set('more', page.more);
    res.set('Cache-Control', 'no-store').json({ lens: await lensJson(deps, lens), statements: page.rows, more: page.more ? `/api/reports/statements?${next.toString()}` : '' });
  });

  // The whole result as CSV or NDJSON, streamed a page at a time with back-pressure (flat memory).
  router.get('/api/reports/statements/export', requireUser(), async (req, res) => {
    const { lens } = await lensForRequest(deps, userOf(res), query(req));
    const q = parseExplorerQuery({ ...query(req), limit: undefined });
    const format = req.query['format'] === 'ndjson' ? 'ndjson' : req.query['format'] === 'csv' || req.query['format'] === undefined ? 'csv' : undefined;
    if (!format) throw badRequest('format must be csv or ndjson');
    // Pages of rendered text: CSV rows in plain language, or NDJSON lines straight from the stored
    // JSON (no parse, no stringify, no names).
    const pages: AsyncGenerator<string> = format === 'csv'
      ? (async function* csvPages() {
        for await (const { statements, names } of exportPages(deps.store, deps.config.publicUrl, lens, q)) {
          yield statements.map((s) => csvLine(csvRecord(s.statement, plainLanguage(s.statement, names, deps.config.publicUrl)))).join('');
        }
      })()
      : (async function* ndjsonPages() {
        for await (const texts of exportTextPages(deps.store, deps.config.publicUrl, lens, q)) yield `${texts.map((t) => t.json).join('\n')}\n`;
      })();
    // The first page is read before the headers go, so a refused query still answers with its status.
    const first = await pages.next();
    res.status(200).set({
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="statements.${format}"`,
      'Cache-Control': 'no-store',
    });
    if (format === 'csv') res.write(csvLine(CSV_COLUMNS));
    let closed = false;
    res.on('close', () => { closed = true; });
    const write = async (chunk: string): Promise<void> => {
      if (res.write(chunk) || closed) return;
      await new Promise<void>((resolve) => {
        const done = (): void => { res.off('drain', done); res.off('close', done); resolve(); };
        res.on('drain', done);
        res.on('close', done);
      });
    };
    let item = first;
    while (!item.done && !closed) {
      await write(item.value);
      item = await pages.next();
    }
    if (closed) await pages.return(undefined);
    res.end();
  });
  return router;
}

/**
 * One CSV record and its line end, as csv-stringify writes it with its defaults (a field is quoted
 * when it holds a comma, a quote or a line break; quotes doubled; '\n' ends the record). Written
 * here for the export's hot path: csv-stringify's per-field option handling cost more than the rest
 * of a row's work (measured, ADR 0029). The export test parses the output with csv-parse.
 */
export function csvLine(fields: readonly string[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (i > 0) line += ',';
    line += NEEDS_QUOTES.test(f) ? `"${f.replace(/"/g, '""')}"` : f;
  }
  return `${line}\n`;
}
const NEEDS_QUOTES = /[",\r\n]/;

const CSV_COLUMNS = ['id', 'stored', 'timestamp', 'actor', 'verb', 'object', 'registration', 'success', 'completion', 'score_scaled', 'duration', 'text'];

function csvRecord(s: Readonly<Record<string, unknown>>, text: string): string[] {
  const o = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
  const actor = o(s['actor']);
  const account = o(actor['account']);
  const result = o(s['result']);
  const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  return [
    str(s['id']), str(s['stored']), str(s['timestamp']),
    str(actor['mbox'] ?? actor['mbox_sha1sum'] ?? actor['openid'] ?? (account['name'] !== undefined ? `${str(account['homePage'])}|${str(account['name'])}` : '')),
    str(o(s['verb'])['id']), str(o(s['object'])['id']), str(o(s['context'])['registration']),
    str(result['success']), str(result['completion']), str(o(result['score'])['scaled']), str(result['duration']), text,
  ];
}
