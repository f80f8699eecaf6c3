import { Binary, MongoBulkWriteError, type AnyBulkWriteOperation } from 'mongodb';
import { AppError, conflict } from '../../errors';
import type { AttachmentContent, InsertResult, NewStatement } from '../ports';
import type { AttachmentDoc, Collections, StatementDoc } from './collections';
import { guard, isDuplicateKeyError, toAppError } from './errors';
import { toIsoMillis } from './iso-time';
import { FencedError } from './seq-lease';
import type { Claim, SeqClaims } from './sequence';
import { applyLinks, insertLinks, undoLinks, type LinkEffects } from './statement-links';
import { isInheritableRef } from '../ref-kinds';

/** Test seam: runs between the seq claim and the insert (a stalled writer in tests). */
export type BeforeInsertHook = (seqs: readonly number[]) => Promise<void>;

/** Times a batch is claimed again after a fence abandoned its claim (this instance stalled past its lease). */
const MAX_FENCED_RETRIES = 2;

/**
 * Stores statement batches all-or-nothing WITHOUT transactions (they need a replica set, and
 * FerretDB 1.x has none): seqs and stored times come from this instance's claim (sequence.ts,
 * no database round trip while it holds a block), one ordered insertMany writes the batch, then
 * the link side effects run (voiding, ref inheritance); when any step fails, the documents this
 * call inserted are deleted (matched by id AND seq, so another writer's documents are never
 * touched) and the side effects undone. The claim stays in flight until then, so the visibility
 * horizon never passes a batch that may still roll back. A successful call has written
 * everything, durably (w: majority, journal).
 */
export function createStatementInserter(
  c: Collections,
  claims: SeqClaims,
  beforeInsert?: BeforeInsertHook,
): (batch: readonly NewStatement[], attachments: readonly AttachmentContent[]) => Promise<InsertResult> {
  return async (batch, attachments) => {
    const ids = new Set<string>();
    for (const s of batch) {
      if (ids.has(s.id)) throw conflict(`statement id ${s.id} appears twice in the batch`);
      ids.add(s.id);
    }
    const requested = batch.map((s, i) => toIsoMillis(s.stored, `statements[${i}].stored`));
    // Attachments first: content-addressed and idempotent, so one left by a failed batch is harmless.
    if (attachments.length > 0) await storeAttachments(c, attachments);
    if (batch.length === 0) return { inserted: [] };

    for (let attempt = 0; ; attempt++) {
      const claim = await guard('claiming statement seqs', async () => {
        try {
          return await claims.claim(requested);
        } catch (err) {
          // Fenced again and again: this instance cannot keep a lease (database unreachable or far too slow).
          if (err instanceof FencedError) throw new AppError('unavailable', 'the statement store cannot claim sequence numbers now; retry the request');
          throw err;
        }
      });
      const docs = buildDocs(batch, claim);
      try {
        if (beforeInsert) await beforeInsert(claim.seqs);
        await c.statements.insertMany(docs, { ordered: true });
      } catch (err) {
        // An ordered insertMany that fails midway has written the docs before the failing one.
        await deleteOwn(c, docs).catch(() => undefined);
        if (!isDuplicateKeyError(err)) {
          claim.settle();
          throw toAppError(err, 'storing statements');
        }
        const id = failingId(err, docs);
        if (id === undefined || (await c.statements.countDocuments({ _id: id }, { limit: 1 })) > 0) {
          claim.settle();
          throw conflict(`statement id ${id ?? '(unknown)'} is already stored`);
        }
        // The id is free, so a seq of ours is taken: only a fence does that (we stalled past our
        // lease and another instance abandoned our claim). Claim again under a new lease.
        await claims.abandoned(claim);
        if (attempt >= MAX_FENCED_RETRIES) throw new AppError('unavailable', 'the statement store lost this batch\'s claim; retry the request');
        continue;
      }
      const effects: LinkEffects = { addedRefs: [], voidedOutside: [] };
      try {
        await insertLinks(c, docs);
        await applyLinks(c, batch, docs, effects);
      } catch (err) {
        await rollback(c, docs, effects);
        throw toAppError(err, 'storing statements');
      } finally {
        claim.settle();
      }
      return { inserted: batch.map((s) => s.id), lastSeq: Math.max(...docs.map((d) => d.seq)) };
    }
  };
}

/** Seq and stored from the claim, and refs (own + inherited from targets inside the batch). */
function buildDocs(batch: readonly NewStatement[], claim: Claim): StatementDoc[] {
  const byId = new Map(batch.map((s) => [s.id, s]));
  const resolved = new Map<string, Set<string>>();
  const refsOf = (s: NewStatement, visiting: Set<string>): Set<string> => {
    const done = resolved.get(s.id);
    if (done) return done;
    const refs = new Set(s.refs);
    visiting.add(s.id);
    const target = s.targetId !== undefined ? byId.get(s.targetId) : undefined;
    if (target && !visiting.has(target.id)) for (const r of refsOf(target, visiting)) if (isInheritableRef(r)) refs.add(r);
    visiting.delete(s.id);
    resolved.set(s.id, refs);
    return refs;
  };

  return batch.map((s, i) => {
    const stored = claim.stored[i] ?? s.stored;
    const statement = s.statement['stored'] === stored ? s.statement : { ...s.statement, stored };
    const doc: StatementDoc = {
      _id: s.id,
      seq: claim.seqs[i] ?? 0,
      stored,
      voided: false,
      voiding: s.voidsId !== undefined,
      refs: [...refsOf(s, new Set())],
      json: JSON.stringify(statement),
    };
    if (s.targetId !== undefined) doc.targetId = s.targetId;
    return doc;
  });
}

async function storeAttachments(c: Collections, attachments: readonly AttachmentContent[]): Promise<void> {
  const ops: AnyBulkWriteOperation<AttachmentDoc>[] = attachments.map((a) => ({
    updateOne: {
      filter: { _id: a.sha2 },
      update: { $setOnInsert: { contentType: a.contentType, content: new Binary(a.content) } },
      upsert: true,
    },
  }));
  try {
    await c.attachments.bulkWrite(ops, { ordered: false });
  } catch (err) {
    // A concurrent upsert of the same hash loses the race with E11000: the content is there.
    if (!isDuplicateKeyError(err)) throw toAppError(err, 'storing attachments');
  }
}

/** Deletes this call's documents: same id and same seq (a doc per statement, by `_id`). */
async function deleteOwn(c: Collections, docs: readonly StatementDoc[]): Promise<void> {
  if (docs.length === 0) return;
  const own = { $or: docs.map((d) => ({ _id: d._id, seq: d.seq })) };
  await c.statements.deleteMany(own);
  await c.statementLinks.deleteMany(own);
}

async function rollback(c: Collections, docs: readonly StatementDoc[], effects: LinkEffects): Promise<void> {
  try {
    await deleteOwn(c, docs);
    await undoLinks(c, effects);
  } catch {
    // Best effort: the original error is what the caller must see.
  }
}

/** The id of the document the duplicate key error stopped at. */
function failingId(err: unknown, docs: readonly StatementDoc[]): string | undefined {
  if (err instanceof MongoBulkWriteError) {
    const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
    const index = writeErrors.find((w) => w.code === 11000)?.index;
    if (index !== undefined) return docs[index]?._id;
  }
  return docs.length === 1 ? docs[0]?._id : undefined;
}
