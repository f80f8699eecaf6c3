import { randomUUID } from 'node:crypto';
import type { Cmi5Session, ProgressDelta, ProgressTrack } from '../../../src/store/ports';
import { unique, useStore, type OpenStore } from './builders';

function track(over: Partial<ProgressTrack> = {}): ProgressTrack {
  return {
    registration: randomUUID(),
    courseId: unique('course'),
    versionId: unique('ver'),
    userId: unique('user'),
    agentKey: `account:http://learnhq.test|${unique('u')}`,
    orgId: unique('org'),
    courseActivityIds: ['http://example.com/course.with.dots'],
    unitActivityIds: ['http://example.com/au/1', 'http://example.com/au/2'],
    createdAt: '2024-01-01T00:00:00.000Z',
    ...over,
  };
}

function delta(registration: string, over: Partial<ProgressDelta> = {}): ProgressDelta {
  return { registration, activityId: '', statements: 1, attempts: 0, timeMs: 0, updatedAt: '2024-01-02T00:00:00.000Z', ...over };
}

function session(over: Partial<Cmi5Session> = {}): Cmi5Session {
  return {
    id: randomUUID(),
    registration: randomUUID(),
    courseId: unique('course'),
    versionId: unique('ver'),
    userId: unique('user'),
    actor: { objectType: 'Agent', account: { homePage: 'http://learnhq.test', name: unique('u') } },
    agentKey: `account:http://learnhq.test|${unique('u')}`,
    auId: 'http://example.com/au.1',
    auActivityId: `http://learnhq.test/cmi5/${unique('au')}`,
    launchMode: 'Normal',
    moveOn: 'CompletedAndPassed',
    masteryScore: 0.8,
    fetchKeyHash: 'ab'.repeat(32),
    state: 'launched',
    launchedAt: '2024-01-01T00:00:00.000Z',
    ...over,
  };
}

/** ProgressStore and Cmi5Store contract: commutative deltas, tracks, queries, sessions and marks. */
export function progressContract(open: OpenStore): void {
  describe('progress', () => {
    const store = useStore(open);

    it('creates a track once and reads it back with empty status', async () => {
      const t = track();
      expect(await store().progress.insertProgressTrack(t)).toBe(true);
      expect(await store().progress.insertProgressTrack({ ...t, courseId: 'other' })).toBe(false);
      const [row] = await store().progress.findProgressTracks([t.registration, randomUUID()]);
      expect(row).toMatchObject({ ...t, completion: 'not attempted', success: 'unknown', satisfied: false, waived: false, timeSeconds: 0, attempts: 0, statements: 0 });
      expect(row?.scoreScaled).toBeUndefined();
      expect(await store().progress.findProgressTracks([])).toEqual([]);
    });

    it('merges deltas whatever their order: counters add, completion rises, latest success and score win', async () => {
      const t = track();
      await store().progress.insertProgressTrack(t);
      const r = t.registration;
      await store().progress.applyProgress([
        delta(r, { completion: 'completed', success: { value: 'passed', at: '2024-01-05T00:00:00.000Z' }, score: { scaled: 0.9, at: '2024-01-05T00:00:00.000Z' }, timeMs: 1500, lastActivityAt: '2024-01-05T00:00:00.000Z' }),
        delta(r, { completion: 'incomplete', success: { value: 'failed', at: '2024-01-03T00:00:00.000Z' }, score: { scaled: 0.2, at: '2024-01-03T00:00:00.000Z' }, timeMs: 500, attempts: 1, lastActivityAt: '2024-01-03T00:00:00.000Z' }),
        delta(r, { activityId: 'http://example.com/au/1', completion: 'incomplete', attempts: 1 }),
        delta(r, { activityId: 'http://example.com/au/1', waived: true, satisfied: true }),
      ]);
      const [row] = await store().progress.findProgress({ registration: r });
      expect(row).toMatchObject({ completion: 'completed', success: 'passed', scoreScaled: 0.9, timeSeconds: 2, attempts: 1, statements: 2, lastActivityAt: '2024-01-05T00:00:00.000Z' });
      const units = await store().progress.findUnitProgress(r);
      expect(units).toEqual([expect.objectContaining({ activityId: 'http://example.com/au/1', completion: 'incomplete', waived: true, satisfied: true, attempts: 1, statements: 2 })]);
      // A later failure replaces the success; a lower completion never lowers it.
      await store().progress.applyProgress([delta(r, { completion: 'incomplete', success: { value: 'failed', at: '2024-02-01T00:00:00.000Z' } })]);
      expect((await store().progress.findProgress({ registration: r }))[0]).toMatchObject({ completion: 'completed', success: 'failed', scoreScaled: 0.9 });
    });

    it('keeps when a row became done: the earliest completing or satisfying delta, whatever the order (ADR 0036)', async () => {
      const t = track();
      await store().progress.insertProgressTrack(t);
      const r = t.registration;
      const unit = 'http://example.com/au/1';
      await store().progress.applyProgress([delta(r, { completion: 'incomplete', lastActivityAt: '2024-01-01T00:00:00.000Z' })]);
      expect((await store().progress.findProgress({ registration: r }))[0]?.doneAt).toBeUndefined();
      await store().progress.applyProgress([
        delta(r, { completion: 'completed', lastActivityAt: '2024-01-05T00:00:00.000Z' }),
        delta(r, { completion: 'completed', lastActivityAt: '2024-01-04T00:00:00.000Z' }),
        delta(r, { completion: 'incomplete', lastActivityAt: '2024-01-03T00:00:00.000Z' }),
        // A satisfied unit without a statement time: the delta's own time.
        delta(r, { activityId: unit, satisfied: true, updatedAt: '2024-01-06T00:00:00.000Z' }),
      ]);
      await store().progress.applyProgress([delta(r, { completion: 'completed', lastActivityAt: '2024-02-01T00:00:00.000Z' }), delta(r, { doneAt: '2024-03-01T00:00:00.000Z' })]);
      expect((await store().progress.findProgress({ registration: r }))[0]).toMatchObject({ completion: 'completed', doneAt: '2024-01-04T00:00:00.000Z', lastActivityAt: '2024-02-01T00:00:00.000Z' });
      expect((await store().progress.findUnitProgress(r))[0]).toMatchObject({ satisfied: true, doneAt: '2024-01-06T00:00:00.000Z' });
      await store().progress.applyProgress([delta(r, { doneAt: '2023-12-31T00:00:00.000Z' })]);
      expect((await store().progress.findProgressTracks([r]))[0]?.doneAt).toBe('2023-12-31T00:00:00.000Z');
      await store().progress.resetProgressStatus([r]);
      expect((await store().progress.findProgress({ registration: r }))[0]?.doneAt).toBeUndefined();
    });

    it('applies a delta with a seq once per row (a batch delivered again changes nothing), and resets rows to their track', async () => {
      const t = track();
      await store().progress.insertProgressTrack(t);
      const r = t.registration;
      const unit = 'http://example.com/au/1';
      const batch = [
        delta(r, { seq: 5, attempts: 1, completion: 'incomplete', lastActivityAt: '2024-01-05T00:00:00.000Z' }),
        delta(r, { seq: 5, activityId: unit, attempts: 1, completion: 'incomplete' }),
        delta(r, { seq: 6, timeMs: 2000, completion: 'completed' }),
      ];
      await store().progress.applyProgress(batch);
      await store().progress.applyProgress(batch);
      await store().progress.applyProgress([batch[0]!]);
      expect((await store().progress.findProgress({ registration: r }))[0]).toMatchObject({ statements: 2, attempts: 1, timeSeconds: 2, completion: 'completed' });
      expect((await store().progress.findUnitProgress(r))[0]).toMatchObject({ statements: 1, attempts: 1 });
      // Without a seq, a delta always counts; a later seq counts once.
      await store().progress.applyProgress([delta(r), delta(r, { seq: 9 }), delta(r, { seq: 9 })]);
      expect((await store().progress.findProgress({ registration: r }))[0]).toMatchObject({ statements: 4 });

      const other = track();
      await store().progress.insertProgressTrack(other);
      await store().progress.applyProgress([delta(other.registration, { seq: 3 })]);
      await store().progress.resetProgressStatus([r]);
      const [row] = await store().progress.findProgress({ registration: r });
      expect(row).toMatchObject({ ...t, completion: 'not attempted', success: 'unknown', timeSeconds: 0, attempts: 0, statements: 0, satisfied: false });
      expect(row?.lastActivityAt).toBeUndefined();
      expect(await store().progress.findUnitProgress(r)).toEqual([]);
      expect((await store().progress.findProgress({ registration: other.registration }))[0]).toMatchObject({ statements: 1 });
      // After a reset the same seqs apply again (a replay).
      await store().progress.applyProgress([batch[0]!]);
      expect((await store().progress.findProgress({ registration: r }))[0]).toMatchObject({ statements: 1, attempts: 1 });
      await store().progress.resetProgressStatus([]);
      expect((await store().progress.findProgress({ registration: r }))[0]).toMatchObject({ statements: 1 });
    });

    it('ignores course deltas of unknown registrations and queries by course, user and organization', async () => {
      const stranger = randomUUID();
      await store().progress.applyProgress([delta(stranger)]);
      expect(await store().progress.findProgress({ registration: stranger })).toEqual([]);

      const courseId = unique('course');
      const a = track({ courseId });
      const b = track({ courseId });
      await store().progress.insertProgressTrack(a);
      await store().progress.insertProgressTrack(b);
      await store().progress.applyProgress([delta(b.registration, { lastActivityAt: '2024-03-01T00:00:00.000Z' })]);
      expect((await store().progress.findProgress({ courseId })).map((x) => x.registration)).toEqual([b.registration, a.registration]);
      expect((await store().progress.findProgress({ courseId, userId: a.userId })).map((x) => x.registration)).toEqual([a.registration]);
      expect((await store().progress.findProgress({ courseId, orgIds: [b.orgId ?? ''] })).map((x) => x.registration)).toEqual([b.registration]);
      expect(await store().progress.findProgress({ courseId, orgIds: [] })).toEqual([]);
      expect(await store().progress.findProgress({ courseId, limit: 1 })).toHaveLength(1);

      expect(await store().progress.deleteProgress([a.registration])).toBe(1);
      expect((await store().progress.findProgress({ courseId })).map((x) => x.registration)).toEqual([b.registration]);
    });

    it('reads brief course rows of an organization, of some of its people, without activity lists', async () => {
      const orgId = unique('org');
      const a = track({ orgId });
      const b = track({ orgId });
      const b2 = track({ orgId, userId: b.userId });
      const elsewhere = track({ userId: a.userId });
      for (const t of [a, b, b2, elsewhere]) await store().progress.insertProgressTrack(t);
      await store().progress.applyProgress([delta(a.registration, { completion: 'completed', timeMs: 90_000, attempts: 1, lastActivityAt: '2024-03-01T00:00:00.000Z', score: { at: '2024-03-01T00:00:00.000Z', scaled: 0.5 } })]);
      const all = await store().progress.findProgressBriefs({ orgId });
      expect(all.map((x) => x.registration).sort()).toEqual([a.registration, b.registration, b2.registration].sort());
      const first = all.find((x) => x.registration === a.registration);
      expect(first).toEqual({
        registration: a.registration, courseId: a.courseId, userId: a.userId, createdAt: a.createdAt, completion: 'completed', success: 'unknown', scoreScaled: 0.5,
        satisfied: false, waived: false, timeSeconds: 90, attempts: 1, statements: 1, lastActivityAt: '2024-03-01T00:00:00.000Z', updatedAt: '2024-01-02T00:00:00.000Z', doneAt: '2024-03-01T00:00:00.000Z',
      });
      // The same status as the full row.
      const [full] = await store().progress.findProgress({ registration: a.registration });
      expect(first).toEqual(expect.objectContaining({ completion: full?.completion, timeSeconds: full?.timeSeconds, lastActivityAt: full?.lastActivityAt, doneAt: full?.doneAt }));
      expect((await store().progress.findProgressBriefs({ orgId, userIds: [b.userId, unique('nobody')] })).map((x) => x.registration).sort()).toEqual([b.registration, b2.registration].sort());
      expect(await store().progress.findProgressBriefs({ orgId, userIds: [] })).toEqual([]);
      expect(await store().progress.findProgressBriefs({ orgId: unique('org') })).toEqual([]);
    });

    it('stores cmi5 sessions, finds them by token and open state, and updates them conditionally', async () => {
      const s = session();
      await store().cmi5.insertCmi5Session(s);
      await expect(store().cmi5.insertCmi5Session(s)).rejects.toMatchObject({ code: 'conflict' });
      expect(await store().cmi5.findCmi5Session(s.id)).toEqual(s);
      expect(await store().cmi5.findCmi5Session(randomUUID())).toBeUndefined();
      const later = session({ registration: s.registration, launchedAt: '2024-01-02T00:00:00.000Z' });
      await store().cmi5.insertCmi5Session(later);
      expect((await store().cmi5.findOpenCmi5Sessions(s.registration)).map((x) => x.id)).toEqual([s.id, later.id]);

      const tokenId = randomUUID();
      expect(await store().cmi5.updateCmi5Session(s.id, { tokenId, state: 'initialized' }, ['launched'])).toMatchObject({ tokenId, state: 'initialized' });
      expect(await store().cmi5.updateCmi5Session(s.id, { state: 'initialized' }, ['launched'])).toBeUndefined();
      expect((await store().cmi5.findCmi5SessionByToken(tokenId))?.id).toBe(s.id);
      await store().cmi5.updateCmi5Session(s.id, { state: 'terminated', endedAt: '2024-01-03T00:00:00.000Z', lastStatementAt: '2024-01-03T00:00:00.000Z' });
      expect((await store().cmi5.findOpenCmi5Sessions(s.registration)).map((x) => x.id)).toEqual([later.id]);
    });

    it('makes marks once-only, also under concurrent calls', async () => {
      const reg = randomUUID();
      const results = await Promise.all(['s1', 's2', 's3'].map((id) => store().cmi5.insertCmi5Mark(reg, 'completed|http://x.y/au', id)));
      const winners = results.filter((r) => r === undefined);
      expect(winners).toHaveLength(1);
      const first = ['s1', 's2', 's3'][results.indexOf(undefined)];
      expect(results.filter((r) => r !== undefined)).toEqual([first, first]);
      await store().cmi5.insertCmi5Mark(reg, 'passed|http://x.y/au', 's9');
      expect(await store().cmi5.findCmi5Marks(reg)).toEqual(['completed|http://x.y/au', 'passed|http://x.y/au']);
      expect(await store().cmi5.findCmi5Marks(randomUUID())).toEqual([]);
    });
  });
}
