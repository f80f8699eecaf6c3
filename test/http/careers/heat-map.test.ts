/**
 * Issue 15: competency-level goals measured from evidence, the gap heat map (roles, units, people;
 * drill-down; CSV), and a provider's aggregated gaps across member organizations (no names).
 * Every role, a sibling unit's manager, another organization's ids.
 */
import request from 'supertest';
import { caseUriBase, importPackage } from '../../../src/competency/frameworks';
import { demoCompetencyId, demoCompetencyPackage } from '../../../src/demo/demo-competencies';
import type { Framework, User } from '../../../src/store/ports';
import { createWorld, type Session, type World } from '../security/fixture';
import { api, publishedCourse, threeUnits } from './careers-world';

let w: World;
const adm = (): Promise<Session> => w.session(w.people.orgAdminA);
const ids = { main: '', kids: '', east: '' };
let k1: User;
let k2: User;
let k3: User;
let e1: User;
let mMain: User;
let mEast: User;
let framework: Framework;
const A = (): string => `/api/orgs/${w.orgA.id}`;
const uri = (code: string): string => `${caseUriBase(w.services)}${demoCompetencyId(code)}`;
const AT = '2026-01-01T00:00:00.000Z';
let seq = 0;
async function evidence(u: User, code: string, level: number): Promise<void> {
  seq += 1;
  await w.store.competency.insertEvidence([{
    id: `st-${seq}|al`, userId: u.id, orgId: w.orgA.id, frameworkId: framework.id, itemIdentifier: demoCompetencyId(code), level,
    statementId: `st-${seq}`, alignmentId: 'al', activityId: 'http://example.com/a', at: new Date().toISOString(),
  }]);
}

beforeAll(async () => {
  w = await createWorld();
  const learner = (): Promise<User> => w.person([{ orgId: w.orgA.id, role: 'learner' }]);
  [k1, k2, k3, e1, mMain, mEast] = [await learner(), await learner(), await learner(), await learner(), await learner(), await learner()];
  Object.assign(ids, await threeUnits(w, [['kids', k1, 'members'], ['kids', k2, 'members'], ['kids', k3, 'members'], ['east', e1, 'members'], ['main', mMain, 'managers'], ['east', mEast, 'managers']]));
  framework = (await importPackage(w.services, w.orgA.id, demoCompetencyPackage(caseUriBase(w.services), AT))).framework;
  await w.store.careers.insertRoleProfile({ id: 'rp-lib', orgId: w.orgA.id, name: 'Librarian', description: '', competencies: [{ competencyId: uri('PS.1'), targetLevel: 2 }, { competencyId: uri('PS.3'), targetLevel: 3 }], shared: false, createdAt: AT, updatedAt: AT });
  for (const u of [k1, k2, k3, e1]) await w.store.careers.insertPersonRoleProfile({ orgId: w.orgA.id, userId: u.id, profileId: 'rp-lib', since: AT });
  await evidence(k1, 'PS.1', 2);
  await evidence(e1, 'PS.1', 3);
  const c = await publishedCourse(w, w.orgA.id, 'Readers advisory deep dive');
  await w.store.competency.insertAlignment({ id: 'al-ra', orgId: w.orgA.id, frameworkId: framework.id, itemIdentifier: demoCompetencyId('PS.3'), target: { kind: 'course', courseId: c.course.id }, activityId: c.activity, activityIds: [c.activity], level: 3, rule: { kind: 'completed' }, createdBy: 'x', createdAt: AT });
}, 90_000);
afterAll(async () => {
  await w.close();
});

interface Map { columns: { id: string }[]; rows: { id: string; label: string; cells: { required: number; met: number; gap: number; level?: number }[] }[]; totals: { required: number; met: number }[]; people: number }

describe('competency-level goals', () => {
  it('counts the people of the role in scope at the level, and moves with evidence', async () => {
    const body = { kind: 'competency-level', title: '80% of librarians practise reference', profileId: 'rp-lib', competencyId: uri('PS.1'), level: 2, targetPercent: 80, dueDate: '2099-06-30' };
    await api(w, await adm(), 'post', `${A()}/goals`, { ...body, competencyId: uri('LE.3') }).expect(400);
    await api(w, await adm(), 'post', `${A()}/goals`, { ...body, profileId: 'nope' }).expect(400);
    await api(w, await w.session(mMain), 'post', `${A()}/goals`, { ...body, unitId: ids.east }).expect(403);
    const id = (await api(w, await adm(), 'post', `${A()}/goals`, body).expect(201)).body.id as string;
    const g1 = (await api(w, await adm(), 'get', `${A()}/goals/${id}`).expect(200)).body as { total: number; done: number; status: string; people: { userId: string; status: string }[] };
    expect([g1.total, g1.done]).toEqual([4, 2]);
    expect(g1.people.filter((p) => p.status === 'done').map((p) => p.userId).sort()).toEqual([k1.id, e1.id].sort());
    await evidence(k2, 'PS.1', 2);
    const g2 = (await api(w, await adm(), 'get', `${A()}/goals/${id}`).expect(200)).body as { done: number };
    expect(g2.done).toBe(3);
    // No assignment for a competency goal.
    expect((await w.store.learning.findAssignments({ orgIds: [w.orgA.id] })).length).toBe(0);
    const kids = (await api(w, await w.session(mMain), 'post', `${A()}/goals`, { ...body, unitId: ids.kids, title: 'Kids' }).expect(201)).body.id as string;
    expect((await api(w, await w.session(mMain), 'get', `${A()}/goals/${kids}`).expect(200)).body.total).toBe(3);
    await api(w, await w.session(mEast), 'get', `${A()}/goals/${kids}`).expect(404);
  });

  it('is set from the goals page form too', async () => {
    const s = await adm();
    const page = await request(w.app).get(`/orgs/${w.orgA.id}/goals`).set('Cookie', s.cookie).expect(200);
    expect(page.text).toContain('Set a competency goal');
    await request(w.app).post(`/orgs/${w.orgA.id}/goals`).set('Cookie', s.cookie).type('form')
      .send({ _csrf: s.csrf, kind: 'competency-level', title: 'Form goal', roleCompetency: `rp-lib ${uri('PS.3')}`, level: '3', dueDate: '2099-01-31', targetPercent: '50' }).expect(303);
    const made = (await w.store.careers.findGoals({ orgId: w.orgA.id })).find((g) => g.title === 'Form goal');
    expect(made?.competency).toEqual({ profileId: 'rp-lib', competencyId: uri('PS.3'), level: 3 });
    const shown = await request(w.app).get(`/orgs/${w.orgA.id}/goals/${made?.id ?? ''}`).set('Cookie', s.cookie).expect(200);
    expect(shown.text).toContain('Librarian: Leading in Readers advisory');
  });
});

describe('the gap heat map', () => {
  it('by role: attained against target with counts', async () => {
    const m = (await api(w, await adm(), 'get', `${A()}/heat-map?by=roles`).expect(200)).body as Map;
    expect(m.columns.map((c) => c.id)).toEqual([uri('PS.1'), uri('PS.3')]);
    expect(m.rows.map((r) => [r.label, r.cells.map((c) => [c.met, c.required])])).toEqual([['Librarian', [[3, 4], [0, 4]]]]);
    expect(m.people).toBe(4);
  });

  it('by unit and by person; a manager sees their units only, a sibling manager theirs', async () => {
    const units = (await api(w, await adm(), 'get', `${A()}/heat-map?by=units`).expect(200)).body as Map;
    expect(units.rows.map((r) => [r.label, r.cells[0]?.met, r.cells[0]?.required])).toEqual([['East Branch', 1, 1], ["Main Library / Children's Services", 2, 3]]);
    const mine = (await api(w, await w.session(mMain), 'get', `${A()}/heat-map?by=people`).expect(200)).body as Map;
    expect(mine.rows.map((r) => r.id).sort()).toEqual([k1.id, k2.id, k3.id].sort());
    expect(mine.rows.find((r) => r.id === k3.id)?.cells[0]).toMatchObject({ level: 0, required: 1, met: 0, gap: 2 });
    const east = (await api(w, await w.session(mEast), 'get', `${A()}/heat-map?by=people`).expect(200)).body as Map;
    expect(east.rows.map((r) => r.id)).toEqual([e1.id]);
    await api(w, await w.session(mEast), 'get', `${A()}/heat-map?unitId=${ids.kids}`).expect(404);
    await api(w, await w.session(w.people.learnerA), 'get', `${A()}/heat-map`).expect(403);
    await api(w, await w.session(w.people.analystA), 'get', `${A()}/heat-map`).expect(403);
    await api(w, await w.session(w.people.orgAdminB), 'get', `${A()}/heat-map`).expect(404);
    await api(w, await adm(), 'get', `${A()}/heat-map?by=secrets`).expect(400);
  });

  it('drills down to the people of a cell and the learning that closes the gap; exports CSV', async () => {
    const cell = (await api(w, await w.session(mMain), 'get', `${A()}/heat-map/cell?competencyId=${encodeURIComponent(uri('PS.3'))}&profileId=rp-lib`).expect(200)).body as { people: { userId: string; met: boolean }[]; learning: { title: string }[] };
    expect(cell.people.map((p) => p.userId).sort()).toEqual([k1.id, k2.id, k3.id].sort());
    expect(cell.learning.map((l) => l.title)).toEqual(['Readers advisory deep dive']);
    await api(w, await w.session(mEast), 'get', `${A()}/heat-map/cell?competencyId=${encodeURIComponent(uri('PS.3'))}&unitId=${ids.kids}`).expect(404);
    const csv = await api(w, await adm(), 'get', `${A()}/heat-map.csv?by=people`).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('person,competency,competency_id,required,met,gap_levels,level,target');
    expect(lines).toHaveLength(1 + 4 * 2);
    const page = await request(w.app).get(`/orgs/${w.orgA.id}/heat-map?by=roles`).set('Cookie', (await adm()).cookie).expect(200);
    expect(page.text).toContain('<table class="heat">');
    expect(page.text).toContain('3 of 4');
  });
});

/** Width and height of a PNG (IHDR), after checking its signature. */
function pngSize(body: Buffer): { width: number; height: number } {
  expect([...body.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(body.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: body.readUInt32BE(16), height: body.readUInt32BE(20) };
}
const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('the heat map as PNG', () => {
  it('decodes, one row per role, unit or person plus the totals; same access as the map', async () => {
    const png = async (session: Session, query: string, status: number): Promise<request.Response> =>
      request(w.app).get(`${A()}/heat-map.png${query}`).set('Cookie', session.cookie).buffer(true).parse(binary).expect(status);
    const roles = await png(await adm(), '?by=roles', 200);
    expect(roles.headers['content-type']).toBe('image/png');
    const r = pngSize(roles.body as Buffer);
    const people = pngSize((await png(await adm(), '?by=people', 200)).body as Buffer);
    // Two competencies wide either way; 4 people + totals against 1 role + totals: three rows taller.
    expect(people.width).toBe(r.width);
    expect(people.height - r.height).toBe(3 * 22);
    // A manager's picture holds their units only (3 people), a sibling's theirs (1).
    const mine = pngSize((await png(await w.session(mMain), '?by=people', 200)).body as Buffer);
    const east = pngSize((await png(await w.session(mEast), '?by=people', 200)).body as Buffer);
    expect(people.height - mine.height).toBe(22);
    expect(mine.height - east.height).toBe(2 * 22);
    await png(await w.session(mEast), `?unitId=${ids.kids}`, 404);
    await png(await w.session(w.people.learnerA), '', 403);
    await png(await w.session(w.people.analystA), '', 403);
    await png(await w.session(w.people.orgAdminB), '', 404);
    await png(await adm(), '?by=secrets', 400);
    await request(w.app).get(`${A()}/heat-map.png`).expect((res) => expect([401, 403]).toContain(res.status));
  });
});

describe('a provider\'s view across member organizations', () => {
  it('sums gaps per competency without a name; refuses other roles', async () => {
    const g = (await api(w, await w.session(w.people.orgAdminB), 'get', `/api/orgs/${w.orgB.id}/member-gaps`).expect(200)).body as { competencies: { id: string; required: number | null; met: number | null }[] };
    expect(g.competencies.find((c) => c.id === uri('PS.1'))).toMatchObject({ required: 4, met: 3 });
    const text = JSON.stringify(g);
    for (const u of [k1, k2, k3, e1]) {
      expect(text).not.toContain(u.id);
      expect(text).not.toContain(u.name);
    }
    expect(text).not.toContain(w.orgA.id);
    await api(w, await w.session(w.people.learnerB), 'get', `/api/orgs/${w.orgB.id}/member-gaps`).expect(403);
    await api(w, await adm(), 'get', `/api/orgs/${w.orgB.id}/member-gaps`).expect(404);
  });
});
