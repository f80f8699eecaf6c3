import { randomUUID } from 'node:crypto';
import type { Attempt, LaunchSession, Registration, Store } from '../../../src/store/ports';
import { nextStored, unique, useStore, type OpenStore } from './builders';

function registration(over: Partial<Registration> = {}): Registration {
  return {
    id: randomUUID(), userId: unique('user'), courseId: unique('course'), versionId: unique('ver'), orgId: unique('org'),
    createdAt: nextStored(), ...over,
  };
}

function attempt(registrationId: string, number: number, over: Partial<Attempt> = {}): Attempt {
  const at = nextStored();
  return {
    id: randomUUID(), registrationId, number, completion: 'unknown', success: 'unknown', totalSeconds: 0, suspended: false,
    createdAt: at, updatedAt: at, ...over,
  };
}

/** LaunchStore contract: registrations, attempts, idempotent SCO commits, launch sessions, one-time claims. */
export function launchContract(open: OpenStore): void {
  describe('launch', () => {
    const store = useStore(open);
    const launch = (): Store['launch'] => store().launch;

    it('stores registrations, lists a learner\'s newest first and refuses a second one for the same version', async () => {
      const first = registration();
      await launch().insertRegistration(first);
      const { orgId: _o, ...noOrg } = registration({ userId: first.userId, courseId: first.courseId });
      await launch().insertRegistration(noOrg);
      expect(await launch().findRegistration(first.id)).toEqual(first);
      expect(await launch().findRegistration(noOrg.id)).toEqual(noOrg);
      expect((await launch().findRegistrations({ userId: first.userId, courseId: first.courseId })).map((r) => r.id)).toEqual([noOrg.id, first.id]);
      expect(await launch().findRegistrations({ userId: unique('nobody'), courseId: first.courseId })).toEqual([]);
      await expect(launch().insertRegistration(registration({ userId: first.userId, versionId: first.versionId }))).rejects.toMatchObject({ code: 'conflict' });
      expect(await launch().findRegistration(randomUUID())).toBeUndefined();
    });

    it('finds the registrations of a list of ids in one read: those that exist, each once', async () => {
      const a = registration();
      const { orgId: _o, ...b } = registration();
      await launch().insertRegistration(a);
      await launch().insertRegistration(b);
      const missing = randomUUID();
      const found = await launch().findRegistrationsByIds([missing, b.id, a.id, b.id]);
      expect([...found].sort((x, y) => x.id.localeCompare(y.id))).toEqual([a, b].sort((x, y) => x.id.localeCompare(y.id)));
      expect(await launch().findRegistrationsByIds([missing])).toEqual([]);
      expect(await launch().findRegistrationsByIds([])).toEqual([]);
      // Erased registrations are gone from the batched read too.
      await launch().deleteUserLaunchData(a.userId);
      expect(await launch().findRegistrationsByIds([a.id, b.id])).toEqual([b]);
    });

    it('stores attempts in number order, refuses a duplicate number and applies patches', async () => {
      const reg = registration();
      await launch().insertRegistration(reg);
      const a2 = attempt(reg.id, 2);
      const a1 = attempt(reg.id, 1, { completion: 'completed', success: 'passed', scoreScaled: 0.8, completedAt: nextStored(), state: { 'a.b': { $x: 1 } } });
      await launch().insertAttempt(a2);
      await launch().insertAttempt(a1);
      expect(await launch().findAttempts(reg.id)).toEqual([a1, a2]);
      await expect(launch().insertAttempt(attempt(reg.id, 2))).rejects.toMatchObject({ code: 'conflict' });
      const at = nextStored();
      const updated = await launch().updateAttempt(a2.id, {
        completion: 'incomplete', suspended: true, lastScoId: 'sco-2', totalSeconds: 12.5, scoreScaled: 0.5, state: { k: [1, 2] }, updatedAt: at,
      });
      expect(updated).toEqual({ ...a2, completion: 'incomplete', suspended: true, lastScoId: 'sco-2', totalSeconds: 12.5, scoreScaled: 0.5, state: { k: [1, 2] }, updatedAt: at });
      const cleared = await launch().updateAttempt(a2.id, { scoreScaled: null, lastScoId: null, state: null, updatedAt: at });
      expect(cleared).toEqual({ ...a2, completion: 'incomplete', suspended: true, totalSeconds: 12.5, updatedAt: at });
      expect(await launch().updateAttempt(randomUUID(), { updatedAt: at })).toBeUndefined();
      expect(await launch().findAttempt(a1.id)).toEqual(a1);
    });

    it('erases a person: their registrations, attempts, runtime data and sessions, nobody else\'s', async () => {
      const mine = registration();
      const theirs = registration({ courseId: mine.courseId });
      await launch().insertRegistration(mine);
      await launch().insertRegistration(theirs);
      const a = attempt(mine.id, 1);
      const b = attempt(theirs.id, 1);
      await launch().insertAttempt(a);
      await launch().insertAttempt(b);
      await launch().commitRuntime({ attemptId: a.id, scoId: 's', seq: 1, cmi: { suspend_data: 'mine' }, updatedAt: nextStored() });
      await launch().commitRuntime({ attemptId: b.id, scoId: 's', seq: 1, cmi: { suspend_data: 'theirs' }, updatedAt: nextStored() });
      const erased = await launch().deleteUserLaunchData(mine.userId);
      expect(erased.registrations).toEqual([mine.id]);
      expect(erased.deleted).toBeGreaterThanOrEqual(3);
      expect(await launch().findRegistration(mine.id)).toBeUndefined();
      expect(await launch().findAttempts(mine.id)).toEqual([]);
      expect(await launch().findRuntime(a.id)).toEqual([]);
      expect(await launch().findRegistration(theirs.id)).toEqual(theirs);
      expect((await launch().findRuntime(b.id)).map((r) => r.cmi)).toEqual([{ suspend_data: 'theirs' }]);
      expect(await launch().deleteUserLaunchData(mine.userId)).toEqual({ registrations: [], deleted: 0 });
    });

    it('keeps the runtime data of the highest commit: a repeated or older commit is a no-op', async () => {
      const attemptId = randomUUID();
      const cmi = (loc: string): Record<string, unknown> => ({ cmi: { location: loc, suspend_data: '{"a.b":1}', interactions: { childArray: [] } } });
      expect(await launch().commitRuntime({ attemptId, scoId: 'sco-1', seq: 2, cmi: cmi('p2'), updatedAt: nextStored() })).toEqual({ applied: true, seq: 2 });
      expect(await launch().commitRuntime({ attemptId, scoId: 'sco-1', seq: 2, cmi: cmi('again'), updatedAt: nextStored() })).toEqual({ applied: false, seq: 2 });
      expect(await launch().commitRuntime({ attemptId, scoId: 'sco-1', seq: 1, cmi: cmi('older'), updatedAt: nextStored() })).toEqual({ applied: false, seq: 2 });
      expect((await launch().findRuntime(attemptId, 'sco-1'))[0]?.cmi).toEqual(cmi('p2'));
      expect(await launch().commitRuntime({ attemptId, scoId: 'sco-1', seq: 5, cmi: cmi('p5'), updatedAt: nextStored() })).toEqual({ applied: true, seq: 5 });
      await launch().commitRuntime({ attemptId, scoId: 'sco-0', seq: 1, cmi: cmi('other'), updatedAt: nextStored() });
      const all = await launch().findRuntime(attemptId);
      expect(all.map((r) => [r.scoId, r.seq, r.cmi])).toEqual([['sco-0', 1, cmi('other')], ['sco-1', 5, cmi('p5')]]);
      expect(await launch().findRuntime(attemptId, 'missing')).toEqual([]);
    });

    it('stores the SCO attempt count with the commit it came with, and only when that commit applies', async () => {
      const attemptId = randomUUID();
      const at = (): string => nextStored();
      await launch().commitRuntime({ attemptId, scoId: 'legacy', seq: 1, cmi: { cmi: {} }, updatedAt: at() });
      expect((await launch().findRuntime(attemptId, 'legacy'))[0]).not.toHaveProperty('scoAttempts');
      await launch().commitRuntime({ attemptId, scoId: 's', seq: 1, cmi: { cmi: { exit: 'normal' } }, scoAttempts: 1, updatedAt: at() });
      expect(await launch().commitRuntime({ attemptId, scoId: 's', seq: 3, cmi: { cmi: { entry: 'ab-initio' } }, scoAttempts: 2, updatedAt: at() }))
        .toEqual({ applied: true, seq: 3 });
      // An older commit (a retry from before the new SCO attempt) must not roll the count back.
      expect(await launch().commitRuntime({ attemptId, scoId: 's', seq: 2, cmi: { cmi: {} }, scoAttempts: 1, updatedAt: at() }))
        .toEqual({ applied: false, seq: 3 });
      const [stored] = await launch().findRuntime(attemptId, 's');
      expect(stored).toMatchObject({ seq: 3, scoAttempts: 2, cmi: { cmi: { entry: 'ab-initio' } } });
      expect((await launch().findRuntime(attemptId)).map((r) => [r.scoId, r.scoAttempts])).toEqual([['legacy', undefined], ['s', 2]]);
    });

    it('racing commits of one SCO keep the highest sequence number', async () => {
      const attemptId = randomUUID();
      const seqs = [3, 1, 4, 2, 5, 5];
      const outcomes = await Promise.all(seqs.map((seq) => launch().commitRuntime({ attemptId, scoId: 's', seq, cmi: { seq }, updatedAt: nextStored() })));
      // Lower commits may apply before the highest arrives; the highest always wins in the end.
      expect(outcomes.every((o) => o.seq >= 1 && o.seq <= 5)).toBe(true);
      expect(outcomes.slice(4).some((o) => o.applied)).toBe(true);
      expect(await launch().commitRuntime({ attemptId, scoId: 's', seq: 4, cmi: { seq: 4 }, updatedAt: nextStored() })).toEqual({ applied: false, seq: 5 });
      expect((await launch().findRuntime(attemptId, 's'))[0]).toMatchObject({ seq: 5, cmi: { seq: 5 } });
    });

    it('lists the attempts of several registrations, by registration then number', async () => {
      const [r1, r2] = [registration(), registration()];
      const a = [attempt(r1.id, 2), attempt(r2.id, 1), attempt(r1.id, 1)];
      for (const x of a) await launch().insertAttempt(x);
      const expected = [r1, r2].sort((x, y) => (x.id < y.id ? -1 : 1)).flatMap((r) => a.filter((x) => x.registrationId === r.id).sort((x, y) => x.number - y.number));
      expect(await launch().findAttemptsOf([r2.id, r1.id, r1.id, randomUUID()])).toEqual(expected);
      expect(await launch().findAttemptsOf([])).toEqual([]);
    });

    it('raises a session\'s player time, never lowers it, and lists the sessions of attempts oldest first', async () => {
      const attemptId = randomUUID();
      const session = (createdAt: string, over: Partial<LaunchSession> = {}): LaunchSession => ({
        id: randomUUID(), registrationId: randomUUID(), attemptId, userId: unique('u'), courseId: unique('c'), versionId: unique('v'),
        mode: 'normal', createdAt, expiresAt: createdAt, ...over,
      });
      const early = session(nextStored());
      const late = session(nextStored());
      const elsewhere = session(nextStored(), { attemptId: randomUUID() });
      for (const x of [late, elsewhere, early]) await launch().insertLaunchSession(x);
      expect(await launch().recordPlayerTime(early.id, 15)).toBe(true);
      expect(await launch().recordPlayerTime(early.id, 45.5)).toBe(true);
      // An older report arriving last changes nothing.
      expect(await launch().recordPlayerTime(early.id, 30)).toBe(true);
      expect(await launch().findLaunchSession(early.id)).toEqual({ ...early, playerSeconds: 45.5 });
      expect(await launch().recordPlayerTime(randomUUID(), 5)).toBe(false);
      expect(await launch().findLaunchSessions({ attemptIds: [attemptId] })).toEqual([{ ...early, playerSeconds: 45.5 }, late]);
      expect((await launch().findLaunchSessions({ attemptIds: [attemptId, elsewhere.attemptId] })).map((x) => x.id)).toEqual([early.id, late.id, elsewhere.id]);
      expect(await launch().findLaunchSessions({ attemptIds: [] })).toEqual([]);
    });

    it('stores launch sessions with their data and claims a key only once', async () => {
      const at = nextStored();
      const s: LaunchSession = {
        id: randomUUID(), registrationId: randomUUID(), attemptId: randomUUID(), userId: unique('u'), courseId: unique('c'),
        versionId: unique('v'), mode: 'review', scoId: 'sco-1', createdAt: at, expiresAt: at,
      };
      await launch().insertLaunchSession(s);
      expect(await launch().findLaunchSession(s.id)).toEqual(s);
      await expect(launch().insertLaunchSession(s)).rejects.toMatchObject({ code: 'conflict' });
      expect(await launch().updateLaunchSessionData(s.id, { 'x.y': 1 })).toEqual({ ...s, data: { 'x.y': 1 } });
      expect(await launch().updateLaunchSessionData(randomUUID(), {})).toBeUndefined();
      const key = unique('once');
      const claims = await Promise.all([launch().claimOnce(key, at), launch().claimOnce(key, at), launch().claimOnce(key, at)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await launch().claimOnce(key, at)).toBe(false);
    });
  });
}
