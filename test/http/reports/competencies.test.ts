import { parse } from 'csv-parse/sync';
import { addCompetencyEvidence, createReportWorld, type ReportWorld, type Viewer } from './harness';

interface Row { code?: string; name: string; months: { month: string; attained: number; people: number }[]; byLevel: { level: number; people: number }[] }

describe('competencies report: attainment per competency per month, per role', () => {
  let w: ReportWorld;
  let frameworkId: string;
  beforeAll(async () => {
    w = await createReportWorld();
    ({ frameworkId } = await addCompetencyEvidence(w));
  }, 180_000);
  afterAll(async () => { await w?.close(); });

  const RANGE = '&from=2030-03&to=2030-05';
  const report = async (viewer: Viewer, params = ''): Promise<{ status: number; rows: Row[]; body: Record<string, unknown> }> => {
    const res = await w.get(viewer, `/api/reports/competencies?org=${w.orgs.A}${RANGE}${params}`);
    return { status: res.status, rows: (res.body.competencies ?? []) as Row[], body: res.body as Record<string, unknown> };
  };
  const series = (rows: Row[], code: string): string => {
    const r = rows.find((x) => x.code === code);
    return r ? r.months.map((m) => `${m.month}:${m.people}(+${m.attained})`).join(' ') : 'none';
  };

  it('counts, month by month, the people of A who attained each competency (evidence and confirmed self-assessments)', async () => {
    for (const viewer of ['analystA', 'adminOfA', 'admin'] as const) {
      const r = await report(viewer);
      expect(r.status).toBe(200);
      expect(series(r.rows, 'PS.1')).toBe('2030-03:1(+1) 2030-04:2(+1) 2030-05:3(+1)');
      expect(series(r.rows, 'PS.3')).toBe('2030-03:0(+0) 2030-04:1(+1) 2030-05:1(+0)');
      expect(r.rows.find((x) => x.code === 'PS.1')!.byLevel).toEqual([expect.objectContaining({ level: 1, people: 1 }), expect.objectContaining({ level: 3, people: 2 })]);
      // The aggregates hold no person's name or id (the per-person rows are in `people`).
      const text = JSON.stringify(r.body['competencies']);
      for (const [i, name] of w.names.A.entries()) {
        expect(text).not.toContain(name);
        expect(text).not.toContain(w.people.A[i]!);
      }
    }
    // Before April, only March counts; a framework filter keeps it.
    expect(series((await w.get('analystA', `/api/reports/competencies?org=${w.orgs.A}&from=2030-02&to=2030-03&framework=${frameworkId}`)).body.competencies, 'PS.1')).toBe('2030-02:0(+0) 2030-03:1(+1)');
    expect(series((await report('analystA', '&framework=other')).rows, 'PS.1')).toBe('none');
    // Attained before the first month shown: counted among the people, not as new in it.
    expect(series((await w.get('analystA', `/api/reports/competencies?org=${w.orgs.A}&from=2030-04&to=2030-05`)).body.competencies, 'PS.1')).toBe('2030-04:2(+1) 2030-05:3(+1)');
  });

  it("counts only a manager's units; a unit filter narrows; a sibling unit is 404", async () => {
    const north = await report('managerNorth');
    expect(north.status).toBe(200);
    expect(series(north.rows, 'PS.1')).toBe('2030-03:1(+1) 2030-04:2(+1) 2030-05:2(+0)');
    expect(series(north.rows, 'PS.3')).toBe('2030-03:0(+0) 2030-04:1(+1) 2030-05:1(+0)');
    const south = await report('managerSouth');
    expect(series(south.rows, 'PS.1')).toBe('2030-03:0(+0) 2030-04:0(+0) 2030-05:1(+1)');
    expect(series(south.rows, 'PS.3')).toBe('none');
    expect(series((await report('analystA', `&unit=${w.units.south}`)).rows, 'PS.1')).toBe('2030-03:0(+0) 2030-04:0(+0) 2030-05:1(+1)');
    expect((await w.get('managerNorth', `/api/reports/competencies?org=${w.orgs.A}&unit=${w.units.south}`)).status).toBe(404);
  });

  it('refuses learners (403) and other organizations (404); B sees only its own', async () => {
    expect((await w.get('learnerA', `/api/reports/competencies?org=${w.orgs.A}`)).status).toBe(403);
    expect((await w.get('learnerA', `/reports/competencies?org=${w.orgs.A}`)).status).toBe(403);
    for (const viewer of ['analystB', 'analystP'] as const) {
      for (const path of ['/api/reports/competencies', '/api/reports/competencies.csv', '/api/reports/competencies/chart.svg', '/reports/competencies']) {
        expect((await w.get(viewer, `${path}?org=${w.orgs.A}`)).status).toBe(404);
      }
    }
    const b = await w.get('analystB', `/api/reports/competencies?org=${w.orgs.B}${RANGE}`);
    expect(series(b.body.competencies, 'PS.1')).toBe('2030-03:0(+0) 2030-04:1(+1) 2030-05:1(+0)');
    expect((await w.get('analystA', `/api/reports/competencies?org=${w.orgs.A}&from=2030-13`)).status).toBe(400);
    expect((await w.get('analystA', `/api/reports/competencies?org=${w.orgs.A}&from=2030-05&to=2030-01`)).status).toBe(400);
  });

  it('gives the same figures as CSV, an SVG chart, and a page with the table and links to the heat map and goals', async () => {
    const csv = await w.get('analystA', `/api/reports/competencies.csv?org=${w.orgs.A}${RANGE}`);
    expect(csv.status).toBe(200);
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(rows.filter((r) => r['code'] === 'PS.1').map((r) => `${r['month']}:${r['people_attained']}(+${r['newly_attained']})`).join(' ')).toBe('2030-03:1(+1) 2030-04:2(+1) 2030-05:3(+1)');
    const svg = await w.get('analystA', `/api/reports/competencies/chart.svg?org=${w.orgs.A}${RANGE}`)
      .buffer(true).parse((r, cb) => { let d = ''; r.setEncoding('utf8'); r.on('data', (c: string) => { d += c; }); r.on('end', () => cb(null, d)); });
    expect(svg.headers['content-type']).toMatch(/image\/svg\+xml/);
    expect(String(svg.body)).toMatch(/^<svg/);
    expect(String(svg.body)).toContain('Reference conversations');
    const page = await w.get('managerNorth', `/reports/competencies?org=${w.orgs.A}${RANGE}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="table-attainment"');
    expect(page.text).toContain(`/orgs/${w.orgs.A}/heat-map`);
    expect(page.text).toContain(`/orgs/${w.orgs.A}/goals`);
  });

  interface Attainment { userId: string; name: string; code?: string; level: number; at: string; source: string; sourceLabel: string }
  const people = async (viewer: Viewer, org: string, params = ''): Promise<{ status: number; total: number; rows: Attainment[] }> => {
    const res = await w.get(viewer, `/api/reports/competencies?org=${org}${RANGE}${params}`);
    return { status: res.status, total: (res.body.people?.total ?? -1) as number, rows: (res.body.people?.rows ?? []) as Attainment[] };
  };
  const brief = (rows: readonly Attainment[]): string[] => rows.map((r) => `${r.name} ${r.code ?? ''} L${r.level} ${r.at.slice(0, 10)} ${r.source}`);

  it('lists per person the highest level attained, when and from what, to everyone who may see the names of the people in reach', async () => {
    const all = ['Amara Okafor PS.1 L3 2030-05-01 evidence', 'Ben Lindqvist PS.1 L1 2030-04-10 evidence', 'Chen Wei PS.3 L2 2030-04-20 self-assessment', 'Dana Scully PS.1 L3 2030-05-12 evidence'];
    for (const viewer of ['analystA', 'adminOfA', 'admin'] as const) {
      const r = await people(viewer, w.orgs.A);
      expect(r.status).toBe(200);
      expect(brief(r.rows)).toEqual(all);
      expect(r.rows.some((x) => w.people.B.includes(x.userId))).toBe(false);
    }
    expect((await people('analystA', w.orgs.A)).rows.find((x) => x.source === 'self-assessment')!.sourceLabel).toBe('Confirmed self-assessment');
    // A manager: their units and below only.
    expect(brief((await people('managerNorth', w.orgs.A)).rows)).toEqual(all.slice(0, 3));
    expect(brief((await people('managerSouth', w.orgs.A)).rows)).toEqual(all.slice(3));
    // The staff table's filters: unit, role; and pages.
    expect(brief((await people('analystA', w.orgs.A, `&unit=${w.units.south}`)).rows)).toEqual(all.slice(3));
    expect((await people('analystA', w.orgs.A, '&role=analyst')).rows).toEqual([]);
    expect(((await w.get('analystA', `/api/reports/competencies?org=${w.orgs.A}${RANGE}&role=analyst`)).body.competencies as unknown[]).length).toBe(0);
    expect(brief((await people('analystA', w.orgs.A, '&role=learner')).rows)).toEqual(all);
    const p2 = await people('analystA', w.orgs.A, '&pageSize=3&page=2');
    expect(p2.total).toBe(4);
    expect(brief(p2.rows)).toEqual(all.slice(3));
    expect((await w.get('analystA', `/api/reports/competencies?org=${w.orgs.A}&role=boss`)).status).toBe(400);
    expect((await w.get('analystA', `/api/reports/competencies?org=${w.orgs.A}&pageSize=9999`)).status).toBe(400);
    // B's analyst: B's people only.
    expect(brief((await people('analystB', w.orgs.B)).rows)).toEqual(['Gus Grant PS.1 L2 2030-04-01 evidence']);
  });

  it('gives the per-person rows as CSV under the same rules, and refuses learners (403) and other organizations (404)', async () => {
    const csvOf = async (viewer: Viewer, params = ''): Promise<Record<string, string>[]> => {
      const res = await w.get(viewer, `/api/reports/competencies/people.csv?org=${w.orgs.A}${RANGE}${params}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/csv/);
      return parse(res.text, { columns: true }) as Record<string, string>[];
    };
    const analyst = await csvOf('analystA', '&pageSize=1');
    expect(analyst.map((r) => `${r['name']} ${r['code']} ${r['level']} ${r['attained_on']} ${r['source']}`)).toEqual([
      'Amara Okafor PS.1 3 2030-05-01 evidence', 'Ben Lindqvist PS.1 1 2030-04-10 evidence', 'Chen Wei PS.3 2 2030-04-20 self-assessment', 'Dana Scully PS.1 3 2030-05-12 evidence',
    ]);
    expect((await csvOf('managerNorth')).map((r) => r['name'])).toEqual(['Amara Okafor', 'Ben Lindqvist', 'Chen Wei']);
    expect((await w.get('learnerA', `/api/reports/competencies/people.csv?org=${w.orgs.A}`)).status).toBe(403);
    expect((await w.get('managerNorth', `/api/reports/competencies/people.csv?org=${w.orgs.A}&unit=${w.units.south}`)).status).toBe(404);
    for (const viewer of ['analystB', 'analystP'] as const) {
      const res = await w.get(viewer, `/api/reports/competencies/people.csv?org=${w.orgs.A}`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('Amara');
    }
    // The page: the table of people, linked to their transcripts, with the role filter.
    const page = await w.get('managerNorth', `/reports/competencies?org=${w.orgs.A}${RANGE}`);
    expect(page.text).toContain('id="table-people-attainment"');
    expect(page.text).toContain(`/reports/people/${w.people.A[0]}?org=${w.orgs.A}`);
    expect(page.text).not.toContain('Dana Scully');
    expect(page.text).toContain('<select id="role" name="role">');
  });
});
