import type { CatalogEntry } from '../../../src/store/ports';
import { unique, useStore, type OpenStore } from './builders';

function entry(o: Partial<CatalogEntry> & { orgId: string }): CatalogEntry {
  return {
    id: unique('entry'), kind: 'course', provider: 'Regional Service', title: 'Untitled', description: '', keywords: [], competencies: [],
    language: 'en', state: 'published', visibility: 'all', visibleOrgIds: [], createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
    ...o,
  };
}

/** CatalogStore and LearningStore contract (issue 18). */
export function catalogContract(open: OpenStore): void {
  describe('catalog', () => {
    const store = useStore(open);

    it('finds published entries by prefix of every word, only where the viewer may see them', async () => {
      const word = unique('zq').replace('-', '');
      const a = unique('orgA');
      const b = unique('orgB');
      const c = unique('orgC');
      const pub = entry({ orgId: a, title: `Cataloguing ${word} basics`, description: 'Subject headings' });
      const priv = entry({ orgId: a, title: `Internal ${word}`, visibility: 'org' });
      const shared = entry({ orgId: a, title: `Shared ${word}`, visibility: 'orgs', visibleOrgIds: [b], keywords: ['metadata'] });
      const draft = entry({ orgId: a, title: `Draft ${word}`, state: 'draft' });
      for (const e of [pub, priv, shared, draft]) await store().catalog.upsertCatalogEntry(e);
      const ids = async (orgIds: string[], text: string, everything = false): Promise<string[]> =>
        (await store().catalog.searchCatalog({ viewer: { orgIds, everything }, text })).map((h) => h.entry.id).sort();
      expect(await ids([a], word)).toEqual([pub.id, priv.id, shared.id].sort());
      expect(await ids([b], word)).toEqual([pub.id, shared.id].sort());
      expect(await ids([c], word)).toEqual([pub.id]);
      expect(await ids([], word)).toEqual([pub.id]);
      expect(await ids([], word, true)).toEqual([pub.id, priv.id, shared.id].sort());
      // Prefix match of every word, over description and keywords too; case and accents ignored.
      expect(await ids([b], `${word.slice(0, -1).toUpperCase()} metad`)).toEqual([shared.id]);
      expect(await ids([a], `${word} subjéct`)).toEqual([pub.id]);
      expect(await ids([a], `${word} nothingmatches`)).toEqual([]);
      // Operators of FTS5 or regexes are words, not syntax.
      expect(await ids([a], `${word} OR "*`)).toEqual([]);
      // A title match ranks above a description match.
      const t = unique('yw').replace('-', '');
      const inTitle = entry({ orgId: a, title: `About ${t}` });
      const inBody = entry({ orgId: a, title: 'Another', description: `mentions ${t}` });
      await store().catalog.upsertCatalogEntry(inBody);
      await store().catalog.upsertCatalogEntry(inTitle);
      const hits = await store().catalog.searchCatalog({ viewer: { orgIds: [a] }, text: t });
      const byId = new Map(hits.map((h) => [h.entry.id, h.score]));
      expect(byId.get(inTitle.id)!).toBeGreaterThan(byId.get(inBody.id)!);
    });

    it('replaces an entry on upsert (its old words no longer match) and reads entries back', async () => {
      const a = unique('orgA');
      const w1 = unique('old').replace('-', '');
      const w2 = unique('new').replace('-', '');
      const e = entry({ orgId: a, title: `Course ${w1}`, ceCredits: 1.5, startsAt: '2027-01-01T10:00:00.000Z' });
      await store().catalog.upsertCatalogEntry(e);
      const renamed = { ...e, title: `Course ${w2}`, visibility: 'org' as const };
      await store().catalog.upsertCatalogEntry(renamed);
      expect(await store().catalog.searchCatalog({ viewer: { orgIds: [a] }, text: w1 })).toEqual([]);
      expect((await store().catalog.searchCatalog({ viewer: { orgIds: [a] }, text: w2 })).map((h) => h.entry)).toEqual([renamed]);
      expect(await store().catalog.searchCatalog({ viewer: { orgIds: ['other'] }, text: w2 })).toEqual([]);
      expect(await store().catalog.findCatalogEntry(e.id)).toEqual(renamed);
      expect(await store().catalog.findCatalogEntry('nope')).toBeUndefined();
      expect(await store().catalog.findCatalogEntries([e.id, 'nope'])).toEqual([renamed]);
      expect(await store().catalog.findCatalogEntries([])).toEqual([]);
    });

    it("lists an organization's entries of any state, by kind, newest first", async () => {
      const a = unique('orgA');
      const older = entry({ orgId: a, kind: 'webinar', title: 'Older', createdAt: '2026-02-01T00:00:00.000Z' });
      const newer = entry({ orgId: a, kind: 'workshop', title: 'Newer', state: 'retired', visibility: 'org', createdAt: '2026-03-01T00:00:00.000Z' });
      const course = entry({ orgId: a, kind: 'course', title: 'A course', createdAt: '2026-04-01T00:00:00.000Z' });
      const elsewhere = entry({ orgId: unique('orgB'), kind: 'webinar', title: 'Theirs' });
      for (const e of [older, newer, course, elsewhere]) await store().catalog.upsertCatalogEntry(e);
      expect((await store().catalog.findOrgCatalogEntries({ orgId: a })).map((e) => e.id)).toEqual([course.id, newer.id, older.id]);
      expect(await store().catalog.findOrgCatalogEntries({ orgId: a, kinds: ['webinar', 'workshop'] })).toEqual([newer, older]);
      expect(await store().catalog.findOrgCatalogEntries({ orgId: a, kinds: [] })).toEqual([]);
      expect(await store().catalog.findOrgCatalogEntries({ orgId: unique('none') })).toEqual([]);
    });
  });

  describe('learning targets and assignments', () => {
    const store = useStore(open);

    it('keeps one target per organization', async () => {
      const a = unique('org');
      await store().learning.upsertLearningTarget({ orgId: a, ceCredits: 10, updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: 'u' });
      await store().learning.upsertLearningTarget({ orgId: a, ceCredits: 12, hours: 20, updatedAt: '2026-02-01T00:00:00.000Z', updatedBy: 'u' });
      expect(await store().learning.findLearningTargets([a, 'none'])).toEqual([{ orgId: a, ceCredits: 12, hours: 20, updatedAt: '2026-02-01T00:00:00.000Z', updatedBy: 'u' }]);
      expect(await store().learning.findLearningTargets([])).toEqual([]);
    });

    it('lists assignments of organizations by due date (none last), refuses a second id, deletes', async () => {
      const a = unique('org');
      const base = { orgId: a, entryId: 'e', required: true, createdBy: 'admin', createdAt: '2026-01-01T00:00:00.000Z' } as const;
      const late = { ...base, id: unique('as'), target: { kind: 'role' as const, role: 'learner' as const }, dueAt: '2026-06-01T00:00:00.000Z' };
      const early = { ...base, id: unique('as'), target: { kind: 'person' as const, userId: 'p1' }, dueAt: '2026-03-01T00:00:00.000Z' };
      const none = { ...base, id: unique('as'), target: { kind: 'unit' as const, unitId: 'u1' }, required: false };
      for (const x of [none, late, early]) await store().learning.insertAssignment(x);
      await expect(store().learning.insertAssignment(early)).rejects.toMatchObject({ code: 'conflict' });
      expect(await store().learning.findAssignments({ orgIds: [a] })).toEqual([early, late, none]);
      expect(await store().learning.findAssignments({ orgIds: [] })).toEqual([]);
      expect(await store().learning.findAssignment(late.id)).toEqual(late);
      expect(await store().learning.deleteAssignment(late.id)).toBe(true);
      expect(await store().learning.deleteAssignment(late.id)).toBe(false);
      expect(await store().learning.findAssignment(late.id)).toBeUndefined();
    });

    it('keeps one registration per entry and person, listed by entry or by person', async () => {
      const e = unique('opp');
      const p1 = unique('p');
      const p2 = unique('p');
      const r1 = { entryId: e, userId: p1, state: 'registered' as const, registeredAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
      const r2 = { entryId: e, userId: p2, state: 'registered' as const, registeredAt: '2026-01-02T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z' };
      await store().learning.upsertOpportunityRegistration(r2);
      await store().learning.upsertOpportunityRegistration(r1);
      const attended = { ...r1, state: 'attended' as const, updatedAt: '2026-01-05T00:00:00.000Z' };
      await store().learning.upsertOpportunityRegistration(attended);
      expect(await store().learning.findOpportunityRegistrations({ entryId: e })).toEqual([attended, r2]);
      expect(await store().learning.findOpportunityRegistrations({ userId: p2 })).toEqual([r2]);
      expect(await store().learning.findOpportunityRegistrations({})).toEqual([]);
      expect(await store().learning.findOpportunityRegistrations({ entryId: e, userIds: [p2, unique('nobody')] })).toEqual([r2]);
      expect(await store().learning.findOpportunityRegistrations({ entryId: e, userIds: [] })).toEqual([]);
      expect(await store().learning.findOpportunityRegistrations({ userIds: [p1, p2] })).toEqual([attended, r2]);
    });

    it('stores self-reports, lists them newest first, and decides a pending one once', async () => {
      const org = unique('org');
      const user = unique('p');
      const base = { userId: user, orgId: org, provider: 'State Library', kind: 'external' as const, completedOn: '2026-02-01', note: 'Certificate on file', state: 'pending' as const };
      const older = { ...base, id: unique('sr'), title: 'Older', createdAt: '2026-02-02T00:00:00.000Z', hours: 3 };
      const newer = { ...base, id: unique('sr'), title: 'Newer', createdAt: '2026-02-03T00:00:00.000Z', ceCredits: 1 };
      await store().learning.insertSelfReport(older);
      await store().learning.insertSelfReport(newer);
      await expect(store().learning.insertSelfReport(older)).rejects.toMatchObject({ code: 'conflict' });
      expect(await store().learning.findSelfReports({ orgIds: [org] })).toEqual([newer, older]);
      expect(await store().learning.findSelfReports({ userId: user })).toEqual([newer, older]);
      expect(await store().learning.findSelfReports({ orgIds: [] })).toEqual([]);
      const approved = { ...older, state: 'approved' as const, decidedBy: 'admin', decidedAt: '2026-02-04T00:00:00.000Z' };
      expect(await store().learning.decideSelfReport(approved)).toBe(true);
      expect(await store().learning.decideSelfReport({ ...older, state: 'rejected' as const })).toBe(false);
      expect(await store().learning.findSelfReport(older.id)).toEqual(approved);
      expect(await store().learning.findSelfReport('none')).toBeUndefined();
    });

    it('records each reminder once', async () => {
      const id = unique('as');
      expect(await store().learning.insertReminderMark(id, 'p', 'overdue', '2026-01-01T00:00:00.000Z')).toBe(true);
      expect(await store().learning.insertReminderMark(id, 'p', 'overdue', '2026-01-02T00:00:00.000Z')).toBe(false);
      expect(await store().learning.insertReminderMark(id, 'p', 'due-soon', '2026-01-02T00:00:00.000Z')).toBe(true);
      expect(await store().learning.hasReminderMark(id, 'p', 'due-soon')).toBe(true);
      expect(await store().learning.hasReminderMark(id, 'q', 'due-soon')).toBe(false);
      // A released claim (the mail server refused) can be claimed again, by one caller only.
      expect(await store().learning.deleteReminderMark(id, 'p', 'due-soon')).toBe(true);
      expect(await store().learning.deleteReminderMark(id, 'p', 'due-soon')).toBe(false);
      expect(await store().learning.hasReminderMark(id, 'p', 'due-soon')).toBe(false);
      const claims = await Promise.all([1, 2, 3, 4].map(() => store().learning.insertReminderMark(id, 'p', 'due-soon', '2026-01-03T00:00:00.000Z')));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });
  });
}
