import { createHash, randomUUID } from 'node:crypto';
import type { DocumentKey, NewStatement, StoredDocument } from '../../../src/store/ports';
import {
  credentialKey, directAgentKey, directActivityKey, idsOf, relatedAgentKey, statement, unique, useStore, verbKey, type OpenStore,
} from './builders';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

function withAttachment(s: NewStatement, sha2: string): NewStatement {
  const attachments = [{ usageType: 'http://example.com/usage', display: { en: 'a' }, contentType: 'text/plain', length: 1, sha2 }];
  return { ...s, statement: { ...s.statement, attachments } };
}

function doc(key: DocumentKey, text = '{"a":1}'): StoredDocument {
  const content = Buffer.from(text, 'utf8');
  return { key, contentType: 'application/json', content, etag: `"${createHash('sha1').update(content).digest('hex')}"`, updated: new Date().toISOString() };
}

/** Erasure support (issue 4): deleting by index key, restriction checks by id, orphaned attachments, documents by agent. */
export function erasureContract(open: OpenStore): void {
  describe('erasure', () => {
    const store = useStore(open);
    const query = async (allRefs: readonly string[]): Promise<string[]> =>
      idsOf((await store().statements.findStatements({ allRefs, ascending: true, limit: 100 })).statements);
    const person = (): string => `mailto:${unique('erase')}@example.com`;

    it('deletes every statement of a key and nothing else, and says how many', async () => {
      const ann = person();
      const bob = person();
      const verb = `http://example.com/verbs/${unique('v')}`;
      const annS = [statement({ actor: ann, verb }), statement({ actor: ann, verb })];
      const bobS = statement({ actor: bob, verb });
      await store().statements.insertStatements([...annS, bobS], []);

      expect(await store().statements.deleteStatementsWithRef(relatedAgentKey(`mbox:${ann}`))).toBe(2);
      expect(await store().statements.findStatementsByIds(idsOf(annS))).toEqual([]);
      expect(await query([verbKey(verb)])).toEqual([bobS.id]);
      expect(await query([directAgentKey(`mbox:${ann}`)])).toEqual([]);
      // Idempotent.
      expect(await store().statements.deleteStatementsWithRef(relatedAgentKey(`mbox:${ann}`))).toBe(0);
    });

    it('deletes voided statements, statements naming the person in context, and statements referencing theirs', async () => {
      const ann = person();
      const own = statement({ actor: ann });
      const voidedOwn = statement({ actor: ann });
      const voiding = statement({ voids: voidedOwn.id });
      const asInstructor = statement({ instructor: ann });
      const referencing = statement({ targetId: own.id });
      const unrelated = statement();
      await store().statements.insertStatements([own, voidedOwn, asInstructor, unrelated], []);
      await store().statements.insertStatements([voiding, referencing], []);

      expect(await store().statements.deleteStatementsWithRef(relatedAgentKey(`mbox:${ann}`))).toBe(5);
      const left = idsOf(await store().statements.findStatementsByIds([own.id, voidedOwn.id, voiding.id, asInstructor.id, referencing.id, unrelated.id]));
      expect(left).toEqual([unrelated.id]);
    });

    it('deletes by an ownership key only the statements that carry it themselves', async () => {
      const cred = unique('cred');
      const written = statement({ credential: cred });
      const pointing = statement({ targetId: written.id });
      await store().statements.insertStatements([written, pointing], []);
      expect(await store().statements.deleteStatementsWithRef(credentialKey(cred))).toBe(1);
      expect(idsOf(await store().statements.findStatementsByIds([written.id, pointing.id]))).toEqual([pointing.id]);
    });

    it('never hands out the seq of an erased newest statement again', async () => {
      const ann = person();
      const newest = statement({ actor: ann });
      await store().statements.insertStatements([newest], []);
      const [before] = await store().statements.findStatementsByIds([newest.id]);
      expect(await store().statements.deleteStatementsWithRef(relatedAgentKey(`mbox:${ann}`))).toBe(1);
      const next = statement();
      await store().statements.insertStatements([next], []);
      const [after] = await store().statements.findStatementsByIds([next.id]);
      expect(after!.seq).toBeGreaterThan(before!.seq);
      // The placeholder is invisible: not found by id, not in an unfiltered query.
      expect(await store().statements.findStatementsByIds([newest.id])).toEqual([]);
      const page = await store().statements.findStatements({ allRefs: [], ascending: false, limit: 5 });
      expect(page.statements.every((s) => typeof s.statement['id'] === 'string')).toBe(true);
      expect(idsOf(page.statements)).toContain(next.id);
    });

    it('tells which ids carry every key, own, ownership or inherited', async () => {
      const cred = unique('cred');
      const reg = randomUUID();
      const a = statement({ credential: cred, registration: reg });
      const b = statement({ registration: reg });
      const ref = statement({ targetId: a.id, credential: unique('other') });
      await store().statements.insertStatements([a, b, ref], []);
      const ids = [a.id, b.id, ref.id, randomUUID()];
      expect((await store().statements.findStatementIdsWithRefs(ids, [`r|${reg}`])).sort()).toEqual([a.id, b.id, ref.id].sort());
      expect(await store().statements.findStatementIdsWithRefs(ids, [`r|${reg}`, credentialKey(cred)])).toEqual([a.id]);
      expect(await store().statements.findStatementIdsWithRefs(ids, [`g|${unique('never')}`])).toEqual([]);
      expect(await store().statements.findStatementIdsWithRefs([], [`r|${reg}`])).toEqual([]);
    });

    it('deletes attachment contents only when no remaining statement declares them', async () => {
      const ann = person();
      const shared = sha(unique('shared'));
      const onlyAnn = sha(unique('only'));
      const annS = [withAttachment(statement({ actor: ann }), shared), withAttachment(statement({ actor: ann }), onlyAnn)];
      const other = withAttachment(statement(), shared);
      const contents = [shared, onlyAnn].map((h) => ({ sha2: h, contentType: 'text/plain', content: Buffer.from('x') }));
      await store().statements.insertStatements([...annS, other], contents);
      await store().statements.deleteStatementsWithRef(relatedAgentKey(`mbox:${ann}`));
      expect(await store().statements.deleteUnreferencedAttachments([shared, onlyAnn])).toBe(1);
      expect((await store().statements.findAttachments([shared, onlyAnn])).map((a) => a.sha2)).toEqual([shared]);
    });

    it('finds and deletes the State and Agent Profile documents of one agent, in every activity and registration', async () => {
      const agentKey = `mbox:${person()}`;
      const otherAgent = `mbox:${person()}`;
      const activityId = `http://example.com/act/${unique('a')}`;
      const reg = randomUUID();
      const keys: DocumentKey[] = [
        { kind: 'state', activityId, agentKey, registration: '', docId: 's1' },
        { kind: 'state', activityId: `${activityId}/2`, agentKey, registration: reg, docId: 's2' },
        { kind: 'agentProfile', activityId: '', agentKey, registration: '', docId: 'p1' },
      ];
      const others: DocumentKey[] = [
        { kind: 'state', activityId, agentKey: otherAgent, registration: '', docId: 's1' },
        { kind: 'activityProfile', activityId, agentKey: '', registration: '', docId: 'p1' },
      ];
      for (const k of [...keys, ...others]) expect(await store().documents.upsertDocument(doc(k), undefined)).toBe(true);
      // A replaced document is found once, with its latest content.
      await store().documents.upsertDocument(doc(keys[0]!, '{"a":2}'), undefined);

      const found = await store().documents.findDocumentsByAgent(agentKey);
      expect(found.map((d) => [d.key.kind, d.key.docId])).toEqual([['agentProfile', 'p1'], ['state', 's1'], ['state', 's2']]);
      expect(found.find((d) => d.key.docId === 's1')?.content.toString()).toBe('{"a":2}');

      expect(await store().documents.deleteDocumentsByAgent(agentKey)).toBe(3);
      expect(await store().documents.findDocumentsByAgent(agentKey)).toEqual([]);
      for (const k of keys) expect(await store().documents.findDocument(k)).toBeUndefined();
      for (const k of others) expect(await store().documents.findDocument(k)).toBeDefined();
      expect(await store().documents.deleteDocumentsByAgent(agentKey)).toBe(0);
      // Writing again after erasure works (a fresh document).
      expect(await store().documents.upsertDocument(doc(keys[0]!), { absent: true })).toBe(true);
    });

    it('leaves queries by other keys of the erased statements empty', async () => {
      const ann = person();
      const activity = `http://example.com/act/${unique('x')}`;
      await store().statements.insertStatements([statement({ actor: ann, activity })], []);
      await store().statements.deleteStatementsWithRef(relatedAgentKey(`mbox:${ann}`));
      expect(await query([directActivityKey(activity)])).toEqual([]);
    });
  });
}
