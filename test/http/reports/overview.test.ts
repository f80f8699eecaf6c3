import { parse } from 'csv-parse/sync';
import { createReportWorld, type ReportWorld, type Viewer } from './harness';

/** The overview's JSON twin, CSV and chart for every role, and another organization's ids refused. */
describe('overview report', () => {
  let w: ReportWorld;
  beforeAll(async () => { w = await createReportWorld(); }, 120_000);
  afterAll(async () => { await w.close(); });
  const period = 'from=2030-05-01&to=2030-05-31';

  it("shows a member library's analyst its people's learning, and nothing of another organization", async () => {
    const res = await w.get('analystA', `/api/reports/overview?${period}`);
    expect(res.status).toBe(200);
    expect(res.body.lens).toMatchObject({ view: 'people', orgId: w.orgs.A });
    expect(res.body.totals.figures).toMatchObject({ learners: 6, launches: 6, passes: 4, failures: 2, passRate: 0.667 });
    expect(res.body.byOrganization.map((r: { key: string }) => r.key)).toEqual([w.orgs.A]);
    expect(res.body.byCourse.map((r: { key: string }) => r.key)).toEqual([w.courses.intro]);
    expect(res.body.overTime).toHaveLength(31);
    expect(res.body.overTime.find((r: { key: string }) => r.key === '2030-05-10').figures.learners).toBe(1);
    for (const q of [`org=${w.orgs.B}`, `org=${w.orgs.P}`, 'org=no-such-org', `learnerOrg=${w.orgs.B}`]) {
      const refused = await w.get('analystA', `/api/reports/overview?${period}&${q}`);
      expect(refused.status).toBe(404);
      expect(JSON.stringify(refused.body)).not.toContain('Hillcrest');
      expect((await w.get('analystA', `/api/reports/overview.csv?${period}&${q}`)).status).toBe(404);
      expect((await w.get('analystA', `/api/reports/overview/chart.svg?${period}&${q}`)).status).toBe(404);
    }
  });

  it("shows a provider's analyst its courses across organizations, withholding groups under 5", async () => {
    const res = await w.get('analystP', `/api/reports/overview?${period}`);
    expect(res.status).toBe(200);
    expect(res.body.lens).toMatchObject({ view: 'courses', orgId: w.orgs.P, minGroup: 5 });
    expect(res.body.totals.figures.learners).toBe(9);
    const byOrg = Object.fromEntries(res.body.byOrganization.map((r: { key: string }) => [r.key, r]));
    expect(byOrg[w.orgs.A]).toMatchObject({ suppressed: false, figures: { learners: 6 } });
    expect(byOrg[w.orgs.B]).toEqual({ key: w.orgs.B, label: 'Hillcrest Library', suppressed: true });
    const byCourse = Object.fromEntries(res.body.byCourse.map((r: { key: string }) => [r.key, r]));
    expect(byCourse[w.courses.advanced]).toMatchObject({ suppressed: true });
    expect(byCourse[w.courses.advanced].figures).toBeUndefined();
    // Days with one learner each are groups under 5 too.
    expect(res.body.overTime.find((r: { key: string }) => r.key === '2030-05-10').suppressed).toBe(true);
    const onlyB = await w.get('analystP', `/api/reports/overview?${period}&learnerOrg=${w.orgs.B}`);
    expect(onlyB.body.totals).toMatchObject({ suppressed: true });
    expect(JSON.stringify(onlyB.body)).not.toMatch(/"learners":3/);
    for (const name of w.names.B) expect(JSON.stringify(onlyB.body)).not.toContain(name);

    const csv = await w.get('analystP', `/api/reports/overview.csv?${period}&table=byOrganization`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    const b = rows.find((r) => r['key'] === w.orgs.B);
    expect(b).toMatchObject({ suppressed: 'yes', learners: '', launches: '' });
    expect(rows.find((r) => r['key'] === w.orgs.A)).toMatchObject({ suppressed: 'no', learners: '6' });

    expect((await w.get('analystP', `/api/reports/overview?${period}&view=people`)).status).toBe(403);
    expect((await w.get('analystP', `/api/reports/overview?${period}&org=${w.orgs.A}`)).status).toBe(404);
  });

  it('shows the site administrator everything, and any organization through its lens', async () => {
    const res = await w.get('admin', `/api/reports/overview?${period}&period=week`);
    expect(res.body.lens).toMatchObject({ view: 'site', minGroup: 1 });
    expect(res.body.totals.figures.learners).toBe(9);
    expect(res.body.overTime[0].key).toBe('2030-04-29');
    expect(res.body.byOrganization).toHaveLength(2);
    const asB = await w.get('admin', `/api/reports/overview?${period}&org=${w.orgs.B}`);
    expect(asB.body.totals.figures.learners).toBe(3);
    const csv = await w.get('admin', `/api/reports/overview.csv?${period}&table=byCourse`);
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r['label'], r['learners']])).toEqual([['Advanced Cataloguing', '3'], ['The Reference Interview', '6']]);
  });

  it('refuses people without the analyst role, and asks for a session first', async () => {
    for (const v of ['learnerA', 'adminOfA'] as Viewer[]) {
      expect((await w.get(v, `/api/reports/overview?${period}`)).status).toBe(403);
      expect((await w.get(v, `/api/reports/overview.csv?${period}`)).status).toBe(403);
      expect((await w.get(v, `/api/reports/overview?${period}&org=${w.orgs.A}`)).status).toBe(403);
      expect((await w.get(v, `/api/reports/overview?${period}&org=${w.orgs.B}`)).status).toBe(404);
    }
    const { default: request } = await import('supertest');
    expect((await request(w.app).get('/api/reports/overview')).status).toBe(401);
    expect((await w.get('analystA', '/api/reports/overview?from=yesterday')).status).toBe(400);
    expect((await w.get('analystA', '/api/reports/overview.csv?table=secrets')).status).toBe(400);
  });

  it('draws charts as SVG images', async () => {
    for (const chart of ['overTime', 'topCourses', 'byOrganization']) {
      const res = await w.get('analystA', `/api/reports/overview/chart.svg?${period}&chart=${chart}`)
        .buffer(true).parse((r, cb) => { let d = ''; r.setEncoding('utf8'); r.on('data', (c: string) => { d += c; }); r.on('end', () => cb(null, d)); });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
      const svg = String(res.body);
      expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg).toContain('#0072B2');
    }
    expect((await w.get('analystA', '/api/reports/overview/chart.svg?chart=pie')).status).toBe(404);
  });

  it('serves the page behind the header link to every role that has the link', async () => {
    for (const v of ['analystA', 'analystP', 'admin'] as Viewer[]) {
      const res = await w.get(v, `/reports?${period}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<a href="/reports">Reports</a>');
      expect(res.text).toContain('<img src="/api/reports/overview/chart.svg?');
      expect(res.text).toContain('id="table-overTime"');
    }
    const learner = await w.get('learnerA', '/reports');
    expect(learner.status).toBe(403);
    expect(learner.text).not.toContain('<a href="/reports">Reports</a>');
    const page = await w.get('analystP', `/reports?${period}`);
    expect(page.text).toContain('Fewer than 5 learners: not shown');
    for (const name of [...w.names.A, ...w.names.B]) expect(page.text).not.toContain(name);
  });

  // Last: it changes the world. Totals are cached per scope between requests (ADR 0029); a change
  // of the rows (here an erasure, as the report subscriber applies it) shows at the next request.
  it('answers a change of the rows at the next request, for every viewer', async () => {
    const before = await w.get('analystA', `/api/reports/overview?${period}`);
    const siteBefore = await w.get('admin', `/api/reports/overview?${period}`);
    expect(before.body.totals.figures.learners).toBe(6);
    await w.store.reports.deleteReportUser(w.people.A[0]!, ['days']);
    const after = await w.get('analystA', `/api/reports/overview?${period}`);
    expect(after.body.totals.figures.learners).toBe(5);
    expect(after.body.totals.figures.launches).toBeLessThan(before.body.totals.figures.launches);
    const siteAfter = await w.get('admin', `/api/reports/overview?${period}`);
    expect(siteAfter.body.totals.figures.learners).toBe(siteBefore.body.totals.figures.learners - 1);
    const csv = parse((await w.get('analystA', `/api/reports/overview.csv?${period}&table=byOrganization`)).text, { columns: true }) as Record<string, string>[];
    expect(csv.find((r) => r['key'] === w.orgs.A)).toMatchObject({ learners: '5' });
  });
});
