import { parse } from 'csv-parse/sync';
import { addProviderEvidence, createReportWorld, type ReportWorld, type Viewer } from './harness';

interface Cell { suppressed: boolean; people: number | null }
interface Row { code?: string; overall: Cell; byOrganization: (Cell & { orgId: string; orgName: string })[]; otherOrganizations?: Cell & { organizations: number }; courses: { id: string }[] }

/** Attainment through the provider P's courses across organizations (fixture: addProviderEvidence). */
describe('provider report: attainment through its courses across organizations', () => {
  let w: ReportWorld;
  let pat: string;
  beforeAll(async () => {
    w = await createReportWorld();
    pat = await addProviderEvidence(w);
  }, 180_000);
  afterAll(async () => { await w?.close(); });

  const RANGE = '&from=2030-01&to=2030-05';
  const report = async (viewer: Viewer, org = w.orgs.P): Promise<{ status: number; rows: Row[]; text: string }> => {
    const res = await w.get(viewer, `/api/reports/provider-competencies?org=${org}${RANGE}`);
    return { status: res.status, rows: (res.body.competencies ?? []) as Row[], text: res.text };
  };
  const shown = (c: Cell): string => (c.suppressed ? 'withheld' : String(c.people));

  it('counts per organization and overall, withholding groups under 5 and the overall that would reveal them', async () => {
    for (const viewer of ['analystP', 'admin'] as const) {
      const r = await report(viewer);
      expect(r.status).toBe(200);
      expect(r.rows.map((c) => c.code)).toEqual(['PS.1', 'PS.2', 'PS.3']);
      const [ps1, ps2, ps3] = r.rows as [Row, Row, Row];
      expect(ps1.byOrganization.map((o) => `${o.orgName}:${shown(o)}`)).toEqual(['Riverside Library:6']);
      expect(ps1.otherOrganizations).toEqual({ organizations: 1, suppressed: true, people: null });
      // 9 in all, but 9 - 6 would give B's 3.
      expect(shown(ps1.overall)).toBe('withheld');
      expect(ps2.byOrganization.map((o) => `${o.orgName}:${shown(o)}`)).toEqual(['Riverside Library:5']);
      expect(ps2.otherOrganizations).toBeUndefined();
      expect(shown(ps2.overall)).toBe('5');
      // The provider's own person is shown; B's three are not, nor the overall of four.
      expect(ps3.byOrganization.map((o) => `${o.orgName}:${shown(o)}`)).toEqual(['State Training Provider:1']);
      expect(shown(ps3.otherOrganizations!)).toBe('withheld');
      expect(shown(ps3.overall)).toBe('withheld');
      expect(ps3.courses.map((c) => c.id)).toEqual([w.courses.advanced]);
      // No person's name or id, of any organization.
      for (const [i, name] of [...w.names.A, ...w.names.B].entries()) {
        expect(r.text).not.toContain(name);
        expect(r.text).not.toContain([...w.people.A, ...w.people.B][i]!);
      }
      expect(r.text).not.toContain(pat);
    }
    // A period that holds nothing of 2030 but B's old PS.2 evidence: B too small, withheld.
    const old = await w.get('analystP', `/api/reports/provider-competencies?org=${w.orgs.P}&from=2029-01&to=2029-12`);
    const ps2 = (old.body.competencies as Row[]).find((c) => c.code === 'PS.2')!;
    expect(ps2.byOrganization).toEqual([]);
    expect(shown(ps2.otherOrganizations!)).toBe('withheld');
    expect(shown(ps2.overall)).toBe('withheld');
  });

  it('refuses member organizations (403), learners (403) and organizations without a role (404)', async () => {
    expect((await report('analystA', w.orgs.A)).status).toBe(403);
    expect((await report('adminOfA', w.orgs.A)).status).toBe(403);
    expect((await report('managerNorth', w.orgs.A)).status).toBe(403);
    expect((await report('learnerA', w.orgs.A)).status).toBe(403);
    expect((await w.get('learnerA', '/api/reports/provider-competencies')).status).toBe(403);
    expect((await report('admin', w.orgs.A)).status).toBe(403);
    for (const viewer of ['analystA', 'analystB', 'learnerA', 'managerNorth'] as const) {
      for (const path of ['/api/reports/provider-competencies', '/api/reports/provider-competencies.csv', '/api/reports/provider-competencies/chart.svg', '/reports/provider-competencies']) {
        const res = await w.get(viewer, `${path}?org=${w.orgs.P}`);
        expect({ viewer, path, status: res.status }).toEqual({ viewer, path, status: 404 });
        expect(res.text).not.toContain('Reference conversations');
      }
    }
    expect((await w.get('analystP', `/api/reports/provider-competencies?org=${w.orgs.P}&from=2030-13`)).status).toBe(400);
  });

  it('gives the same figures as CSV, an SVG chart and a page with table alternatives', async () => {
    const csv = await w.get('analystP', `/api/reports/provider-competencies.csv?org=${w.orgs.P}${RANGE}`);
    expect(csv.status).toBe(200);
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => `${r['code']}|${r['organization']}|${r['suppressed']}|${r['people']}`)).toEqual([
      'PS.1|All organizations|yes|', 'PS.1|Riverside Library|no|6', 'PS.1|Other organizations (1)|yes|',
      'PS.2|All organizations|no|5', 'PS.2|Riverside Library|no|5',
      'PS.3|All organizations|yes|', 'PS.3|State Training Provider|no|1', 'PS.3|Other organizations (1)|yes|',
    ]);
    for (const name of [...w.names.A, ...w.names.B]) expect(csv.text).not.toContain(name);
    const svg = await w.get('analystP', `/api/reports/provider-competencies/chart.svg?org=${w.orgs.P}${RANGE}`)
      .buffer(true).parse((r, cb) => { let d = ''; r.setEncoding('utf8'); r.on('data', (c: string) => { d += c; }); r.on('end', () => cb(null, d)); });
    expect(svg.headers['content-type']).toMatch(/image\/svg\+xml/);
    expect(String(svg.body)).toContain('Welcoming spaces');
    const page = await w.get('analystP', `/reports/provider-competencies?org=${w.orgs.P}${RANGE}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="table-provider-overall"');
    expect(page.text).toContain('id="table-provider-orgs"');
    expect(page.text).toContain('fewer than 5: not shown');
    for (const name of [...w.names.A, ...w.names.B]) expect(page.text).not.toContain(name);
    // The provider's competencies page links to it; a member organization's does not.
    expect((await w.get('analystP', `/reports/competencies?org=${w.orgs.P}`)).text).toContain('/reports/provider-competencies?org=');
    expect((await w.get('analystA', `/reports/competencies?org=${w.orgs.A}`)).text).not.toContain('/reports/provider-competencies');
  });
});
