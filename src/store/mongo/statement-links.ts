import type { AnyBulkWriteOperation } from 'mongodb';
import type { NewStatement } from '../ports';
import type { Collections, StatementDoc, StatementLinkDoc } from './collections';
import { isInheritableRef } from '../ref-kinds';
import { findByIds } from './by-ids';

/** What applyLinks changed outside the batch, so a rollback can undo it. */
export interface LinkEffects {
  /** Refs added to statements stored earlier (inheritance pushed down to them). */
  readonly addedRefs: { id: string; refs: string[] }[];
  /** Earlier statements this batch voided. */
  readonly voidedOutside: string[];
}

type LinkDoc = Pick<StatementDoc, '_id' | 'refs' | 'voiding' | 'targetId'>;
const LINK_PROJECTION = { _id: 1, refs: 1, voiding: 1, targetId: 1 } as const;

/**
 * Voiding and StatementRef inheritance against statements stored before this batch, in both
 * directions. It runs AFTER the batch is inserted, never before: two instances storing a target
 * and its referrer at the same moment each write first and read second, so at least one of them
 * sees the other (no lost link without a transaction). `$addToSet` and `$set voided` are
 * idempotent, so both seeing each other is harmless. Updates `docs[].refs` in memory.
 */
export async function applyLinks(
  c: Collections,
  batch: readonly NewStatement[],
  docs: StatementDoc[],
  effects: LinkEffects,
): Promise<void> {
  const inBatch = new Map(docs.map((d) => [d._id, d]));
  const outsideTarget = new Map<string, string>(); // batch id -> the first target outside the batch
  for (const d of docs) {
    const seen = new Set<string>([d._id]);
    let t = d.targetId;
    while (t !== undefined && inBatch.has(t) && !seen.has(t)) {
      seen.add(t);
      t = inBatch.get(t)?.targetId;
    }
    if (t !== undefined && !inBatch.has(t)) outsideTarget.set(d._id, t);
  }

  const [targets, pointing] = await Promise.all([
    outsideTarget.size > 0
      ? findByIds(c.statements, outsideTarget.values(), { projection: LINK_PROJECTION })
      : Promise.resolve([] as LinkDoc[]),
    pointingAt(c, [...inBatch.keys()]),
  ]);

  const ops: AnyBulkWriteOperation<StatementDoc>[] = [];
  // Inherit the refs of targets stored earlier (their refs already hold their own inheritance).
  const targetRefs = new Map(targets.map((t) => [t._id, t.refs]));
  for (const d of docs) {
    const t = outsideTarget.get(d._id);
    const extra = t !== undefined ? missing((targetRefs.get(t) ?? []).filter(isInheritableRef), d.refs) : [];
    if (extra.length === 0) continue;
    d.refs.push(...extra);
    ops.push({ updateOne: { filter: { _id: d._id }, update: { $addToSet: { refs: { $each: extra } } } } });
  }

  // Voiding: targets named by this batch, and batch statements voided by earlier voiding ones.
  // A voiding statement is never voided (the filter on `voiding`).
  const voidIds = new Set<string>();
  for (const s of batch) if (s.voidsId !== undefined) voidIds.add(s.voidsId);
  const earlier = pointing.filter((p) => !inBatch.has(p._id));
  for (const p of earlier) if (p.voiding && p.targetId !== undefined) voidIds.add(p.targetId);
  if (voidIds.size > 0) {
    ops.push({ updateMany: { filter: { _id: { $in: [...voidIds] }, voiding: false }, update: { $set: { voided: true } } } });
    for (const id of voidIds) if (!inBatch.has(id)) effects.voidedOutside.push(id);
  }
  if (ops.length > 0) await c.statements.bulkWrite(ops, { ordered: false });

  // Push the batch's refs down to earlier statements that refer to it, and on down their chains.
  const visited = new Set(inBatch.keys());
  let level = earlier.map((p) => ({ doc: p, from: (inBatch.get(p.targetId ?? '')?.refs ?? []).filter(isInheritableRef) }));
  while (level.length > 0) {
    const pushOps: AnyBulkWriteOperation<StatementDoc>[] = [];
    const pushed = new Map<string, string[]>();
    for (const { doc, from } of level) {
      if (visited.has(doc._id)) continue; // a cycle of references must not loop
      visited.add(doc._id);
      const fresh = missing(from, doc.refs);
      if (fresh.length === 0) continue;
      pushOps.push({ updateOne: { filter: { _id: doc._id }, update: { $addToSet: { refs: { $each: fresh } } } } });
      effects.addedRefs.push({ id: doc._id, refs: fresh });
      pushed.set(doc._id, fresh);
    }
    if (pushOps.length === 0) break;
    await c.statements.bulkWrite(pushOps, { ordered: false });
    const children = await pointingAt(c, [...pushed.keys()]);
    level = children.map((ch) => ({ doc: ch, from: pushed.get(ch.targetId ?? '') ?? [] }));
  }
}

/** Undoes applyLinks for a batch that was deleted again. Refs another writer added meanwhile
 * with the same value would go too: accepted, as it needs a failure and a race at once. */
export async function undoLinks(c: Collections, effects: LinkEffects): Promise<void> {
  const ops: AnyBulkWriteOperation<StatementDoc>[] = effects.addedRefs.map((a) => ({
    updateOne: { filter: { _id: a.id }, update: { $pullAll: { refs: a.refs } } },
  }));
  for (const id of effects.voidedOutside) {
    // Still voided only if another (stored) voiding statement names it.
    const stillVoided = (await c.statementLinks.countDocuments({ targetId: id, voiding: true }, { limit: 1 })) > 0;
    ops.push({ updateOne: { filter: { _id: id, voiding: false }, update: { $set: { voided: stillVoided } } } });
  }
  if (ops.length > 0) await c.statements.bulkWrite(ops, { ordered: false });
}

/** Stored statements whose object points at one of `ids`: found through statement_links. */
async function pointingAt(c: Collections, ids: readonly string[]): Promise<LinkDoc[]> {
  if (ids.length === 0) return [];
  const links = await c.statementLinks.find({ targetId: { $in: [...ids] } }, { projection: { _id: 1 } }).toArray();
  if (links.length === 0) return [];
  return findByIds(c.statements, links.map((l) => l._id), { projection: LINK_PROJECTION });
}

/** Records the links of the batch's pointing statements (before applyLinks reads any). */
export async function insertLinks(c: Collections, docs: readonly StatementDoc[]): Promise<void> {
  const ops: AnyBulkWriteOperation<StatementLinkDoc>[] = [];
  for (const d of docs) {
    if (d.targetId === undefined) continue;
    // Upsert: a process killed mid-batch may have left this link behind with the same id.
    ops.push({ replaceOne: { filter: { _id: d._id }, replacement: { seq: d.seq, targetId: d.targetId, voiding: d.voiding }, upsert: true } });
  }
  if (ops.length > 0) await c.statementLinks.bulkWrite(ops, { ordered: false });
}

function missing(from: readonly string[], have: readonly string[]): string[] {
  const set = new Set(have);
  return [...new Set(from)].filter((r) => !set.has(r));
}
