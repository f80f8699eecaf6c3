import { randomUUID } from 'node:crypto';
import type { ForwardTarget } from '../../../src/store/ports';
import { unique, useStore, type OpenStore } from './builders';

/** ForwardingStore contract (issue 13): targets per organization, dead letters per target. */
export function forwardingContract(open: OpenStore): void {
  describe('forwarding', () => {
    const store = useStore(open);
    const target = (orgId: string, over: Partial<ForwardTarget> = {}): ForwardTarget => ({
      id: randomUUID(), orgId, kind: 'lrs', name: unique('target'), url: 'https://lrs.example.com/xapi/',
      filter: { verbs: ['http://adlnet.gov/expapi/verbs/completed'], activityPrefixes: ['http://example.com/a/'] },
      events: [], secret: 'v1.opaque', createdAt: new Date().toISOString(), ...over,
    });

    it('stores targets per organization, in order, and deletes one with its dead letters', async () => {
      const org = unique('org');
      const a = target(org);
      const b = target(org, { kind: 'webhook', events: ['statement', 'course.passed'], filter: { verbs: [], activityPrefixes: [] }, createdBy: 'u1' });
      const other = target(unique('org'));
      for (const t of [a, b, other]) await store().forwarding.insertForwardTarget(t);
      await expect(store().forwarding.insertForwardTarget(a)).rejects.toMatchObject({ code: 'conflict' });
      expect(await store().forwarding.findForwardTargets(org)).toEqual([a, b]);
      expect((await store().forwarding.findForwardTargets()).map((t) => t.id)).toEqual(expect.arrayContaining([a.id, b.id, other.id]));
      expect(await store().forwarding.findForwardTarget(b.id)).toEqual(b);
      expect(await store().forwarding.findForwardTarget(randomUUID())).toBeUndefined();

      const letter = (seq: number) => ({ id: randomUUID(), targetId: a.id, orgId: org, seq, statementId: randomUUID(), error: 'HTTP 500', attempts: 5, at: new Date().toISOString() });
      const l2 = letter(2);
      const l1 = { ...letter(1), event: 'statement' as const };
      await store().forwarding.insertDeadLetters([l2, l1]);
      await store().forwarding.insertDeadLetters([l2]);
      expect(await store().forwarding.findDeadLetters(a.id, 10)).toEqual([l1, l2]);
      expect(await store().forwarding.findDeadLetters(a.id, 1)).toEqual([l1]);
      expect(await store().forwarding.deleteDeadLetters(a.id, [l1.id, randomUUID()])).toBe(1);
      expect(await store().forwarding.deleteDeadLetters(b.id, [l2.id])).toBe(0);
      expect(await store().forwarding.findDeadLetters(a.id, 10)).toEqual([l2]);

      expect(await store().forwarding.deleteForwardTarget(a.id)).toBe(true);
      expect(await store().forwarding.deleteForwardTarget(a.id)).toBe(false);
      expect(await store().forwarding.findDeadLetters(a.id, 10)).toEqual([]);
      expect(await store().forwarding.findForwardTargets(org)).toEqual([b]);
    });

    it('counts failures of the same batch per target, starts again for another batch, and forgets them', async () => {
      const org = unique('org');
      const a = target(org);
      const b = target(org);
      for (const t of [a, b]) await store().forwarding.insertForwardTarget(t);
      const f = store().forwarding;
      expect(await f.recordForwardFailure(a.id, 11)).toBe(1);
      expect(await f.recordForwardFailure(a.id, 11)).toBe(2);
      expect(await f.recordForwardFailure(b.id, 11)).toBe(1);
      expect(await f.recordForwardFailure(a.id, 11)).toBe(3);
      // Another batch (the queue moved on): counted from 1.
      expect(await f.recordForwardFailure(a.id, 12)).toBe(1);
      expect(await f.recordForwardFailure(a.id, 12)).toBe(2);
      await f.clearForwardFailures(a.id);
      await f.clearForwardFailures(randomUUID());
      expect(await f.recordForwardFailure(a.id, 12)).toBe(1);
      expect(await f.recordForwardFailure(b.id, 11)).toBe(2);
      // Deleting a target forgets its count.
      expect(await f.deleteForwardTarget(b.id)).toBe(true);
      expect(await f.recordForwardFailure(b.id, 11)).toBe(1);
    });
  });
}
