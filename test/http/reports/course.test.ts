import { parse } from 'csv-parse/sync';
import { createReportWorld, type ReportWorld, type Viewer } from './harness';

/** The course report's JSON twin, CSV and charts for every role; other organizations' ids refused. */
describe('course report', () => {
  let w: ReportWorld;
  beforeAll(async () => { w = await createReportWorld(); }, 120_000);
  afterAll(async () => { await w.close(); });
  const period = 'from=2030-05-01&to=2030-05-31';
  const api = (course: string, rest = ''): string => `/api/reports/courses/${course}${rest}`;

  it("gives a member library's analyst the funnel, distributions and item analysis of its people", async () => {
    const res = await w.get('analystA', `${api(w.courses.intro)}?${period}`);
    expect(res.status).toBe(200);
    expect(res.body.funnel).toEqual([
      { step: 'enrolled', learners: 6 }, { step: 'launched', learners: 6 }, { step: 'completed', learners: 6 }, { step: 'passed', learners: 4 },
    ]);
    expect(res.body.scores.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(6);
    expect(res.body.scores.find((b: { label: string }) => b.label === '50–59 %').count).toBe(2);
    expect(res.body.times.find((b: { label: string }) => b.label === '5–15 min').count).toBe(5);
    expect(res.body.attempts[0]).toEqual({ label: '1', count: 6 });
    expect(res.body.byOrganization).toEqual([{ orgId: w.orgs.A, label: 'Riverside Library', suppressed: false, enrolled: 6, completed: 6, passed: 4, completionRate: 1 }]);
    expect(res.body.items).toEqual([expect.objectContaining({
      question: 'Question 1', interactionType: 'choice', suppressed: false, answers: 6, learners: 6, shareCorrect: 0.5, topWrong: [{ response: 'b', count: 3 }], meanSeconds: 12.5,
    })]);
    const csv = await w.get('analystA', `${api(w.courses.intro, '/report.csv')}?${period}&table=items`);
    expect(parse(csv.text, { columns: true })).toEqual([expect.objectContaining({ question: 'Question 1', shareCorrect: '0.5', topWrong: 'b (3)' })]);
    // Another library's people took the other course: nothing of them shows.
    const other = await w.get('analystA', `${api(w.courses.advanced)}?${period}`);
    expect(other.body.funnel[0]).toEqual({ step: 'enrolled', learners: 0 });
    expect(other.body.byOrganization).toEqual([]);
    expect((await w.get('analystA', `${api(w.courses.intro)}?${period}&org=${w.orgs.B}`)).status).toBe(404);
    expect((await w.get('analystA', `${api(w.courses.intro)}?${period}&learnerOrg=${w.orgs.B}`)).status).toBe(404);
    expect((await w.get('analystA', `${api('no-such-course')}?${period}`)).status).toBe(404);
  });

  it("gives the provider its course across organizations, withholding a course or organization under 5", async () => {
    const res = await w.get('analystP', `${api(w.courses.intro)}?${period}`);
    expect(res.body.suppressed).toBe(false);
    expect(res.body.byOrganization).toEqual([expect.objectContaining({ orgId: w.orgs.A, enrolled: 6 })]);
    const small = await w.get('analystP', `${api(w.courses.advanced)}?${period}`);
    expect(small.body).toMatchObject({ suppressed: true, funnel: [], items: [], byOrganization: [] });
    const csv = await w.get('analystP', `${api(w.courses.advanced, '/report.csv')}?${period}&table=funnel`);
    expect(parse(csv.text, { columns: true })).toEqual([]);
    const asSite = await w.get('admin', `${api(w.courses.advanced)}?${period}`);
    expect(asSite.body.funnel[0]).toEqual({ step: 'enrolled', learners: 3 });
  });

  it('refuses roles without analyst and answers charts as SVG', async () => {
    for (const v of ['learnerA', 'adminOfA'] as Viewer[]) expect((await w.get(v, `${api(w.courses.intro)}?${period}`)).status).toBe(403);
    const svg = await w.get('analystA', `${api(w.courses.intro, '/chart.svg')}?${period}&chart=scores`).buffer(true)
      .parse((r, cb) => { let d = ''; r.setEncoding('utf8'); r.on('data', (c: string) => { d += c; }); r.on('end', () => cb(null, d)); });
    expect(svg.status).toBe(200);
    expect(String(svg.body)).toContain('<svg');
    const page = await w.get('analystA', `/reports/courses/${w.courses.intro}?${period}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="table-items"');
    expect((await w.get('analystB', `/reports/courses/${w.courses.intro}?${period}&org=${w.orgs.A}`)).status).toBe(404);
  });
});
