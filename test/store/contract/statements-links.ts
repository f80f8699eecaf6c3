import type { NewStatement, Store } from '../../../src/store/ports';
import {
  credentialKey, directActivityKey, idsOf, relatedActivityKey, statement, unique, verbKey } from './builders';

/** Voiding and StatementRef inheritance, whatever order the statements arrive in. */
export function linkCases(store: () => Store): void {
  const ids = async (allRefs: readonly string[]): Promise<string[]> =>
    idsOf((await store().statements.findStatements({ allRefs, ascending: true, limit: 100 })).statements);
  const voidedFlag = async (id: string): Promise<boolean | undefined> =>
    (await store().statements.findStatementsByIds([id]))[0]?.voided;
  const newActivity = (): string => `http://example.com/act/${unique('link')}`;

  describe('voiding', () => {
    it('excludes a voided statement from queries but still returns it by id, flagged', async () => {
      const activity = newActivity();
      const target = statement({ activity });
      const other = statement({ activity });
      await store().statements.insertStatements([target, other], []);
      const voiding = statement({ voids: target.id });
      await store().statements.insertStatements([voiding], []);

      expect(await voidedFlag(target.id)).toBe(true);
      expect(await voidedFlag(voiding.id)).toBe(false);
      const found = await ids([directActivityKey(activity)]);
      expect(found).not.toContain(target.id);
      expect(found).toContain(other.id);
      // The voiding statement refers to a matching statement, so it inherits its keys.
      expect(found).toContain(voiding.id);
    });

    it('voids a statement that arrives after its voiding statement', async () => {
      const activity = newActivity();
      const target = statement({ activity });
      const voiding = statement({ voids: target.id });
      await store().statements.insertStatements([voiding], []);
      await store().statements.insertStatements([target], []);
      expect(await voidedFlag(target.id)).toBe(true);
      expect(await ids([directActivityKey(activity)])).toEqual([voiding.id]);
    });

    it('voids within one batch in either order', async () => {
      const a = statement();
      const b = statement();
      await store().statements.insertStatements([statement({ voids: a.id }), a, b, statement({ voids: b.id })], []);
      expect(await voidedFlag(a.id)).toBe(true);
      expect(await voidedFlag(b.id)).toBe(true);
    });

    it('never voids a voiding statement, whichever arrives first', async () => {
      const target = statement();
      const firstVoid = statement({ voids: target.id });
      await store().statements.insertStatements([target, firstVoid], []);
      await store().statements.insertStatements([statement({ voids: firstVoid.id })], []);
      expect(await voidedFlag(firstVoid.id)).toBe(false);

      const laterVoid = statement({ voids: statement().id });
      await store().statements.insertStatements([statement({ voids: laterVoid.id })], []);
      await store().statements.insertStatements([laterVoid], []);
      expect(await voidedFlag(laterVoid.id)).toBe(false);
    });

    it('does not void through a plain StatementRef', async () => {
      const target = statement();
      await store().statements.insertStatements([target, statement({ targetId: target.id })], []);
      expect(await voidedFlag(target.id)).toBe(false);
    });
  });

  describe('StatementRef inheritance', () => {
    it('gives a referring statement the keys of a target stored before it', async () => {
      const activity = newActivity();
      const target = statement({ activity });
      await store().statements.insertStatements([target], []);
      const ref = statement({ targetId: target.id });
      await store().statements.insertStatements([ref], []);
      expect(await ids([directActivityKey(activity)])).toEqual([target.id, ref.id]);
      // Own and inherited keys combine in one conjunction.
      expect(await ids([verbKey(String((ref.statement['verb'] as { id: string }).id)), relatedActivityKey(activity)])).toEqual([
        ref.id,
      ]);
    });

    it('gives the keys of a target that arrives later', async () => {
      const activity = newActivity();
      const target = statement({ activity });
      const ref = statement({ targetId: target.id });
      await store().statements.insertStatements([ref], []);
      expect(await ids([directActivityKey(activity)])).toEqual([]);
      await store().statements.insertStatements([target], []);
      expect(await ids([directActivityKey(activity)])).toEqual([ref.id, target.id]);
    });

    const chain = (): { a: NewStatement; b: NewStatement; c: NewStatement; activity: string } => {
      const activity = newActivity();
      const c = statement({ activity });
      const b = statement({ targetId: c.id });
      const a = statement({ targetId: b.id });
      return { a, b, c, activity };
    };

    it.each([
      ['target first', (x: ReturnType<typeof chain>) => [[x.c], [x.b], [x.a]]],
      ['target last', (x: ReturnType<typeof chain>) => [[x.a], [x.b], [x.c]]],
      ['middle last', (x: ReturnType<typeof chain>) => [[x.a], [x.c], [x.b]]],
      ['one batch, reversed', (x: ReturnType<typeof chain>) => [[x.a, x.b, x.c]]],
    ])('inherits along a chain a -> b -> c (%s)', async (_label, order) => {
      const x = chain();
      for (const batch of order(x)) await store().statements.insertStatements(batch, []);
      const found = await ids([relatedActivityKey(x.activity)]);
      expect([...found].sort()).toEqual([x.a.id, x.b.id, x.c.id].sort());
      // b's own verb with c's activity: b, and a which inherits from b; not c.
      const bVerb = String((x.b.statement['verb'] as { id: string }).id);
      expect([...(await ids([verbKey(bVerb), directActivityKey(x.activity)]))].sort()).toEqual([x.a.id, x.b.id].sort());
    });

    it.each([
      ['target first', true],
      ['target later', false],
      ['same batch', undefined],
    ])('never inherits ownership keys (k| credential, g| organization) (%s)', async (_label, targetFirst) => {
      const owner = unique('cred');
      const other = unique('cred');
      const org = `g|${unique('org')}`;
      const target = statement({ credential: owner });
      const withOrg: NewStatement = { ...target, refs: [...target.refs, org] };
      const ref = statement({ targetId: target.id, credential: other });
      if (targetFirst === undefined) await store().statements.insertStatements([ref, withOrg], []);
      else if (targetFirst) {
        await store().statements.insertStatements([withOrg], []);
        await store().statements.insertStatements([ref], []);
      } else {
        await store().statements.insertStatements([ref], []);
        await store().statements.insertStatements([withOrg], []);
      }
      expect(await ids([credentialKey(owner)])).toEqual([target.id]);
      expect(await ids([org])).toEqual([target.id]);
      expect(await ids([credentialKey(other)])).toEqual([ref.id]);
    });

    it('stops on a reference cycle', async () => {
      const activity = newActivity();
      const idA = statement().id;
      const b = statement({ targetId: idA, activity });
      const a = statement({ id: idA, targetId: b.id });
      await store().statements.insertStatements([b], []);
      await store().statements.insertStatements([a], []);
      expect((await store().statements.findStatementsByIds([a.id, b.id])).length).toBe(2);
    });
  });
}
