import type { NewStatement, StatementQuery, Store } from '../../../src/store/ports';
import {
  credentialKey, directActivityKey, directAgentKey, idsOf, registrationKey, relatedActivityKey, relatedAgentKey,
  statement, statements, unique, verbKey,
} from './builders';

type Filter = Omit<StatementQuery, 'limit' | 'afterSeq'>;

/** Every id matching `filter`, following the cursor page by page. */
async function pageThrough(store: Store, filter: Filter, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let afterSeq: number | undefined;
  let pages = 0;
  for (;;) {
    const page = await store.statements.findStatements({ ...filter, limit, ...(afterSeq !== undefined ? { afterSeq } : {}) });
    pages++;
    ids.push(...idsOf(page.statements));
    if (page.nextAfterSeq === undefined) return { ids, pages };
    afterSeq = page.nextAfterSeq;
    if (pages > 1000) throw new Error('cursor never ends');
  }
}

/** Filters, time bounds, order, limit and cursor of findStatements. */
export function queryCases(store: () => Store): void {
  const ids = async (allRefs: readonly string[], extra: Partial<Filter> = {}): Promise<string[]> =>
    (await pageThrough(store(), { allRefs, ascending: true, ...extra }, 1000)).ids;

  describe('findStatements filters', () => {
    const u = unique('f');
    const ann = `mbox:mailto:ann-${u}@example.com`;
    const bob = `mbox:mailto:bob-${u}@example.com`;
    const verbX = `http://example.com/verbs/x-${u}`;
    const verbY = `http://example.com/verbs/y-${u}`;
    const act1 = `http://example.com/act/1-${u}`;
    const act2 = `http://example.com/act/2-${u}`;
    const reg1 = `11111111-1111-4111-8111-${u.slice(-8)}1111`;
    const reg2 = `22222222-2222-4222-8222-${u.slice(-8)}2222`;
    const cred = `key-${u}`;
    let s: NewStatement[] = [];

    beforeAll(async () => {
      s = [
        statement({ actor: ann.slice(5), verb: verbX, activity: act1, registration: reg1, credential: cred }),
        statement({ actor: ann.slice(5), verb: verbY, activity: act2, parents: [act1], instructor: bob.slice(5) }),
        statement({ actor: bob.slice(5), verb: verbX, activity: act2, registration: reg2 }),
        statement({ actor: bob.slice(5), verb: verbY, activity: act1, registration: reg1, credential: cred }),
      ];
      await store().statements.insertStatements(s, []);
    });
    const pick = (...i: number[]): string[] => i.map((n) => s[n]?.id ?? '?');

    it.each([
      ['verb', () => verbKey(verbX), [0, 2]],
      ['registration', () => registrationKey(reg1), [0, 3]],
      ['direct agent', () => directAgentKey(ann), [0, 1]],
      ['related agent (actor or instructor)', () => relatedAgentKey(bob), [1, 2, 3]],
      ['direct activity', () => directActivityKey(act1), [0, 3]],
      ['related activity (object or parent)', () => relatedActivityKey(act1), [0, 1, 3]],
      ['credential', () => credentialKey(cred), [0, 3]],
    ])('matches by %s alone', async (_label, key, expected) => {
      expect(await ids([key()])).toEqual(pick(...expected));
    });

    it('matches the conjunction of several keys', async () => {
      expect(await ids([verbKey(verbX), relatedActivityKey(act1)])).toEqual(pick(0));
      expect(await ids([relatedAgentKey(bob), relatedActivityKey(act1)])).toEqual(pick(1, 3));
      expect(await ids([registrationKey(reg1), verbKey(verbY), directAgentKey(bob)])).toEqual(pick(3));
      expect(await ids([credentialKey(cred), directActivityKey(act1), relatedAgentKey(ann)])).toEqual(pick(0));
      expect(await ids([directAgentKey(ann), verbKey(verbX), directActivityKey(act2)])).toEqual([]);
    });

    it('treats a repeated key like one and an unknown key as matching nothing', async () => {
      expect(await ids([verbKey(verbX), verbKey(verbX)])).toEqual(pick(0, 2));
      expect(await ids([verbKey(`http://example.com/verbs/none-${u}`)])).toEqual([]);
      expect(await ids([verbKey(verbX), registrationKey(`none-${u}`)])).toEqual([]);
    });
  });

  describe('findStatements since / until', () => {
    const verb = `http://example.com/verbs/${unique('time')}`;
    let t: string[] = [];
    let s: string[] = [];

    beforeAll(async () => {
      const batch = statements(5, { verb });
      await store().statements.insertStatements(batch, []);
      const found = await store().statements.findStatementsByIds(idsOf(batch));
      found.sort((a, b) => a.seq - b.seq);
      s = idsOf(found);
      t = found.map((f) => f.stored);
    });
    const at = (i: number): string => t[i] ?? '';
    const pick = (...i: number[]): string[] => i.map((n) => s[n] ?? '?');

    it('has distinct stored times to test against', () => {
      expect(new Set(t).size).toBe(5);
    });

    it('excludes since itself and includes until itself', async () => {
      expect(await ids([verbKey(verb)], { since: at(1) })).toEqual(pick(2, 3, 4));
      expect(await ids([verbKey(verb)], { until: at(3) })).toEqual(pick(0, 1, 2, 3));
      expect(await ids([verbKey(verb)], { since: at(1), until: at(3) })).toEqual(pick(2, 3));
    });

    it('answers nothing for an empty or out-of-range window', async () => {
      expect(await ids([verbKey(verb)], { since: at(2), until: at(2) })).toEqual([]);
      expect(await ids([verbKey(verb)], { since: at(4) })).toEqual([]);
      expect(await ids([verbKey(verb)], { until: '2000-01-01T00:00:00.000Z' })).toEqual([]);
      expect(await ids([verbKey(verb)], { since: at(3), until: at(1) })).toEqual([]);
    });

    it('bounds a query without keys the same way', async () => {
      expect(await ids([], { since: at(0), until: at(4) })).toEqual(pick(1, 2, 3, 4));
      expect(await ids([], { since: at(0), until: at(2), ascending: false })).toEqual(pick(2, 1));
    });

    it('keeps time bounds while paging', async () => {
      const asc = await pageThrough(store(), { allRefs: [verbKey(verb)], ascending: true, since: at(0), until: at(3) }, 2);
      expect(asc.ids).toEqual(pick(1, 2, 3));
      const desc = await pageThrough(store(), { allRefs: [], ascending: false, since: at(0), until: at(4) }, 1);
      expect(desc.ids).toEqual(pick(4, 3, 2, 1));
      expect(desc.pages).toBe(4);
    });
  });

  describe('findStatements order, limit and cursor', () => {
    it('orders by seq, descending unless ascending', async () => {
      const verb = `http://example.com/verbs/${unique('order')}`;
      const batch = statements(4, { verb });
      await store().statements.insertStatements(batch.slice(0, 2), []);
      await store().statements.insertStatements(batch.slice(2), []);
      const asc = await store().statements.findStatements({ allRefs: [verbKey(verb)], ascending: true, limit: 10 });
      const desc = await store().statements.findStatements({ allRefs: [verbKey(verb)], ascending: false, limit: 10 });
      expect(idsOf(asc.statements)).toEqual(idsOf(batch));
      expect(idsOf(desc.statements)).toEqual(idsOf(batch).reverse());
      const seqs = asc.statements.map((x) => x.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(asc.nextAfterSeq).toBeUndefined();
    });

    it('cuts pages at limit and ends with no cursor exactly at the last statement', async () => {
      const verb = `http://example.com/verbs/${unique('page')}`;
      const batch = statements(7, { verb });
      await store().statements.insertStatements(batch, []);
      const q = { allRefs: [verbKey(verb)], ascending: false, limit: 3 };
      const p1 = await store().statements.findStatements(q);
      expect(idsOf(p1.statements)).toEqual(idsOf(batch).reverse().slice(0, 3));
      expect(p1.nextAfterSeq).toBe(p1.statements[2]?.seq);

      const desc = await pageThrough(store(), { allRefs: [verbKey(verb)], ascending: false }, 3);
      expect(desc).toEqual({ ids: idsOf(batch).reverse(), pages: 3 });
      const asc = await pageThrough(store(), { allRefs: [verbKey(verb)], ascending: true }, 3);
      expect(asc).toEqual({ ids: idsOf(batch), pages: 3 });
      const exact = await store().statements.findStatements({ ...q, limit: 7 });
      expect(exact.statements).toHaveLength(7);
      expect(exact.nextAfterSeq).toBeUndefined();
      const one = await pageThrough(store(), { allRefs: [verbKey(verb)], ascending: true }, 1);
      expect(one.pages).toBe(7);
    });

    it('gives the same pages as JSON text, voided statements left out', async () => {
      const verb = `http://example.com/verbs/${unique('text')}`;
      const batch = statements(5, { verb });
      await store().statements.insertStatements(batch, []);
      const voiding = statement({ verb: 'http://adlnet.gov/expapi/verbs/voided', voids: batch[1]!.id });
      await store().statements.insertStatements([voiding], []);
      for (const q of [{ allRefs: [verbKey(verb)], ascending: false, limit: 2 }, { allRefs: [verbKey(verb)], ascending: true, limit: 10 }]) {
        let afterSeq: number | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const at = { ...q, ...(afterSeq !== undefined ? { afterSeq } : {}) };
          const [parsed, texts] = [await store().statements.findStatements(at), await store().statements.findStatementTexts(at)];
          expect(texts.nextAfterSeq).toBe(parsed.nextAfterSeq);
          expect(texts.statements.map((t) => ({ id: t.id, seq: t.seq, stored: t.stored, statement: JSON.parse(t.json) as unknown })))
            .toEqual(parsed.statements.map((p) => ({ id: p.id, seq: p.seq, stored: p.stored, statement: p.statement })));
          if (parsed.nextAfterSeq === undefined) break;
          afterSeq = parsed.nextAfterSeq;
        }
      }
      const all = await store().statements.findStatementTexts({ allRefs: [verbKey(verb)], ascending: true, limit: 10 });
      // The voided statement is left out (the voiding one inherits its keys, so it is found too).
      expect(all.statements.map((t) => t.id).filter((id) => id !== voiding.id)).toEqual(idsOf(batch).filter((id) => id !== batch[1]!.id));
    });

    it('keeps a descending cursor right while new statements arrive between pages', async () => {
      const verb = `http://example.com/verbs/${unique('live')}`;
      const batch = statements(7, { verb });
      await store().statements.insertStatements(batch, []);
      const q = { allRefs: [verbKey(verb)], ascending: false, limit: 3 };
      const p1 = await store().statements.findStatements(q);
      await store().statements.insertStatements(statements(2, { verb }), []);
      const p2 = await store().statements.findStatements({ ...q, afterSeq: p1.nextAfterSeq ?? 0 });
      await store().statements.insertStatements(statements(1, { verb }), []);
      const p3 = await store().statements.findStatements({ ...q, afterSeq: p2.nextAfterSeq ?? 0 });
      expect([...idsOf(p1.statements), ...idsOf(p2.statements), ...idsOf(p3.statements)]).toEqual(idsOf(batch).reverse());
      expect(p3.nextAfterSeq).toBeUndefined();
    });

    it('lets an ascending cursor pick up statements that arrive between pages', async () => {
      const verb = `http://example.com/verbs/${unique('tail')}`;
      const batch = statements(4, { verb });
      await store().statements.insertStatements(batch, []);
      const q = { allRefs: [verbKey(verb)], ascending: true, limit: 3 };
      const p1 = await store().statements.findStatements(q);
      const later = statements(3, { verb });
      await store().statements.insertStatements(later, []);
      const rest = await pageThrough(store(), { allRefs: q.allRefs, ascending: true }, 3);
      expect(rest.ids).toEqual([...idsOf(batch), ...idsOf(later)]);
      const p2 = await store().statements.findStatements({ ...q, afterSeq: p1.nextAfterSeq ?? 0 });
      expect(idsOf(p2.statements)).toEqual([...idsOf(batch).slice(3), ...idsOf(later).slice(0, 2)]);
    });

    it('pages through all statements when there are no keys', async () => {
      const batch = statements(3);
      await store().statements.insertStatements(batch, []);
      const p1 = await store().statements.findStatements({ allRefs: [], ascending: false, limit: 2 });
      expect(idsOf(p1.statements)).toEqual(idsOf(batch).reverse().slice(0, 2));
      expect(p1.nextAfterSeq).toBeDefined();
      const p2 = await store().statements.findStatements({ allRefs: [], ascending: false, limit: 1, afterSeq: p1.nextAfterSeq ?? 0 });
      expect(idsOf(p2.statements)).toEqual([batch[0]?.id]);
    });
  });
}
