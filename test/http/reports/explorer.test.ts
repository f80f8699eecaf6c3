import { parse } from 'csv-parse/sync';
import { createReportWorld, type ReportWorld, type Viewer } from './harness';

/** The statement explorer's JSON twin and exports for every role; another organization's people refused. */
describe('statement explorer', () => {
  let w: ReportWorld;
  beforeAll(async () => { w = await createReportWorld(); }, 120_000);
  afterAll(async () => { await w.close(); });

  it("shows a library's analyst its people's statements in plain language, paged with more", async () => {
    const first = await w.get('analystA', '/api/reports/statements?limit=10');
    expect(first.status).toBe(200);
    expect(first.body.statements).toHaveLength(10);
    const seen: string[] = first.body.statements.map((s: { id: string }) => s.id);
    let more: string = first.body.more;
    while (more) {
      const page = await w.get('analystA', more);
      expect(page.status).toBe(200);
      seen.push(...page.body.statements.map((s: { id: string }) => s.id));
      more = page.body.more;
    }
    // 6 learners: initialized, an answer, passed or failed, terminated.
    expect(new Set(seen).size).toBe(24);
    const texts: string[] = [];
    for (let m = '/api/reports/statements?limit=100'; m;) {
      const page = await w.get('analystA', m);
      texts.push(...page.body.statements.map((s: { text: string }) => s.text));
      m = page.body.more;
    }
    expect(texts).toContain('Fay Wray passed The Reference Interview — 90 %');
    expect(texts.some((t) => /^Amara Okafor answered Question 1 — answered “a” \(correct\), 10 s$/.test(t))).toBe(true);
    expect(texts.some((t) => t.startsWith('Amara Okafor terminated The Reference Interview — 10 min'))).toBe(true);
    for (const name of w.names.B) expect(texts.join('\n')).not.toContain(name);
  });

  it('filters by person, verb and registration, and refuses people of another organization', async () => {
    const amara = w.people.A[0]!;
    const res = await w.get('analystA', `/api/reports/statements?person=${amara}&verb=${encodeURIComponent('http://adlnet.gov/expapi/verbs/failed')}`);
    expect(res.body.statements.map((s: { text: string }) => s.text)).toEqual([expect.stringMatching(/^Amara Okafor failed The Reference Interview — 50 %$/)]);
    expect((await w.get('analystA', `/api/reports/statements?person=${w.people.B[0]}`)).status).toBe(404);
    expect((await w.get('analystA', `/api/reports/statements/export?person=${w.people.B[0]}`)).status).toBe(404);
    expect((await w.get('analystA', `/api/reports/statements?org=${w.orgs.B}`)).status).toBe(404);
    expect((await w.get('analystA', '/api/reports/statements?verb=passed')).status).toBe(400);
    expect((await w.get('analystA', '/api/reports/statements?more=%%%')).status).toBe(400);
  });

  it('exports the whole result as CSV and NDJSON', async () => {
    const csv = await w.get('analystA', '/api/reports/statements/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(24);
    expect(rows.find((r) => r['text'] === 'Fay Wray passed The Reference Interview — 90 %')).toMatchObject({ success: 'true', verb: 'http://adlnet.gov/expapi/verbs/passed' });
    const nd = await w.get('analystA', '/api/reports/statements/export?format=ndjson').buffer(true)
      .parse((r, cb) => { let d = ''; r.setEncoding('utf8'); r.on('data', (c: string) => { d += c; }); r.on('end', () => cb(null, d)); });
    const lines = String(nd.body).trim().split('\n').map((l) => JSON.parse(l) as { id: string });
    expect(lines).toHaveLength(24);
    expect((await w.get('analystA', '/api/reports/statements/export?format=xml')).status).toBe(400);
  });

  it('gives a provider only its own people, the site administrator everything, others nothing', async () => {
    const p = await w.get('analystP', '/api/reports/statements?limit=100');
    expect(p.body.statements).toEqual([]);
    let all = 0;
    for (let m = '/api/reports/statements?limit=100'; m;) {
      const page = await w.get('admin', m);
      all += page.body.statements.length;
      m = page.body.more;
    }
    expect(all).toBe(24 + 9); // B's three learners: initialized, passed, terminated
    for (const v of ['learnerA', 'adminOfA'] as Viewer[]) {
      expect((await w.get(v, '/api/reports/statements')).status).toBe(403);
      expect((await w.get(v, '/api/reports/statements/export')).status).toBe(403);
    }
    const page = await w.get('analystA', '/reports/statements?limit=5');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Raw JSON');
    expect(page.text).toContain('More statements');
  });
});
