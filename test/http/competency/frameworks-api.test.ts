import { casePackage } from '../../fixtures/case-package';
import { as, competencyWorld, type CompetencyWorld, type Who } from './fixture';

const byId = (list: unknown): unknown[] => [...(list as { identifier: string }[])].sort((a, b) => a.identifier.localeCompare(b.identifier));

describe('competency frameworks API', () => {
  let w: CompetencyWorld;
  beforeAll(async () => {
    w = await competencyWorld();
  });
  afterAll(() => w.t.close());

  const count = async (): Promise<number> => (await w.t.store.competency.findFrameworks({})).length;

  it('lets an author or administrator import a CASE package into their organization only', async () => {
    const before = await count();
    const refused: [Who | undefined, string, number][] = [
      [undefined, w.orgA.id, 401], ['learnerA', w.orgA.id, 403], ['analystA', w.orgA.id, 403],
      ['authorB', w.orgA.id, 404], ['learnerB', w.orgA.id, 404], ['authorA', 'no-such-org', 404],
    ];
    for (const [who, org, status] of refused) {
      const res = await as(w, who, 'post', `/api/orgs/${org}/competency/frameworks`, casePackage());
      expect([who, res.status]).toEqual([who, status]);
    }
    // Without the CSRF token a session cannot write.
    const noCsrf = await (await import('supertest')).default(w.t.app).post(`/api/orgs/${w.orgA.id}/competency/frameworks`).set('Cookie', w.s.authorA.cookie).send(casePackage());
    expect(noCsrf.status).toBe(403);
    expect(await count()).toBe(before);
    for (const who of ['authorA', 'adminA'] as const) {
      const res = await as(w, who, 'post', `/api/orgs/${w.orgA.id}/competency/frameworks`, casePackage());
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ created: true, items: 8, retired: 0, associations: 9 });
    }
    expect(await count()).toBe(before + 2);
  });

  it('exports what it imported: every identifier, URI and association (round trip)', async () => {
    const pkg = casePackage({ categories: 3, perCategory: 4 });
    const res = await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/competency/frameworks`, pkg);
    expect(res.status).toBe(201);
    const id = (res.body as { framework: { id: string } }).framework.id;
    // Any signed-in person reads a framework (a publication); nobody signed out does.
    expect((await as(w, undefined, 'get', `/api/competency/frameworks/${id}/case`)).status).toBe(401);
    const out = await as(w, 'learnerB', 'get', `/api/competency/frameworks/${id}/case`);
    expect(out.status).toBe(200);
    const body = out.body as Record<string, unknown>;
    expect(body['CFDocument']).toEqual(pkg['CFDocument']);
    expect(byId(body['CFItems'])).toEqual(byId(pkg['CFItems']));
    expect(byId(body['CFAssociations'])).toEqual(byId(pkg['CFAssociations']));
    expect(body['CFDefinitions']).toEqual(pkg['CFDefinitions']);
    expect(body['CFRubrics']).toEqual(pkg['CFRubrics']);
    const tree = await as(w, 'learnerA', 'get', `/api/competency/frameworks/${id}`);
    expect(tree.body.framework.scale.map((l: { name: string }) => l.name)).toEqual(['Aware', 'Practising', 'Leading']);
    expect(tree.body.tree.map((n: { item: { humanCodingScheme: string } }) => n.item.humanCodingScheme)).toEqual(['C1', 'C2', 'C3']);
    const search = await as(w, 'learnerA', 'get', `/api/competency/frameworks/${id}?q=${encodeURIComponent('C3.2')}`);
    expect(search.body.matches.map((i: { humanCodingScheme: string }) => i.humanCodingScheme)).toEqual(['C3.2']);
    expect((await as(w, 'learnerA', 'get', '/api/competency/frameworks/nope/case')).status).toBe(404);
  });

  it('updates in place on re-import, retiring removed items and keeping alignments and evidence', async () => {
    const ids = new Map<string, string>();
    const first = casePackage({ ids });
    const docId = (first['CFDocument'] as { identifier: string }).identifier;
    const created = await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/competency/frameworks`, first);
    const fwId = created.body.framework.id as string;
    const itemId = ids.get('C1.2') as string;
    const al = await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/competency/alignments`, {
      frameworkId: fwId, itemIdentifier: itemId, target: { kind: 'activity', activityId: 'https://tool.example.org/quiz/1' }, level: 2, rule: { kind: 'passed' },
    });
    expect(al.status).toBe(201);
    await w.t.store.competency.insertEvidence([{
      id: `s1|${al.body.id}`, userId: w.ids.learnerA, orgId: w.orgA.id, frameworkId: fwId, itemIdentifier: itemId, level: 2, statementId: 's1',
      alignmentId: al.body.id, activityId: 'https://tool.example.org/quiz/1', at: '2030-01-01T00:00:00.000Z',
    }]);
    const second = casePackage({ identifier: docId, ids, without: ['C2.3'] });
    (second['CFItems'] as Record<string, unknown>[]).find((i) => i['identifier'] === itemId)!['fullStatement'] = 'Reworded in version 2';
    const again = await as(w, 'adminA', 'post', `/api/orgs/${w.orgA.id}/competency/frameworks`, second);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, items: 7, retired: 1, framework: { id: fwId } });
    const items = await w.t.store.competency.findItems({ frameworkId: fwId, includeRetired: true });
    expect(items.find((i) => i.identifier === ids.get('C2.3'))?.retiredAt).toBeDefined();
    expect(items.find((i) => i.identifier === itemId)?.fullStatement).toBe('Reworded in version 2');
    expect(await w.t.store.competency.findAlignment(al.body.id)).toBeDefined();
    expect(await w.t.store.competency.findEvidence({ userId: w.ids.learnerA, frameworkId: fwId })).toHaveLength(1);
    // The same document in another organization is another framework.
    const elsewhere = await as(w, 'authorB', 'post', `/api/orgs/${w.orgB.id}/competency/frameworks`, second);
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body.framework.id).not.toBe(fwId);
  });

  it('imports a CSV sheet, reports bad rows by row and column with nothing imported, and re-imports in place', async () => {
    const before = await count();
    const bad = 'parent,code,short_statement,full_statement,type,notes\n,PS,Public service,Serves,,\nQQ,PS.1,,Answers,,\n';
    const res = await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/competency/frameworks/csv`, { title: 'Sheet', csv: bad });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('row 3, column parent: no row has the code QQ');
    expect(await count()).toBe(before);
    expect((await as(w, 'learnerA', 'post', `/api/orgs/${w.orgA.id}/competency/frameworks/csv`, { title: 'Sheet', csv: bad })).status).toBe(403);
    const good = 'parent,code,short_statement,full_statement,type,notes\n,PS,Public service,Serves the public,Category,\nPS,PS.1,Reference,Answers questions,Competency,\nPS,PS.2,Readers advisory,Suggests reading,Competency,\n';
    const ok = await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/competency/frameworks/csv`, { title: 'Sheet', csv: good });
    expect(ok.status).toBe(201);
    expect(ok.body.items).toBe(3);
    const fewer = good.split('\n').slice(0, 3).join('\n');
    const again = await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/competency/frameworks/csv`, { title: 'Sheet', csv: fewer });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, items: 2, retired: 1, framework: { id: ok.body.framework.id } });
  });

  it('refuses a bad package as a whole', async () => {
    const before = await count();
    const pkg = casePackage();
    delete (pkg['CFItems'] as Record<string, unknown>[])[3]!['uri'];
    const res = await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/competency/frameworks`, pkg);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('CFItems[3].uri');
    expect(await count()).toBe(before);
  });
});
