import { Binary, MongoBulkWriteError, type AnyBulkWriteOperation } from 'mongodb';
import { AppError, conflict } from '../../errors';
import type { AttachmentContent, InsertResult, NewStatement } from '../ports';
import type { AttachmentDoc, Collections, StatementDoc } from './collections';
import { isDuplicateKeyError, toAppError } from './errors';
import { toIsoMillis } from './iso-time';
import type { SeqClaims, Top } from './sequence';
import { applyLinks, insertLinks, undoLinks, type LinkEffects } from './statement-links';
import { isInheritableRef } from '../ref-kinds';

/** Claims lost to other instances before giving up with 503. */
const MAX_CLAIM_ATTEMPTS = 50;

/**
 * Stores statement batches all-or-nothing WITHOUT transactions (they need a replica set, and
 * FerretDB 1.x has none): one ordered insertMany claims the seq range (sequence.ts), then the
 * link side effects run (voiding, ref inheritance); when any step fails, the documents this call
 * inserted are deleted (matched by id AND their seq range, so another writer's documents are
 * never touched) and the side effects undone. Trade-off: until that rollback, readers can see
 * part of a failed batch, and a process killed mid-batch leaves that part behind. A successful
 * call has written everything, durably (w: majority, journal).
 */
export function createStatementInserter(
  c: Collections,
  claims: SeqClaims,
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

    const docs = await claims.exclusive(() => claim(c, claims, batch, requested));
    const effects: LinkEffects = { addedRefs: [], voidedOutside: [] };
    try {
      await insertLinks(c, docs);
      await applyLinks(c, batch, docs, effects);
    } catch (err) {
      claims.remember(undefined);
      await rollback(c, docs, effects);
      throw toAppError(err, 'storing statements');
    }
    return { inserted: batch.map((s) => s.id) };
  };
}

/** Inserts the batch at the top of the seq order, retrying when another instance got there first. */
async function claim(
  c: Collections,
  claims: SeqClaims,
  batch: readonly NewStatement[],
  requested: readonly string[],
): Promise<StatementDoc[]> {
  for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
    let docs: StatementDoc[] = [];
    try {
      docs = buildDocs(batch, requested, await claims.guessTop());
      await c.statements.insertMany(docs, { ordered: true });
      const last = docs[docs.length - 1];
      claims.remember(last ? { seq: last.seq, stored: last.stored } : undefined);
      return docs;
    } catch (err) {
      claims.remember(undefined);
      // An ordered insertMany that fails midway has written the docs before the failing one.
      await deleteOwn(c, docs).catch(() => undefined);
      if (!isDuplicateKeyError(err)) throw toAppError(err, 'storing statements');
      const id = failingId(err, docs);
      if (id === undefined || (await c.statements.countDocuments({ _id: id }, { limit: 1 })) > 0) {
        throw conflict(`statement id ${id ?? '(unknown)'} is already stored`);
      }
      // The id is free, so the seq was taken by another instance: re-read the top and retry.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
  throw new AppError('unavailable', 'too many concurrent statement writers; retry the request');
}

/** Seq, raised stored times and refs (own + inherited from targets inside the batch). */
function buildDocs(batch: readonly NewStatement[], requested: readonly string[], top: Top): StatementDoc[] {
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

  let floor = top.stored;
  return batch.map((s, i) => {
    const want = requested[i] ?? floor;
    const stored = want < floor ? floor : want;
    floor = stored;
    const statement = s.statement['stored'] === stored ? s.statement : { ...s.statement, stored };
    const doc: StatementDoc = {
      _id: s.id,
      seq: top.seq + i + 1,
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

/** Deletes this call's documents: same id and a seq of this claim. */
async function deleteOwn(c: Collections, docs: readonly StatementDoc[]): Promise<void> {
  const first = docs[0];
  const last = docs[docs.length - 1];
  if (!first || !last) return;
  const own = { _id: { $in: docs.map((d) => d._id) }, seq: { $gte: first.seq, $lte: last.seq } };
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
