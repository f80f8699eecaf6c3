import { parse } from 'csv-parse/sync';
import { competencyEvidenceSubscriber } from '../../../src/competency/evidence-subscriber';
import { COMPETENCY_IRI } from '../../../src/competency/vocab';
import { trackedActivities } from '../../../src/launch/progress/tracks';
import { casePackage } from '../../fixtures/case-package';
import { as, competencyWorld, replayAll, statementBy, storeAndEvents, type CompetencyWorld, type Who } from './fixture';

describe('alignments, evidence and the profile', () => {
  let w: CompetencyWorld;
  let fwId: string;
  let itemId: string;
  let otherItem: string;
  let courseIri: string;
  const ids = new Map<string, string>();
  beforeAll(async () => {
    w = await competencyWorld();
    const res = await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/competency/frameworks`, casePackage({ ids }));
    fwId = res.body.framework.id;
    itemId = ids.get('C1.1') as string;
    otherItem = ids.get('C2.2') as string;
    const version = await w.t.store.courses.findVersion(w.courseA.currentVersionId as string);
    courseIri = trackedActivities(w.t.config, w.courseA.id, version!.model).course[0] as string;
  });
  afterAll(() => w.t.close());

  const alignCourse = (who: Who | undefined, org: string, courseId: string, extra: Record<string, unknown> = {}) =>
    as(w, who, 'post', `/api/orgs/${org}/competency/alignments`, { frameworkId: fwId, itemIdentifier: itemId, target: { kind: 'course', courseId }, level: 2, rule: { kind: 'completed' }, ...extra });

  it('lets authors and administrators align their own organization\'s courses only', async () => {
    const before = (await w.t.store.competency.findAlignments({})).length;
    const refused: [Who | undefined, string, string, number][] = [
      [undefined, w.orgA.id, w.courseA.id, 401], ['learnerA', w.orgA.id, w.courseA.id, 403], ['analystA', w.orgA.id, w.courseA.id, 403],
      ['authorB', w.orgA.id, w.courseA.id, 404], ['authorB', w.orgB.id, w.courseA.id, 404], ['authorA', w.orgA.id, w.courseB.id, 404],
    ];
    for (const [who, org, course, status] of refused) expect([who, (await alignCourse(who, org, course)).status]).toEqual([who, status]);
    expect((await alignCourse('authorA', w.orgA.id, w.courseA.id, { level: 9 })).status).toBe(400);
    expect((await alignCourse('authorA', w.orgA.id, w.courseA.id, { rule: { kind: 'scaled', min: 2 } })).status).toBe(400);
    expect((await w.t.store.competency.findAlignments({})).length).toBe(before);
    const ok = await alignCourse('authorA', w.orgA.id, w.courseA.id, { validDays: 30 });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ orgId: w.orgA.id, target: { kind: 'course', courseId: w.courseA.id }, activityId: courseIri, level: 2, validDays: 30 });
    // The course carries it (catalog cards, filters) and the activity definition shows it to outside tools.
    expect((await w.t.store.courses.findCourse(w.courseA.id))?.competencies).toEqual([`${fwId}|${itemId}`]);
    const def = await w.t.store.activities.findActivity(courseIri);
    expect((def?.definition['extensions'] as Record<string, unknown>)[COMPETENCY_IRI.alignmentsExtension]).toEqual([
      expect.objectContaining({ uri: `https://frameworks.example.org/uri/${itemId}`, level: 2, levelName: 'Practising' }),
    ]);
    const xapi = await (await import('supertest')).default(w.t.app).get('/xapi/activities').query({ activityId: courseIri }).set('X-Experience-API-Version', '1.0.3')
      .set('Authorization', await lrsAuth(w));
    expect(xapi.status).toBe(200);
    expect(JSON.stringify(xapi.body)).toContain(COMPETENCY_IRI.alignmentsExtension);
  });

  it('aligns one unit (SCO) of a course, and refuses an IRI that is not one of its units', async () => {
    const version = await w.t.store.courses.findVersion(w.courseA.currentVersionId as string);
    const unit = trackedActivities(w.t.config, w.courseA.id, version!.model).units[0] as string;
    const body = (unitId: string) => ({ frameworkId: fwId, itemIdentifier: otherItem, target: { kind: 'unit', courseId: w.courseA.id, unitId }, level: 1, rule: { kind: 'satisfied' } });
    expect((await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/competency/alignments`, body('https://elsewhere.example.org/sco'))).status).toBe(400);
    const ok = await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/competency/alignments`, body(unit));
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ target: { kind: 'unit', courseId: w.courseA.id, unitId: unit }, activityIds: [unit], rule: { kind: 'satisfied' } });
    expect((await as(w, 'authorA', 'delete', `/api/competency/alignments/${ok.body.id}`)).status).toBe(204);
  });

  it('shows alignments to members only, and lets only the owning organization delete them', async () => {
    const a = (await w.t.store.competency.findAlignments({ orgIds: [w.orgA.id] }))[0]!;
    expect((await as(w, 'learnerA', 'get', `/api/orgs/${w.orgA.id}/competency/alignments?course=${w.courseA.id}`)).body.alignments.map((x: { id: string }) => x.id)).toEqual([a.id]);
    expect((await as(w, 'learnerB', 'get', `/api/orgs/${w.orgA.id}/competency/alignments`)).status).toBe(404);
    const view = await as(w, 'learnerB', 'get', `/api/competency/frameworks/${fwId}/items/${itemId}`);
    expect(view.status).toBe(200);
    expect(view.body.alignments).toEqual([]);
    const viewA = await as(w, 'learnerA', 'get', `/api/competency/frameworks/${fwId}/items/${itemId}`);
    expect(viewA.body.alignments.map((x: { courseTitle: string }) => x.courseTitle)).toEqual(['Course of A']);
    expect((await as(w, 'authorB', 'delete', `/api/competency/alignments/${a.id}`)).status).toBe(404);
    expect((await as(w, 'learnerA', 'delete', `/api/competency/alignments/${a.id}`)).status).toBe(403);
    expect(await w.t.store.competency.findAlignment(a.id)).toBeDefined();
  });

  it('turns matching stored statements into evidence; voiding, erasure and rebuild behave', async () => {
    const sub = competencyEvidenceSubscriber(w.t.services, { cacheMs: 0 });
    await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/competency/alignments`, {
      frameworkId: fwId, itemIdentifier: otherItem, target: { kind: 'activity', activityId: 'https://tool.example.org/quiz/7' }, level: 3, rule: { kind: 'scaled', min: 0.8 },
    });
    const done = statementBy(w, w.ids.learnerA, courseIri);
    const low = statementBy(w, w.ids.learnerA, 'https://tool.example.org/quiz/7', { verb: { id: 'http://adlnet.gov/expapi/verbs/scored' }, result: { score: { scaled: 0.5 } } });
    const high = statementBy(w, w.ids.learnerA, 'https://tool.example.org/quiz/7', { verb: { id: 'http://adlnet.gov/expapi/verbs/scored' }, result: { score: { scaled: 0.9 } } });
    const stranger = statementBy(w, w.ids.learnerB, 'https://tool.example.org/other', {});
    const events = [...(await storeAndEvents(w, w.orgA.id, [done, low, high])), ...(await storeAndEvents(w, w.orgB.id, [stranger]))];
    await sub.handle(events);
    await sub.handle(events); // idempotent: the same batch again after a crash
    const evidence = await w.t.store.competency.findEvidence({ userId: w.ids.learnerA });
    expect(evidence.map((e) => [e.statementId, e.itemIdentifier, e.level]).sort()).toEqual([[done['id'], itemId, 2], [high['id'], otherItem, 3]].sort());
    expect(evidence.find((e) => e.statementId === done['id'])?.expiresAt).toBe(new Date(Date.parse(String(done['timestamp'])) + 30 * 86_400_000).toISOString());

    // Each attainment went to the LRS about the competency's CASE URI.
    const attained = await w.t.store.statements.findStatements({ allRefs: [`v|${COMPETENCY_IRI.attained}`], ascending: true, limit: 100 });
    const objects = attained.statements.map((st) => (st.statement['object'] as { id: string }).id).sort();
    expect(objects).toEqual([`https://frameworks.example.org/uri/${itemId}`, `https://frameworks.example.org/uri/${otherItem}`].sort());

    // Profile: level per competency, the evidence behind it, what lapses soon (30 days < 90).
    const profile = await as(w, 'learnerA', 'get', '/api/me/competencies');
    const fw = profile.body.frameworks.find((f: { id: string }) => f.id === fwId);
    const entry = fw.competencies.find((c: { itemIdentifier: string }) => c.itemIdentifier === itemId);
    expect(entry).toMatchObject({ level: 2, levelName: 'Practising', source: 'evidence' });
    expect(entry.lapsesAt).toBeDefined();
    const csv = await as(w, 'learnerA', 'get', '/api/me/competencies.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = parse(csv.text) as string[][];
    expect(rows[0]?.[0]).toBe('framework');
    expect(rows.filter((r) => r[8] === done['id'])).toHaveLength(1);
    // Nobody else sees them: learner B's profile holds none of A's evidence.
    const other = await as(w, 'learnerB', 'get', '/api/me/competencies');
    expect(JSON.stringify(other.body)).not.toContain(String(done['id']));

    // Rebuild: reset and replay reproduce exactly the same evidence.
    const before = await w.t.store.competency.findEvidence({});
    await sub.reset?.();
    expect(await w.t.store.competency.findEvidence({})).toEqual([]);
    await replayAll(w, sub, w.orgA.id);
    expect(await w.t.store.competency.findEvidence({})).toEqual(before);
    // The replay wrote no second attainment statement.
    expect((await w.t.store.statements.findStatements({ allRefs: [`v|${COMPETENCY_IRI.attained}`], ascending: true, limit: 100 })).statements).toHaveLength(2);

    // Voiding removes what the voided statement gave.
    await sub.handle([{ kind: 'voided', seq: 1e9, voidedId: String(high['id']), voidingId: 'x' }]);
    expect((await w.t.store.competency.findEvidence({ userId: w.ids.learnerA })).map((e) => e.statementId)).toEqual([done['id']]);
    // Erasure removes everything of the person.
    await sub.handle([{ kind: 'erased', seq: 1e9, userId: w.ids.learnerA }]);
    expect(await w.t.store.competency.findEvidence({ userId: w.ids.learnerA })).toEqual([]);
  });

  it('counts statements stored before an alignment existed, as a rebuild would', async () => {
    const activity = 'https://tool.example.org/quiz/earlier';
    const earlier = statementBy(w, w.ids.learnerA, activity, { verb: { id: 'http://adlnet.gov/expapi/verbs/passed' }, result: { success: true } });
    await storeAndEvents(w, w.orgA.id, [earlier]);
    const al = await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/competency/alignments`, {
      frameworkId: fwId, itemIdentifier: ids.get('C1.3'), target: { kind: 'activity', activityId: activity }, level: 1, rule: { kind: 'passed' },
    });
    expect(al.status).toBe(201);
    expect(await w.t.store.competency.findEvidence({ userId: w.ids.learnerA, frameworkId: fwId, itemIdentifier: ids.get('C1.3') })).toEqual([
      expect.objectContaining({ statementId: earlier['id'], alignmentId: al.body.id, level: 1, orgId: w.orgA.id }),
    ]);
  });

  it('records self-assessments, confirmed only by an administrator of that organization', async () => {
    const body = { orgId: w.orgA.id, frameworkId: fwId, itemIdentifier: otherItem, level: 1 };
    expect((await as(w, 'learnerA', 'put', '/api/me/competencies/self', { ...body, orgId: w.orgB.id })).status).toBe(404);
    expect((await as(w, 'learnerA', 'put', '/api/me/competencies/self', { ...body, level: 7 })).status).toBe(400);
    expect((await as(w, 'learnerA', 'put', '/api/me/competencies/self', body)).status).toBe(200);
    const confirm = { userId: w.ids.learnerA, frameworkId: fwId, itemIdentifier: otherItem };
    const refused: [Who | undefined, string, number][] = [
      [undefined, w.orgA.id, 401], ['learnerA', w.orgA.id, 403], ['authorA', w.orgA.id, 403], ['analystA', w.orgA.id, 403],
      ['adminB', w.orgA.id, 404], ['adminB', w.orgB.id, 404],
    ];
    for (const [who, org, status] of refused) expect([who, (await as(w, who, 'post', `/api/orgs/${org}/competency/confirmations`, confirm)).status]).toEqual([who, status]);
    expect((await as(w, 'authorA', 'get', `/api/orgs/${w.orgA.id}/competency/self-assessments`)).status).toBe(403);
    expect((await as(w, 'adminB', 'get', `/api/orgs/${w.orgA.id}/competency/self-assessments`)).status).toBe(404);
    const pending = await as(w, 'adminA', 'get', `/api/orgs/${w.orgA.id}/competency/self-assessments`);
    expect(pending.body.selfAssessments).toEqual([expect.objectContaining({ userId: w.ids.learnerA, level: 1 })]);
    const ok = await as(w, 'adminA', 'post', `/api/orgs/${w.orgA.id}/competency/confirmations`, confirm);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ confirmedBy: w.ids.adminA });
    const profile = await as(w, 'learnerA', 'get', '/api/me/competencies');
    const entry = profile.body.frameworks.find((f: { id: string }) => f.id === fwId).competencies.find((c: { itemIdentifier: string }) => c.itemIdentifier === otherItem);
    expect(entry).toMatchObject({ level: 1, source: 'confirmed', self: { confirmedBy: w.ids.adminA } });
  });
});

async function lrsAuth(w: CompetencyWorld): Promise<string> {
  const { hashSecret } = await import('../../../src/accounts/secret-hash');
  const key = `k-${Math.random().toString(36).slice(2)}`;
  await w.t.store.credentials.insertCredential({
    key, secretHash: await hashSecret('sekrit-sekrit'), name: 'site', scopes: ['all'],
    authority: { objectType: 'Agent', name: 'site', account: { homePage: 'http://learnhq.test', name: key } }, createdAt: new Date().toISOString(),
  });
  return `Basic ${Buffer.from(`${key}:sekrit-sekrit`).toString('base64')}`;
}
