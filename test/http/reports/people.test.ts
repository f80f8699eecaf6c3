import { parse } from 'csv-parse/sync';
import { PDFDocument } from 'pdf-lib';
import { createReportWorld, type ReportWorld, type Viewer } from './harness';

interface Row { userId: string; name: string; email: string; units: string[]; completed: number; inProgress: number; overdue: number; hours: number; roles: string[] }

describe('people report: staff table and transcripts, per role', () => {
  let w: ReportWorld;
  beforeAll(async () => { w = await createReportWorld(); }, 180_000);
  afterAll(async () => { await w?.close(); });

  const table = async (viewer: Viewer, params = ''): Promise<{ status: number; rows: Row[]; total: number }> => {
    const res = await w.get(viewer, `/api/reports/people?org=${w.orgs.A}${params}`);
    return { status: res.status, rows: (res.body.rows ?? []) as Row[], total: res.body.total as number };
  };
  const learnersOf = (rows: readonly Row[]): string[] => rows.filter((r) => r.roles.includes('learner') && !r.roles.includes('manager')).map((r) => r.name).sort();

  it("shows an analyst, an administrator and the site administrator every person of A with their learning", async () => {
    for (const viewer of ['analystA', 'adminOfA', 'admin'] as const) {
      const t = await table(viewer);
      expect(t.status).toBe(200);
      expect(learnersOf(t.rows)).toEqual([...w.names.A, 'Lee Learner'].sort());
      // Nobody of B.
      expect(t.rows.some((r) => w.people.B.includes(r.userId))).toBe(false);
    }
    const t = await table('analystA');
    const amara = t.rows.find((r) => r.name === 'Amara Okafor')!;
    expect(amara).toMatchObject({ completed: 1, inProgress: 0, overdue: 0, units: ['Riverside / North'] });
    expect(amara.hours).toBeGreaterThan(0);
    expect(t.rows.find((r) => r.name === 'Ben Lindqvist')!.overdue).toBe(1);
    expect(t.rows.find((r) => r.name === 'Chen Wei')!.overdue).toBe(0);
  });

  it('shows emails to administrators, and to analysts only of people who share theirs', async () => {
    const analyst = (await table('analystA')).rows;
    expect(analyst.find((r) => r.name === 'Amara Okafor')!.email).toMatch(/@example\.org$/);
    expect(analyst.find((r) => r.name === 'Ben Lindqvist')!.email).toBe('');
    const admin = (await table('adminOfA')).rows;
    expect(admin.find((r) => r.name === 'Ben Lindqvist')!.email).toMatch(/@example\.org$/);
  });

  it('filters by unit, role and status, and pages', async () => {
    expect(learnersOf((await table('analystA', `&unit=${w.units.south}`)).rows)).toEqual(w.names.A.slice(3).sort());
    expect(learnersOf((await table('analystA', `&unit=${w.units.top}`)).rows)).toEqual([...w.names.A].sort());
    expect((await table('analystA', '&status=overdue')).rows.map((r) => r.name)).toEqual(['Ben Lindqvist']);
    expect((await table('analystA', '&overdue=yes')).rows.map((r) => r.name)).toEqual(['Ben Lindqvist']);
    const none = (await table('analystA', '&status=none-completed')).rows.map((r) => r.name);
    expect(none).toContain('Lee Learner');
    expect(none).not.toContain('Amara Okafor');
    expect((await table('analystA', '&role=analyst')).rows.map((r) => r.name)).toEqual(['Ana Analyst']);
    const p1 = await table('analystA', '&pageSize=2');
    const p2 = await table('analystA', '&pageSize=2&page=2');
    expect(p1.rows).toHaveLength(2);
    expect(p1.total).toBe(p2.total);
    expect(p2.rows[0]!.name > p1.rows[1]!.name).toBe(true);
    expect((await w.get('analystA', `/api/reports/people?org=${w.orgs.A}&status=nope`)).status).toBe(400);
    expect((await w.get('analystA', `/api/reports/people?org=${w.orgs.A}&pageSize=100000`)).status).toBe(400);
  });

  it("shows a manager only their units' people; a sibling unit is 404", async () => {
    const north = await table('managerNorth');
    expect(north.status).toBe(200);
    expect(north.rows.map((r) => r.name).sort()).toEqual(w.names.A.slice(0, 3).sort());
    expect(north.rows.every((r) => r.email === '' || r.name === 'Amara Okafor')).toBe(true);
    expect((await table('managerSouth')).rows.map((r) => r.name).sort()).toEqual(w.names.A.slice(3).sort());
    expect((await w.get('managerNorth', `/api/reports/people?org=${w.orgs.A}&unit=${w.units.south}`)).status).toBe(404);
    expect((await w.get('managerNorth', `/api/reports/people?org=${w.orgs.A}&unit=${w.units.top}`)).status).toBe(404);
    const southPerson = w.people.A[4]!;
    for (const path of [`/api/reports/people/${southPerson}?org=${w.orgs.A}`, `/api/reports/people/${southPerson}/transcript.pdf?org=${w.orgs.A}`, `/reports/people/${southPerson}?org=${w.orgs.A}`]) {
      expect((await w.get('managerNorth', path)).status).toBe(404);
    }
    expect((await w.get('managerNorth', `/api/reports/people/${w.people.A[0]}?org=${w.orgs.A}`)).status).toBe(200);
  });

  it("refuses learners (403), other organizations' analysts and a provider (404), and another organization's people (404)", async () => {
    expect((await w.get('learnerA', `/api/reports/people?org=${w.orgs.A}`)).status).toBe(403);
    expect((await w.get('learnerA', '/api/reports/people')).status).toBe(403);
    expect((await w.get('learnerA', `/api/reports/people/${w.people.A[0]}?org=${w.orgs.A}`)).status).toBe(403);
    expect((await w.get('learnerA', `/reports/people?org=${w.orgs.A}`)).status).toBe(403);
    for (const viewer of ['analystB', 'analystP'] as const) {
      for (const path of [`/api/reports/people?org=${w.orgs.A}`, `/api/reports/people.csv?org=${w.orgs.A}`, `/api/reports/people/${w.people.A[0]}?org=${w.orgs.A}`,
        `/api/reports/people/${w.people.A[0]}/transcript.pdf?org=${w.orgs.A}`, `/reports/people?org=${w.orgs.A}`]) {
        expect((await w.get(viewer, path)).status).toBe(404);
      }
    }
    // The provider's analyst in their own organization: its people only (none of them learned here), never A's or B's.
    const own = await w.get('analystP', `/api/reports/people?org=${w.orgs.P}`);
    expect(own.status).toBe(200);
    expect((own.body.rows as Row[]).map((r) => r.name)).toEqual(['Pat Provider']);
    // Another organization's person through one's own organization: 404, as an unknown id.
    expect((await w.get('analystA', `/api/reports/people/${w.people.B[0]}?org=${w.orgs.A}`)).status).toBe(404);
    expect((await w.get('analystA', `/api/reports/people/no-such-user?org=${w.orgs.A}`)).status).toBe(404);
    expect((await w.get('analystB', `/api/reports/people/${w.people.A[0]}?org=${w.orgs.B}`)).status).toBe(404);
    expect((await w.get('analystA', `/api/reports/people?org=${w.orgs.B}`)).status).toBe(404);
    // The site administrator reaches B's people through B.
    expect((await w.get('admin', `/api/reports/people/${w.people.B[0]}?org=${w.orgs.B}`)).status).toBe(200);
  });

  it('gives a transcript as JSON, CSV, PDF and a printable page', async () => {
    const id = w.people.A[0]!;
    const json = await w.get('analystA', `/api/reports/people/${id}?org=${w.orgs.A}`);
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ name: 'Amara Okafor', units: ['Riverside / North'], totals: { completed: 1 } });
    expect(json.body.courses[0]).toMatchObject({ title: 'The Reference Interview', status: 'completed', success: 'failed' });
    expect(json.body.courses[0].score).toBeCloseTo(0.5);
    const csv = await w.get('analystA', `/api/reports/people/${id}/transcript.csv?org=${w.orgs.A}`);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const records = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(records).toEqual([expect.objectContaining({ title: 'The Reference Interview', status: 'completed', score_percent: '50' })]);
    const pdf = await w.get('analystA', `/api/reports/people/${id}/transcript.pdf?org=${w.orgs.A}`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const doc = await PDFDocument.load(pdf.body as Buffer);
    expect(doc.getTitle()).toBe('Transcript of Amara Okafor');
    const page = await w.get('analystA', `/reports/people/${id}?org=${w.orgs.A}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('The Reference Interview');
    expect(page.text).toContain('transcript.pdf');
  });

  it('exports the staff table as CSV with the same rows and rules', async () => {
    const csv = await w.get('analystA', `/api/reports/people.csv?org=${w.orgs.A}&unit=${w.units.north}`);
    expect(csv.status).toBe(200);
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r['name']).sort()).toEqual(w.names.A.slice(0, 3).sort());
    expect(rows.find((r) => r['name'] === 'Ben Lindqvist')).toMatchObject({ email: '', overdue_assignments: '1', courses_completed: '1' });
    const mgr = parse((await w.get('managerSouth', `/api/reports/people.csv?org=${w.orgs.A}`)).text, { columns: true }) as Record<string, string>[];
    expect(mgr.map((r) => r['name']).sort()).toEqual(w.names.A.slice(3).sort());
  });

  it('counts attended opportunities and self-reports approved in the organization in hours and CE credits, like the learner dashboard', async () => {
    const [eli, fay] = [w.people.A[4]!, w.people.A[5]!];
    const hoursOf = async (): Promise<Map<string, { hours: number; ceCredits: number }>> =>
      new Map(((await w.get('analystA', `/api/reports/people?org=${w.orgs.A}&pageSize=500`)).body.rows as (Row & { ceCredits: number })[]).map((r) => [r.userId, { hours: r.hours, ceCredits: r.ceCredits }]));
    const before = await hoursOf();
    const at = '2030-01-01T00:00:00.000Z';
    const entryId = `opp-${Math.random().toString(36).slice(2, 8)}`;
    await w.store.catalog.upsertCatalogEntry({
      id: entryId, kind: 'workshop', orgId: w.orgs.A, provider: 'Riverside Library', title: 'Weeding the collection', description: '', keywords: [], competencies: [], language: 'en',
      durationMinutes: 90, ceCredits: 2, startsAt: '2030-04-02T09:00:00.000Z', endsAt: '2030-04-02T10:30:00.000Z', state: 'published', visibility: 'org', visibleOrgIds: [], createdAt: at, updatedAt: at,
    });
    await w.store.learning.upsertOpportunityRegistration({ entryId, userId: eli, state: 'attended', registeredAt: at, updatedAt: '2030-04-03T00:00:00.000Z' });
    // Registered but not attended: nothing.
    await w.store.learning.upsertOpportunityRegistration({ entryId, userId: fay, state: 'registered', registeredAt: at, updatedAt: at });
    const report = (id: string, orgId: string, state: 'approved' | 'pending', completedOn: string, hours: number, ceCredits?: number) => w.store.learning.insertSelfReport({
      id: `sr-${id}-${Math.random().toString(36).slice(2, 8)}`, userId: fay, orgId, title: `Conference ${id}`, provider: 'ALA', kind: 'workshop', completedOn, hours, ...(ceCredits !== undefined ? { ceCredits } : {}), note: '', state, createdAt: at,
    });
    await report('counted', w.orgs.A, 'approved', '2030-03-03', 2.5, 1);
    await report('pending', w.orgs.A, 'pending', '2030-03-04', 4);
    await report('last-year', w.orgs.A, 'approved', '2029-11-04', 8, 3);
    await report('other-org', w.orgs.B, 'approved', '2030-03-05', 3, 5);
    const after = await hoursOf();
    expect(after.get(eli)!.hours).toBeCloseTo(before.get(eli)!.hours + 1.5, 1);
    expect(after.get(eli)!.ceCredits).toBeCloseTo(before.get(eli)!.ceCredits + 2, 2);
    expect(after.get(fay)!.hours).toBeCloseTo(before.get(fay)!.hours + 2.5, 1);
    expect(after.get(fay)!.ceCredits).toBeCloseTo(before.get(fay)!.ceCredits + 1, 2);
    for (const id of w.people.A.slice(0, 4)) expect(after.get(id)).toEqual(before.get(id));
    // The CSV says the same.
    const csv = parse((await w.get('analystA', `/api/reports/people.csv?org=${w.orgs.A}`)).text, { columns: true }) as Record<string, string>[];
    expect(Number(csv.find((r) => r['user_id'] === fay)!['hours_this_year'])).toBeCloseTo(after.get(fay)!.hours, 1);
  });

  it('counts overdue assignments to a unit and to a role, once per course', async () => {
    const overdueOf = async (): Promise<Map<string, number>> =>
      new Map(((await w.get('analystA', `/api/reports/people?org=${w.orgs.A}&pageSize=500`)).body.rows as Row[]).map((r) => [r.name, r.overdue]));
    const base = { orgId: w.orgs.A, entryId: w.courses.advanced, dueAt: '2030-05-02T00:00:00.000Z', required: true, createdBy: 'x', createdAt: '2030-01-01T00:00:00.000Z' };
    const ids = [`as-unit-${Math.random().toString(36).slice(2, 8)}`, `as-role-${Math.random().toString(36).slice(2, 8)}`, `as-later-${Math.random().toString(36).slice(2, 8)}`];
    await w.store.learning.insertAssignment({ ...base, id: ids[0]!, target: { kind: 'unit', unitId: w.units.north } });
    await w.store.learning.insertAssignment({ ...base, id: ids[1]!, target: { kind: 'role', role: 'analyst' } });
    // Not due yet: not overdue.
    await w.store.learning.insertAssignment({ ...base, id: ids[2]!, entryId: w.courses.intro, dueAt: '2030-12-01T00:00:00.000Z', target: { kind: 'unit', unitId: w.units.south } });
    try {
      const o = await overdueOf();
      // North: Advanced Cataloguing is overdue for all three; Ben's personal assignment is the same course (counted once).
      expect([o.get('Amara Okafor'), o.get('Ben Lindqvist'), o.get('Chen Wei')]).toEqual([1, 1, 1]);
      expect([o.get('Dana Scully'), o.get('Eli Brown'), o.get('Fay Wray')]).toEqual([0, 0, 0]);
      expect(o.get('Ana Analyst')).toBe(1);
    } finally {
      for (const id of ids) await w.store.learning.deleteAssignment(id);
    }
  });

  it("shows the header's Reports link to every role that has reports, and it leads to a page (a manager's: their people and competencies)", async () => {
    const hasLink: Record<Viewer, boolean> = { analystA: true, analystB: true, analystP: true, admin: true, adminOfA: true, managerNorth: true, managerSouth: true, learnerA: false };
    for (const [viewer, has] of Object.entries(hasLink) as [Viewer, boolean][]) {
      const home = await w.get(viewer, '/me');
      expect(home.status).toBe(200);
      const nav = /<nav aria-label="Main">([\s\S]*?)<\/nav>/.exec(home.text)?.[1] ?? '';
      expect(nav).toContain('/catalog');
      const hrefs = [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
      expect({ viewer, link: hrefs.includes('/reports') }).toEqual({ viewer, link: has });
      const reports = await w.get(viewer, '/reports');
      expect({ viewer, status: reports.status }).toEqual({ viewer, status: has ? 200 : 403 });
    }
    // A manager's landing page links to the reports about their units' people, which answer.
    const landing = await w.get('managerNorth', '/reports');
    expect(landing.text).toContain('<h1>Reports</h1>');
    const links = [...landing.text.matchAll(/href="(\/reports\/(?:people|competencies)\?org=[^"]+)"/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));
    expect(links).toEqual(expect.arrayContaining([`/reports/people?org=${w.orgs.A}`, `/reports/competencies?org=${w.orgs.A}`]));
    for (const href of links) expect((await w.get('managerNorth', href)).status).toBe(200);
    const people = await w.get('managerNorth', `/reports/people?org=${w.orgs.A}`);
    expect(people.text).toContain('Amara Okafor');
    expect(people.text).not.toContain('Dana Scully');
    // No overview or explorer for them, and its JSON twin stays refused.
    expect(landing.text).not.toContain('href="/reports/statements');
    expect((await w.get('managerNorth', '/api/reports/overview')).status).toBe(403);
  });
});
