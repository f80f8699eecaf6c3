import { randomBytes, randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { createReportSubscribers } from '../../src/reports/subscribers';
import { openMongoStore } from '../../src/store/mongo/mongo-store';
import type { Store } from '../../src/store/ports';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { PUBLIC_URL, addCourse, addOrg, addUser, enrol, eventsOf, feed, sitting, storeStatements } from '../helpers/report-fixture';

/** The report subscribers fed with events read back from statements stored in the log, on both engines. */
function suite(open: () => Promise<Store>): void {
  let store: Store;
  beforeAll(async () => { store = await open(); });
  afterAll(async () => { await store.close(); });

  it('rolls up days, attempts and answers; redelivery changes nothing; voiding and erasure take their part out', async () => {
    const provider = await addOrg(store, 'provider');
    const member = await addOrg(store, 'member');
    const course = await addCourse(store, provider, 'The Reference Interview');
    const sam = await addUser(store, member, 'Sam Staff');
    const kim = await addUser(store, member, 'Kim Clerk');
    const e1 = await enrol(store, sam, member, course);
    const e2 = await enrol(store, kim, member, course);
    const samSitting = sitting(e1, { at: '2030-05-06T09:00:00.000Z', score: 0.92, passed: true, minutes: 12, answers: [{ q: '1', response: 'a', correct: true, seconds: 20 }, { q: '2', response: 'c', correct: false }] });
    const kimSitting = sitting(e2, { at: '2030-05-07T09:00:00.000Z', score: 0.4, passed: false, minutes: 30, answers: [{ q: '2', response: 'c', correct: false, seconds: 40 }] });
    // An outside tool reusing Sam's registration with another actor: not counted.
    const stranger = { ...samSitting[0] as object, id: randomUUID(), actor: { objectType: 'Agent', mbox: 'mailto:x@example.com' } };
    // A statement without registration: not counted.
    const loose = { id: randomUUID(), actor: e1.actor, verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' }, object: { objectType: 'Activity', id: 'http://example.com/page' }, timestamp: '2030-05-06T10:00:00.000Z' };
    await storeStatements(store, [...samSitting, ...kimSitting, stranger, loose]);

    const subs = createReportSubscribers({ store, config: { publicUrl: PUBLIC_URL } });
    const events = await eventsOf(store);
    await feed(subs, events, 3);
    await feed(subs, events.slice(2, 9), 4); // a redelivery cut elsewhere

    const scope = { courseIds: [course.id] };
    expect(await store.reports.findLearningTotals(scope, 'none')).toEqual([
      { key: '', learners: 2, launches: 2, completions: 2, passes: 1, failures: 1, timeMs: 42 * 60_000, statements: 9 },
    ]);
    expect((await store.reports.findLearningTotals({ providerOrgIds: [provider] }, 'day')).map((r) => [r.key, r.learners]))
      .toEqual([['2030-05-06', 1], ['2030-05-07', 1]]);
    expect((await store.reports.findLearningTotals({ orgIds: [member] }, 'org')).map((r) => r.key)).toEqual([member]);

    const attempts = await store.reports.findAttempts(scope);
    expect(attempts.map((a) => [a.userId, a.verb, a.scoreScaled, a.success, a.durationMs])).toEqual([
      [sam, 'passed', 0.92, true, undefined], [sam, 'terminated', undefined, undefined, 12 * 60_000],
      [kim, 'failed', 0.4, false, undefined], [kim, 'terminated', undefined, undefined, 30 * 60_000],
    ]);
    const answers = await store.reports.findInteractions(scope);
    expect(answers.map((a) => [a.userId, a.activityId.split('/').pop(), a.response, a.correct, a.durationMs, a.name, a.interactionType])).toEqual([
      [sam, '1', 'a', true, 20_000, 'Question 1', 'choice'], [sam, '2', 'c', false, undefined, 'Question 2', 'choice'],
      [kim, '2', 'c', false, 40_000, 'Question 2', 'choice'],
    ]);
    expect(answers[0]).toMatchObject({ orgId: member, providerOrgId: provider, registration: e1.registration, day: '2030-05-06' });

    // Sam's pass is voided: its pass, completion and the attempt row come off.
    const passed = samSitting.find((s) => (s['verb'] as { id: string }).id.endsWith('/passed'))!;
    const voiding = { id: randomUUID(), actor: { objectType: 'Agent', name: 'admin', mbox: 'mailto:admin@example.com' }, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: passed['id'] }, timestamp: '2030-05-08T00:00:00.000Z' };
    const lastSeq = events[events.length - 1]!.seq;
    await storeStatements(store, [voiding]);
    const after = await eventsOf(store, lastSeq);
    const voidingSeq = after[0]!.seq;
    const voidEvents = [...after, { kind: 'voided' as const, seq: voidingSeq, voidedId: String(passed['id']), voidingId: voiding.id }];
    await feed(subs, voidEvents, 5);
    await feed(subs, voidEvents, 5);
    expect(await store.reports.findLearningTotals(scope, 'none')).toMatchObject([{ passes: 0, failures: 1, completions: 1, statements: 8 }]);
    expect((await store.reports.findAttempts(scope)).map((a) => a.verb)).toEqual(['terminated', 'failed', 'terminated']);

    // Kim is erased.
    await feed(subs, [{ kind: 'erased', seq: voidingSeq, userId: kim }], 5);
    expect(await store.reports.findLearningTotals(scope, 'user')).toMatchObject([{ key: sam }]);
    expect((await store.reports.findInteractions(scope)).every((a) => a.userId === sam)).toBe(true);
    expect((await store.reports.findAttempts(scope)).every((a) => a.userId === sam)).toBe(true);

    // Rebuild: reset, replay from 0 (the voided statement is not in the log's query any more).
    for (const s of subs) await s.reset?.();
    expect(await store.reports.findLearningTotals(scope, 'none')).toEqual([]);
    await feed(subs, await eventsOf(store), 50);
    expect(await store.reports.findLearningTotals(scope, 'none')).toMatchObject([{ learners: 2, passes: 0 }]);
  });
}

describe('report subscribers on sqlite', () => suite(() => openSqliteStore({ path: ':memory:' })));

const uri = process.env['MONGODB_URI'];
if (uri) {
  const dbName = `learnhq_rsub_${randomBytes(6).toString('hex')}`;
  afterAll(async () => {
    const client = new MongoClient(uri);
    try { await client.connect(); await client.db(dbName).dropDatabase(); } finally { await client.close(); }
  });
  describe('report subscribers on mongo', () => suite(() => openMongoStore({ url: uri, dbName, serverSelectionTimeoutMs: 5000 })));
}
