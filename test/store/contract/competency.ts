import type { Alignment, CompetencyItem, Evidence, Framework } from '../../../src/store/ports';
import { unique, useStore, type OpenStore } from './builders';

function framework(orgId: string, over: Partial<Framework> = {}): Framework {
  const id = unique('fw');
  return {
    id,
    orgId,
    identifier: unique('doc'),
    uri: `https://case.example/uri/${id}`,
    title: `Framework ${id}`,
    scale: [{ rank: 1, name: 'Aware' }, { rank: 2, name: 'Practising', description: 'does it' }],
    raw: { identifier: id, 'odd.key': { $x: 1 } },
    extras: { CFRubrics: [] },
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    ...over,
  };
}

function item(frameworkId: string, identifier: string, position: number, over: Partial<CompetencyItem> = {}): CompetencyItem {
  return { frameworkId, identifier, uri: `https://case.example/uri/${identifier}`, fullStatement: `Statement ${identifier}`, position, raw: { identifier }, ...over };
}

function evidence(over: Partial<Evidence> & Pick<Evidence, 'userId' | 'statementId' | 'alignmentId'>): Evidence {
  return {
    id: `${over.statementId}|${over.alignmentId}`,
    orgId: 'org-a',
    frameworkId: 'fw',
    itemIdentifier: 'i1',
    level: 1,
    activityId: 'https://example.org/a',
    at: '2030-01-01T00:00:00.000Z',
    ...over,
  };
}

/** CompetencyStore contract: frameworks, items, associations, alignments, evidence, self-assessments, keys, badges, credentials. */
export function competencyContract(open: OpenStore): void {
  describe('competency', () => {
    const store = useStore(open);

    it('stores frameworks, finds them by id, identifier and organization, and replaces them in place', async () => {
      const orgA = unique('org');
      const orgB = unique('org');
      const a = framework(orgA, { title: 'B title' });
      const b = framework(orgA, { title: 'A title' });
      const c = framework(orgB);
      for (const f of [a, b, c]) await store().competency.upsertFramework(f);
      expect(await store().competency.findFramework(a.id)).toEqual(a);
      expect(await store().competency.findFramework(unique('none'))).toBeUndefined();
      expect(await store().competency.findFrameworkByIdentifier(orgA, a.identifier)).toEqual(a);
      expect(await store().competency.findFrameworkByIdentifier(orgB, a.identifier)).toBeUndefined();
      expect((await store().competency.findFrameworks({ orgIds: [orgA] })).map((f) => f.id)).toEqual([b.id, a.id]);
      expect(await store().competency.findFrameworks({ orgIds: [] })).toEqual([]);
      const renamed = { ...a, title: 'C title', updatedAt: '2030-02-01T00:00:00.000Z' };
      await store().competency.upsertFramework(renamed);
      expect(await store().competency.findFramework(a.id)).toEqual(renamed);
      expect(await store().competency.findFrameworks({ orgIds: [orgA] })).toHaveLength(2);
    });

    it('stores items in position order, keeps retired ones apart, and updates by identifier', async () => {
      const fw = unique('fw');
      await store().competency.upsertItems([item(fw, 'z', 2), item(fw, 'a', 1, { parentIdentifier: 'z' }), item(fw, 'b', 1)]);
      expect((await store().competency.findItems({ frameworkId: fw })).map((i) => i.identifier)).toEqual(['a', 'b', 'z']);
      await store().competency.upsertItems([item(fw, 'b', 1, { retiredAt: '2030-03-01T00:00:00.000Z', fullStatement: 'changed' })]);
      expect((await store().competency.findItems({ frameworkId: fw })).map((i) => i.identifier)).toEqual(['a', 'z']);
      const all = await store().competency.findItems({ frameworkId: fw, includeRetired: true });
      expect(all.map((i) => i.identifier)).toEqual(['a', 'b', 'z']);
      expect(all[1]?.fullStatement).toBe('changed');
      expect((await store().competency.findItems({ frameworkId: fw, identifiers: ['z', 'nope'] })).map((i) => i.identifier)).toEqual(['z']);
      expect(await store().competency.findItems({ frameworkId: unique('fw') })).toEqual([]);
    });

    it('replaces the associations of a framework', async () => {
      const fw = unique('fw');
      const assoc = (id: string) => ({ frameworkId: fw, identifier: id, associationType: 'isChildOf', originIdentifier: 'a', destinationIdentifier: 'b', raw: { identifier: id } });
      await store().competency.replaceAssociations(fw, [assoc('2'), assoc('1')]);
      expect((await store().competency.findAssociations(fw)).map((a) => a.identifier)).toEqual(['1', '2']);
      await store().competency.replaceAssociations(fw, [assoc('3')]);
      expect(await store().competency.findAssociations(fw)).toEqual([assoc('3')]);
    });

    it('stores alignments once and finds them by organization, item, activity and course', async () => {
      const org = unique('org');
      const fw = unique('fw');
      const base: Alignment = {
        id: unique('al'), orgId: org, frameworkId: fw, itemIdentifier: 'i1', target: { kind: 'course', courseId: 'c1' },
        activityId: `https://example.org/${unique('act')}`, activityIds: [], level: 2, rule: { kind: 'scaled', min: 0.8 }, validDays: 1095, createdBy: 'u', createdAt: '2030-01-01T00:00:00.000Z',
      };
      const other: Alignment = { ...base, id: unique('al'), itemIdentifier: 'i2', target: { kind: 'activity' }, activityId: 'https://example.org/x', rule: { kind: 'verb', verb: 'http://adlnet.gov/expapi/verbs/answered' }, createdAt: '2030-01-02T00:00:00.000Z' };
      await store().competency.insertAlignment(base);
      await store().competency.insertAlignment(other);
      await expect(store().competency.insertAlignment(base)).rejects.toMatchObject({ code: 'conflict' });
      expect(await store().competency.findAlignment(base.id)).toEqual(base);
      expect((await store().competency.findAlignments({ orgIds: [org] })).map((a) => a.id)).toEqual([base.id, other.id]);
      expect((await store().competency.findAlignments({ frameworkId: fw, itemIdentifier: 'i2' })).map((a) => a.id)).toEqual([other.id]);
      expect((await store().competency.findAlignments({ orgIds: [org], activityIds: [base.activityId] })).map((a) => a.id)).toEqual([base.id]);
      expect((await store().competency.findAlignments({ orgIds: [org], courseId: 'c1' })).map((a) => a.id)).toEqual([base.id]);
      expect(await store().competency.findAlignments({ activityIds: [] })).toEqual([]);
      expect(await store().competency.deleteAlignment(base.id)).toBe(true);
      expect(await store().competency.deleteAlignment(base.id)).toBe(false);
      expect(await store().competency.findAlignment(base.id)).toBeUndefined();
    });

    it('changes the match version on every bump, and keeps it until the next', async () => {
      const v0 = await store().competency.findMatchVersion();
      await store().competency.bumpMatchVersion();
      const v1 = await store().competency.findMatchVersion();
      expect(v1).not.toBe(v0);
      expect(v1).not.toBe('');
      expect(await store().competency.findMatchVersion()).toBe(v1);
      await store().competency.bumpMatchVersion();
      expect(await store().competency.findMatchVersion()).not.toBe(v1);
    });

    it('inserts evidence idempotently, lists it newest first, and deletes it by statement, person and alignment', async () => {
      const user = unique('u');
      const other = unique('u');
      const e1 = evidence({ userId: user, statementId: unique('s'), alignmentId: 'al1', at: '2030-01-01T00:00:00.000Z' });
      const e2 = evidence({ userId: user, statementId: unique('s'), alignmentId: 'al2', at: '2030-01-03T00:00:00.000Z', itemIdentifier: 'i2' });
      const e3 = evidence({ userId: other, statementId: e1.statementId, alignmentId: 'al3' });
      expect((await store().competency.insertEvidence([e1, e2, e3])).sort()).toEqual([e1.id, e2.id, e3.id].sort());
      expect(await store().competency.insertEvidence([e1, { ...e2, level: 3 }])).toEqual([]);
      expect(await store().competency.findEvidence({ userId: user })).toEqual([e2, e1]);
      expect(await store().competency.findEvidence({ userId: user, frameworkId: 'fw', itemIdentifier: 'i2' })).toEqual([e2]);
      expect(await store().competency.findEvidence({ userId: user, limit: 1 })).toEqual([e2]);
      expect(await store().competency.findEvidence({ userId: user, orgIds: [] })).toEqual([]);
      expect((await store().competency.findEvidence({ statementIds: [e1.statementId] })).map((e) => e.id).sort()).toEqual([e1.id, e3.id].sort());
      expect(await store().competency.findEvidence({ statementIds: [e2.statementId], userId: other })).toEqual([]);
      expect(await store().competency.findEvidence({ statementIds: [] })).toEqual([]);
      expect(await store().competency.findEvidence({ userIds: [user, other, user] })).toEqual([e2, e3, e1].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? -1 : 1)));
      expect(await store().competency.findEvidence({ userIds: [other, 'nobody'] })).toEqual([e3]);
      expect(await store().competency.findEvidence({ userIds: [other], userId: user })).toEqual([]);
      expect(await store().competency.findEvidence({ userIds: [] })).toEqual([]);
      expect(await store().competency.deleteEvidence({ statementIds: [e1.statementId] })).toBe(2);
      expect(await store().competency.findEvidence({ userId: user })).toEqual([e2]);
      expect(await store().competency.findEvidence({ userId: other })).toEqual([]);
      await store().competency.insertEvidence([e1]);
      expect(await store().competency.deleteEvidence({ userId: user })).toBe(2);
      expect(await store().competency.findEvidence({ userId: user })).toEqual([]);
      await store().competency.insertEvidence([e1]);
      expect(await store().competency.deleteEvidence({ alignmentId: 'al1' })).toBeGreaterThanOrEqual(1);
      expect(await store().competency.findEvidence({ userId: user })).toEqual([]);
    });

    it('keeps a summary of each person\'s evidence per competency, equal to summing up the evidence', async () => {
      const user = unique('u');
      const e = (i: number, level: number, at: string, expiresAt?: string, item = 'i1') =>
        evidence({ userId: user, statementId: `${user}-s${i}`, alignmentId: 'al', level, at, itemIdentifier: item, ...(expiresAt ? { expiresAt } : {}) });
      const rows = [
        e(1, 1, '2030-01-01T00:00:00.000Z', '2031-01-01T00:00:00.000Z'),
        e(2, 2, '2030-01-02T00:00:00.000Z', '2030-06-01T00:00:00.000Z'),
        e(3, 2, '2030-01-03T00:00:00.000Z', '2030-05-01T00:00:00.000Z'),
        e(4, 1, '2030-01-04T00:00:00.000Z'),
        e(5, 3, '2030-01-05T00:00:00.000Z', undefined, 'i2'),
      ];
      expect(await store().competency.recordEvidence(rows.slice(0, 2))).toEqual({ created: [rows[0]!.id, rows[1]!.id], before: [] });
      const second = await store().competency.recordEvidence(rows.slice(1)); // one again: counted once
      // The summaries as they were before the call, of the pairs it added to (i1 had two pieces; i2 none).
      expect([...second.created].sort()).toEqual([rows[2]!.id, rows[3]!.id, rows[4]!.id].sort());
      expect(second.before).toEqual([expect.objectContaining({ itemIdentifier: 'i1', count: 2 })]);
      expect(await store().competency.recordEvidence(rows.slice(3))).toEqual({ created: [], before: [] });
      const [s1, s2] = await store().competency.findEvidenceSummaries(user);
      expect(s1).toEqual({
        userId: user, frameworkId: 'fw', itemIdentifier: 'i1', count: 4,
        levels: [
          { level: 1, count: 2, latestAt: '2030-01-04T00:00:00.000Z', expiresAt: null },
          { level: 2, count: 2, latestAt: '2030-01-03T00:00:00.000Z', expiresAt: '2030-06-01T00:00:00.000Z' },
        ],
        latest: [rows[3], rows[2], rows[1]],
      });
      expect(s2).toMatchObject({ itemIdentifier: 'i2', count: 1, levels: [{ level: 3, count: 1, expiresAt: null }] });
      expect(await store().competency.findEvidenceSummariesOf([{ userId: user, frameworkId: 'fw', itemIdentifier: 'i2' }, { userId: user, frameworkId: 'fw', itemIdentifier: 'none' }])).toEqual([s2]);
      expect(await store().competency.findEvidenceLevelsOf([{ userId: user, frameworkId: 'fw', itemIdentifier: 'i2' }, { userId: user, frameworkId: 'fw', itemIdentifier: 'none' }]))
        .toEqual([{ userId: s2!.userId, frameworkId: s2!.frameworkId, itemIdentifier: s2!.itemIdentifier, levels: s2!.levels }]);
      expect(await store().competency.findEvidenceLevelsOf([])).toEqual([]);
      const ofUsers = await store().competency.findEvidenceSummariesOfUsers([user, user, 'nobody-has-evidence']);
      expect([...ofUsers].sort((a, b) => a.itemIdentifier.localeCompare(b.itemIdentifier))).toEqual(await store().competency.findEvidenceSummaries(user));
      expect(await store().competency.findEvidenceSummariesOfUsers([])).toEqual([]);
      // The levels-only read: the same summaries without their latest evidence.
      const levelsOf = await store().competency.findEvidenceLevelsOfUsers([user, user, 'nobody-has-evidence']);
      expect([...levelsOf].sort((a, b) => a.itemIdentifier.localeCompare(b.itemIdentifier)))
        .toEqual((await store().competency.findEvidenceSummaries(user)).map((x) => ({ userId: x.userId, frameworkId: x.frameworkId, itemIdentifier: x.itemIdentifier, levels: x.levels })));
      expect(levelsOf.find((x) => x.itemIdentifier === 'i1')?.levels.map((l) => l.level)).toEqual([1, 2]);
      expect(await store().competency.findEvidenceLevelsOfUsers([])).toEqual([]);
      // Evidence written in this layout never asks for a rebuild (ADR 0035).
      expect(await store().competency.findEvidenceLayoutStale()).toBe(false);
      // The summaries' stamp: the same while nothing changes (evidence already recorded changes nothing), new after each change.
      const v1 = await store().competency.findEvidenceSummariesVersion();
      expect(v1).not.toBe('');
      await store().competency.insertEvidence(rows.slice(0, 1));
      expect(await store().competency.findEvidenceSummariesVersion()).toBe(v1);
      // Voiding one statement: the summary is recomputed from what is left.
      await store().competency.deleteEvidence({ statementIds: [`${user}-s3`, `${user}-s5`] });
      const v2 = await store().competency.findEvidenceSummariesVersion();
      expect(v2).not.toBe(v1);
      expect(await store().competency.findEvidenceSummaries(user)).toEqual([{
        userId: user, frameworkId: 'fw', itemIdentifier: 'i1', count: 3,
        levels: [
          { level: 1, count: 2, latestAt: '2030-01-04T00:00:00.000Z', expiresAt: null },
          { level: 2, count: 1, latestAt: '2030-01-02T00:00:00.000Z', expiresAt: '2030-06-01T00:00:00.000Z' },
        ],
        latest: [rows[3], rows[1], rows[0]],
      }]);
      // The levels read after the change (read before it too): what is left, not what was read then.
      expect(await store().competency.findEvidenceLevelsOfUsers([user])).toEqual([{
        userId: user, frameworkId: 'fw', itemIdentifier: 'i1',
        levels: [
          { level: 1, count: 2, latestAt: '2030-01-04T00:00:00.000Z', expiresAt: null },
          { level: 2, count: 1, latestAt: '2030-01-02T00:00:00.000Z', expiresAt: '2030-06-01T00:00:00.000Z' },
        ],
      }]);
      await store().competency.deleteEvidence({ userId: user });
      expect(await store().competency.findEvidenceLevelsOfUsers([user])).toEqual([]);
      expect(await store().competency.findEvidenceSummaries(user)).toEqual([]);
      expect(await store().competency.findEvidenceSummariesVersion()).not.toBe(v2);
    });

    it('keeps one self-assessment per person, organization and item, with its confirmation', async () => {
      const user = unique('u');
      const a = { userId: user, orgId: 'o1', frameworkId: 'fw', itemIdentifier: 'i1', level: 1, at: '2030-01-01T00:00:00.000Z' };
      await store().competency.upsertSelfAssessment(a);
      await store().competency.upsertSelfAssessment({ ...a, itemIdentifier: 'i0', level: 2 });
      const confirmed = { ...a, level: 2, confirmedBy: 'admin', confirmedAt: '2030-01-02T00:00:00.000Z' };
      await store().competency.upsertSelfAssessment(confirmed);
      expect(await store().competency.findSelfAssessments({ userId: user })).toEqual([{ ...a, itemIdentifier: 'i0', level: 2 }, confirmed]);
      expect(await store().competency.findSelfAssessments({ userId: user, frameworkId: 'fw', itemIdentifier: 'i1' })).toEqual([confirmed]);
      expect(await store().competency.findSelfAssessments({ userId: user, orgIds: ['o2'] })).toEqual([]);
      expect(await store().competency.deleteSelfAssessments(user)).toBe(2);
      expect(await store().competency.findSelfAssessments({ userId: user })).toEqual([]);
    });

    it('keeps signing keys newest first and retires them once', async () => {
      const org = unique('org');
      const k1 = { kid: unique('kid'), orgId: org, alg: 'ES256' as const, privatePem: 'pem1', publicJwk: { kty: 'EC' }, createdAt: '2030-01-01T00:00:00.000Z' };
      const k2 = { ...k1, kid: unique('kid'), createdAt: '2030-02-01T00:00:00.000Z' };
      await store().competency.insertSigningKey(k1);
      await store().competency.insertSigningKey(k2);
      await expect(store().competency.insertSigningKey(k1)).rejects.toMatchObject({ code: 'conflict' });
      expect(await store().competency.findSigningKeys(org)).toEqual([k2, k1]);
      expect(await store().competency.retireSigningKey(k2.kid, '2030-03-01T00:00:00.000Z')).toBe(true);
      expect(await store().competency.retireSigningKey(k2.kid, '2030-04-01T00:00:00.000Z')).toBe(false);
      expect((await store().competency.findSigningKeys(org))[0]?.retiredAt).toBe('2030-03-01T00:00:00.000Z');
    });

    it('stores badges and credentials, and revokes a credential once', async () => {
      const org = unique('org');
      const badge = { id: unique('b'), orgId: org, name: 'Reader', description: 'd', criteria: 'c', frameworkId: 'fw', itemIdentifier: 'i1', level: 2, createdAt: '2030-01-01T00:00:00.000Z' };
      const courseBadge = { id: unique('b'), orgId: org, name: 'Course', description: 'd', criteria: 'c', courseId: 'c9', createdAt: '2030-01-02T00:00:00.000Z' };
      await store().competency.upsertBadge(badge);
      await store().competency.upsertBadge(courseBadge);
      expect(await store().competency.findBadge(badge.id)).toEqual(badge);
      expect((await store().competency.findBadges({ orgIds: [org] })).map((b) => b.id)).toEqual([badge.id, courseBadge.id]);
      expect(await store().competency.findBadges({ orgIds: [org], frameworkId: 'fw', itemIdentifier: 'i1' })).toEqual([badge]);
      expect(await store().competency.findBadges({ courseId: 'c9', orgIds: [org] })).toEqual([courseBadge]);
      const cred = { id: `urn:uuid:${unique('c')}`, orgId: org, badgeId: badge.id, userId: unique('u'), jwt: 'a.b.c', issuedAt: '2030-01-05T00:00:00.000Z' };
      await store().competency.insertCredential(cred);
      await expect(store().competency.insertCredential(cred)).rejects.toMatchObject({ code: 'conflict' });
      expect(await store().competency.findCredentials({ userId: cred.userId })).toEqual([cred]);
      const revoked = await store().competency.revokeCredential(cred.id, '2030-01-06T00:00:00.000Z', 'in error');
      expect(revoked).toEqual({ ...cred, revokedAt: '2030-01-06T00:00:00.000Z', revocationReason: 'in error' });
      expect((await store().competency.revokeCredential(cred.id, '2030-01-07T00:00:00.000Z', 'again'))?.revokedAt).toBe('2030-01-06T00:00:00.000Z');
      expect(await store().competency.revokeCredential('urn:uuid:none', 'x', 'y')).toBeUndefined();
    });
  });
}
