import { randomUUID } from 'node:crypto';
import type { LearningDayDelta, ReportAttempt, ReportInteraction } from '../../../src/store/ports';
import { itemAggregatesOf } from '../../../src/store/report-items';
import { unique, useStore, type OpenStore } from './builders';

function day(over: Partial<LearningDayDelta> & Pick<LearningDayDelta, 'seq'>): LearningDayDelta {
  return {
    day: '2030-03-04', courseId: 'c', providerOrgId: 'p', orgId: 'o', userId: 'u',
    launches: 0, completions: 0, passes: 0, failures: 0, timeMs: 0, statements: 1, ...over,
  };
}

function base(over: Partial<ReportAttempt> = {}): Omit<ReportAttempt, 'verb'> {
  return {
    id: randomUUID(), seq: 1, registration: randomUUID(), courseId: 'c', providerOrgId: 'p', orgId: 'o', userId: 'u',
    day: '2030-03-04', at: '2030-03-04T10:00:00.000Z', ...over,
  };
}

/** ReportStore contract: idempotent learning days, grouping and scoping, fact rows, voiding, erasure, reset. */
export function reportsContract(open: OpenStore): void {
  describe('reports', () => {
    const store = useStore(open);

    it('sums learning days per group, counts distinct learners and ignores a delta seen again', async () => {
      const [course, org, prov] = [unique('course'), unique('org'), unique('prov')];
      const [u1, u2] = [unique('u'), unique('u')];
      const at = { courseId: course, orgId: org, providerOrgId: prov };
      const deltas = [
        day({ ...at, userId: u1, seq: 10, launches: 1 }),
        day({ ...at, userId: u1, seq: 11, completions: 1, passes: 1 }),
        day({ ...at, userId: u2, seq: 12, launches: 1, timeMs: 60_000 }),
        // Sunday 2030-03-10 is in the same ISO week as Monday 2030-03-04; 2030-03-11 starts the next.
        day({ ...at, userId: u2, seq: 13, day: '2030-03-10', failures: 1 }),
        day({ ...at, userId: u1, seq: 14, day: '2030-03-11', launches: 1 }),
      ];
      await store().reports.applyLearningDays(deltas);
      // The same batch again (a redelivery after a crash), and a part of it: nothing changes.
      await store().reports.applyLearningDays(deltas);
      await store().reports.applyLearningDays(deltas.slice(1, 3));

      const scope = { courseIds: [course] };
      expect(await store().reports.findLearningTotals(scope, 'none')).toEqual([
        { key: '', learners: 2, launches: 3, completions: 1, passes: 1, failures: 1, timeMs: 60_000, statements: 5 },
      ]);
      const byDay = await store().reports.findLearningTotals(scope, 'day');
      expect(byDay.map((r) => [r.key, r.learners, r.statements])).toEqual([['2030-03-04', 2, 3], ['2030-03-10', 1, 1], ['2030-03-11', 1, 1]]);
      const byWeek = await store().reports.findLearningTotals(scope, 'week');
      expect(byWeek.map((r) => [r.key, r.learners, r.statements])).toEqual([['2030-03-04', 2, 4], ['2030-03-11', 1, 1]]);
      const byMonth = await store().reports.findLearningTotals(scope, 'month');
      expect(byMonth.map((r) => [r.key, r.learners])).toEqual([['2030-03', 2]]);
      const byUser = await store().reports.findLearningTotals(scope, 'user');
      expect(byUser.map((r) => [r.key, r.statements]).sort()).toEqual([[u1, 3], [u2, 2]].sort());
      const byOrg = await store().reports.findLearningTotals({ providerOrgIds: [prov] }, 'org');
      expect(byOrg.map((r) => r.key)).toEqual([org]);
      expect(await store().reports.findLearningTotals({ ...scope, from: '2030-03-05', to: '2030-03-10' }, 'none'))
        .toMatchObject([{ learners: 1, statements: 1, failures: 1 }]);
      expect(await store().reports.findLearningTotals({ orgIds: [] }, 'none')).toEqual([]);
      expect(await store().reports.findLearningTotals({ courseIds: [unique('none')] }, 'day')).toEqual([]);

      // Several groupings from one read answer exactly what one read per grouping answers.
      const groups = ['none', 'day', 'week', 'month', 'course', 'org', 'provider', 'user'] as const;
      for (const s of [scope, { providerOrgIds: [prov] }, { ...scope, from: '2030-03-05', to: '2030-03-10' }, { orgIds: [] }, { orgIds: [org], courseIds: [course], userIds: [u2] }]) {
        const one = await Promise.all(groups.map((g) => store().reports.findLearningTotals(s, g)));
        expect(await store().reports.findLearningTotalsByGroups(s, groups)).toEqual(one);
      }
      expect(await store().reports.findLearningTotalsByGroups(scope, ['month', 'none'])).toEqual([
        [{ key: '2030-03', learners: 2, launches: 3, completions: 1, passes: 1, failures: 1, timeMs: 60_000, statements: 5 }],
        [{ key: '', learners: 2, launches: 3, completions: 1, passes: 1, failures: 1, timeMs: 60_000, statements: 5 }],
      ]);
      expect(await store().reports.findLearningTotalsByGroups(scope, [])).toEqual([]);
    });

    it('changes the learning-day stamp with every change of the rows, and only then', async () => {
      const course = unique('course');
      const v0 = await store().reports.findLearningDaysVersion();
      expect(await store().reports.findLearningDaysVersion()).toBe(v0);
      await store().reports.applyLearningDays([day({ courseId: course, userId: unique('u'), seq: 1 })]);
      const v1 = await store().reports.findLearningDaysVersion();
      expect(v1).not.toBe(v0);
      await store().reports.insertAttempts([{ ...base({ courseId: course }), verb: 'completed', completed: true }]);
      expect(await store().reports.findLearningDaysVersion()).toBe(v1);
      const u = unique('u');
      await store().reports.applyLearningDays([day({ courseId: course, userId: u, seq: 2 })]);
      const v2 = await store().reports.findLearningDaysVersion();
      expect(v2).not.toBe(v1);
      await store().reports.deleteReportUser(u, ['days']);
      const v3 = await store().reports.findLearningDaysVersion();
      expect(v3).not.toBe(v2);
      await store().reports.resetReports(['days']);
      expect(await store().reports.findLearningDaysVersion()).not.toBe(v3);
    });

    it('applies the rest of a redelivered batch cut at another place, and undoes with a later negative delta', async () => {
      const course = unique('course');
      const a = day({ courseId: course, seq: 20, launches: 1 });
      const b = day({ courseId: course, seq: 21, passes: 1 });
      const c = day({ courseId: course, seq: 22, completions: 1 });
      await store().reports.applyLearningDays([a, b]);
      await store().reports.applyLearningDays([b, c]);
      expect(await store().reports.findLearningTotals({ courseIds: [course] }, 'none'))
        .toMatchObject([{ learners: 1, launches: 1, passes: 1, completions: 1, statements: 3 }]);
      // Voiding b: its part comes off at the voiding statement's seq.
      await store().reports.applyLearningDays([{ ...b, seq: 30, passes: -1, statements: -1 }]);
      expect(await store().reports.findLearningTotals({ courseIds: [course] }, 'none'))
        .toMatchObject([{ passes: 0, statements: 2 }]);
    });

    it('keeps attempts and interactions once per statement, scoped, and deletes them by statement and by person', async () => {
      const course = unique('course');
      const [u1, u2] = [unique('u'), unique('u')];
      const attempts: ReportAttempt[] = [
        { ...base({ courseId: course, userId: u1, seq: 5 }), verb: 'passed', scoreScaled: 0.92, success: true, completed: true, durationMs: 720_000 },
        { ...base({ courseId: course, userId: u2, seq: 6, day: '2030-04-01' }), verb: 'terminated', durationMs: 1000 },
      ];
      await store().reports.insertAttempts(attempts);
      await store().reports.insertAttempts([{ ...attempts[0]!, scoreScaled: 0.1 }]);
      const found = await store().reports.findAttempts({ courseIds: [course] });
      expect(found).toEqual(attempts);
      expect(await store().reports.findAttempts({ courseIds: [course], to: '2030-03-31' })).toEqual([attempts[0]]);
      expect(await store().reports.findAttempts({ courseIds: [course] }, 1)).toHaveLength(1);

      const q = 'http://example.com/q.1';
      const answers: ReportInteraction[] = [
        { ...base({ courseId: course, userId: u1, seq: 7 }), activityId: q, name: 'Capital?', interactionType: 'choice', response: 'paris', correct: true, durationMs: 3000 },
        { ...base({ courseId: course, userId: u2, seq: 8 }), activityId: q, name: 'Capital?', interactionType: 'choice', response: 'lyon', correct: false },
        { ...base({ courseId: course, userId: u2, seq: 9 }), activityId: q, name: '', interactionType: '', response: '' },
      ];
      await store().reports.insertInteractions(answers);
      await store().reports.insertInteractions(answers.slice(0, 1));
      expect(await store().reports.findInteractions({ courseIds: [course] })).toEqual(answers);
      expect(await store().reports.findInteractions({ courseIds: [course], userIds: [u1] })).toEqual([answers[0]]);

      expect(await store().reports.deleteReportFacts('interactions', [answers[1]!.id, randomUUID()])).toBe(1);
      expect(await store().reports.deleteReportFacts('attempts', [])).toBe(0);
      await store().reports.applyLearningDays([day({ courseId: course, userId: u2, seq: 1 }), day({ courseId: course, userId: u1, seq: 1 })]);
      expect(await store().reports.deleteReportUser(u2, ['days', 'attempts', 'interactions'])).toBe(3);
      expect(await store().reports.deleteReportUser(u2, ['days', 'attempts', 'interactions'])).toBe(0);
      expect((await store().reports.findAttempts({ courseIds: [course] })).map((a) => a.userId)).toEqual([u1]);
      expect((await store().reports.findInteractions({ courseIds: [course] })).map((a) => a.userId)).toEqual([u1]);
      expect(await store().reports.findLearningTotals({ courseIds: [course] }, 'user')).toMatchObject([{ key: u1 }]);
    });

    it('sums answers per question as the rows say (item analysis)', async () => {
      const course = unique('course');
      const [q1, q2] = ['http://example.com/q.b', 'http://example.com/q.a'];
      const users = [unique('u'), unique('u'), unique('u')];
      const rows: ReportInteraction[] = [];
      let seq = 100;
      for (const [i, u] of users.entries()) {
        for (const q of [q1, q2]) {
          seq += 1;
          rows.push({
            ...base({ courseId: course, userId: u, orgId: i === 2 ? 'o2' : 'o1', seq, day: i === 0 ? '2030-03-01' : '2030-04-01' }),
            activityId: q, name: q === q1 && i === 0 ? '' : `Name ${q} ${i}`, interactionType: i === 0 ? 'other' : 'choice',
            response: ['a', 'b', 'b'][i]!, ...(i < 2 ? { correct: i === 0 } : {}), ...(i !== 1 ? { durationMs: 1000 * (i + 1) } : {}),
          });
        }
      }
      // One more wrong answer of the first learner, with a response of its own.
      rows.push({ ...base({ courseId: course, userId: users[0]!, orgId: 'o1', seq: 200, day: '2030-04-02' }), activityId: q1, name: '', interactionType: '', response: 'c', correct: false });
      await store().reports.insertInteractions(rows);
      const all = await store().reports.findItemStats({ courseIds: [course] });
      expect(all).toEqual(itemAggregatesOf(await store().reports.findInteractions({ courseIds: [course] })));
      expect(all.map((a) => a.activityId)).toEqual([q2, q1]);
      expect(all[1]).toEqual({
        activityId: q1, name: `Name ${q1} 1`, interactionType: 'choice', answers: 4, learners: 3, orgIds: ['o1', 'o2'], judged: 3, correct: 1,
        timed: 2, timeMs: 4000, wrong: [{ response: 'b', count: 1 }, { response: 'c', count: 1 }],
      });
      expect(all[0]).toMatchObject({ name: `Name ${q2} 0`, interactionType: 'other' });
      for (const scope of [{ courseIds: [course], from: '2030-04-01' }, { courseIds: [course], orgIds: ['o2'] }, { courseIds: [course], userIds: [users[0]!] }]) {
        expect(await store().reports.findItemStats(scope)).toEqual(itemAggregatesOf(await store().reports.findInteractions(scope)));
      }
      expect(await store().reports.findItemStats({ courseIds: [course], orgIds: [] })).toEqual([]);
    });

    it('resets only the projections named', async () => {
      const course = unique('course');
      await store().reports.applyLearningDays([day({ courseId: course, seq: 1 })]);
      await store().reports.insertAttempts([{ ...base({ courseId: course }), verb: 'completed', completed: true }]);
      await store().reports.resetReports(['attempts']);
      expect(await store().reports.findAttempts({ courseIds: [course] })).toEqual([]);
      expect(await store().reports.findLearningTotals({ courseIds: [course] }, 'none')).toHaveLength(1);
      await store().reports.resetReports(['days', 'interactions']);
      expect(await store().reports.findLearningTotals({ courseIds: [course] }, 'none')).toEqual([]);
    });

    it('keeps saved reports per organization: listed by name, replaced by id, never read or deleted from another organization', async () => {
      const [org, other] = [unique('org'), unique('org')];
      const r = { id: randomUUID(), orgId: org, name: 'Zeta', report: 'overview', params: { from: '2030-05-01', to: '2030-05-31' }, createdBy: 'u1', createdAt: '2030-06-01T00:00:00.000Z' };
      const r2 = { ...r, id: randomUUID(), name: 'Alpha', report: 'statements', params: { verb: 'completed' } };
      await store().reports.putSavedReport(r);
      await store().reports.putSavedReport(r2);
      expect((await store().reports.listSavedReports(org)).map((x) => x.name)).toEqual(['Alpha', 'Zeta']);
      expect(await store().reports.getSavedReport(org, r.id)).toEqual(r);
      expect(await store().reports.listSavedReports(other)).toEqual([]);
      expect(await store().reports.getSavedReport(other, r.id)).toBeUndefined();
      expect(await store().reports.deleteSavedReport(other, r.id)).toBe(false);
      await store().reports.putSavedReport({ ...r, name: 'Renamed' });
      expect((await store().reports.getSavedReport(org, r.id))?.name).toBe('Renamed');
      expect(await store().reports.deleteSavedReport(org, r.id)).toBe(true);
      expect(await store().reports.getSavedReport(org, r.id)).toBeUndefined();
      expect((await store().reports.listSavedReports(org)).map((x) => x.id)).toEqual([r2.id]);
    });
  });
}
