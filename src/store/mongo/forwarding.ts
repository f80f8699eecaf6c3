import type { Db } from 'mongodb';
import type { DeadLetter, ForwardTarget, ForwardingStore } from '../ports';
import { guard, isDuplicateKeyError, isOnlyDuplicateKeyErrors, toAppError } from './errors';

interface TargetDoc extends Omit<ForwardTarget, 'id' | 'filter' | 'events'> {
  _id: string;
  n: number;
  filter: { verbs: string[]; activityPrefixes: string[] };
  events: string[];
}
interface LetterDoc extends Omit<DeadLetter, 'id'> { _id: string }
/** Failures in a row of a target's batch starting at firstSeq (_id: the target's id). */
interface FailureDoc { _id: string; firstSeq: number; attempts: number }

/** Creates the forwarding indexes; idempotent; one createIndex per index (FerretDB). */
export async function ensureMongoForwardingIndexes(db: Db): Promise<void> {
  await db.collection('forward_targets').createIndex({ orgId: 1, n: 1 }, { name: 'org' });
  await db.collection('forward_dead_letters').createIndex({ targetId: 1, seq: 1 }, { name: 'target' });
}

let lastOrder = 0;
function nextOrder(): number {
  lastOrder = Math.max(Date.now() * 1000, lastOrder + 1);
  return lastOrder;
}

function toTarget(d: TargetDoc): ForwardTarget {
  const { _id, n: _n, ...rest } = d;
  return { ...rest, id: _id, events: d.events as ForwardTarget['events'] };
}

function toLetter(d: LetterDoc): DeadLetter {
  const { _id, ...rest } = d;
  return { ...rest, id: _id };
}

/** The MongoDB ForwardingStore. */
export function createMongoForwardingStore(db: Db): ForwardingStore {
  const targets = db.collection<TargetDoc>('forward_targets');
  const letters = db.collection<LetterDoc>('forward_dead_letters');
  const failures = db.collection<FailureDoc>('forward_failures');
  return {
    async insertForwardTarget(t) {
      const { id, ...rest } = t;
      const doc: TargetDoc = { ...rest, _id: id, n: nextOrder(), filter: { verbs: [...t.filter.verbs], activityPrefixes: [...t.filter.activityPrefixes] }, events: [...t.events] };
      await guard('storing a forwarding target', () => targets.insertOne(doc), () => `forwarding target ${id} already exists`);
    },
    async findForwardTargets(orgId) {
      const docs = await guard('listing forwarding targets', () => targets.find(orgId === undefined ? {} : { orgId }).sort({ n: 1 }).toArray());
      return docs.map(toTarget);
    },
    async findForwardTarget(id) {
      const d = await guard('reading a forwarding target', () => targets.findOne({ _id: id }));
      return d ? toTarget(d) : undefined;
    },
    async deleteForwardTarget(id) {
      await guard('deleting dead letters', () => letters.deleteMany({ targetId: id }));
      await guard('deleting a failure count', () => failures.deleteOne({ _id: id }));
      const res = await guard('deleting a forwarding target', () => targets.deleteOne({ _id: id }));
      return res.deletedCount === 1;
    },
    async insertDeadLetters(list) {
      if (list.length === 0) return;
      try {
        await letters.insertMany(list.map(({ id, ...rest }) => ({ ...rest, _id: id })), { ordered: false });
      } catch (err) {
        if (!isOnlyDuplicateKeyErrors(err) && !isDuplicateKeyError(err)) throw toAppError(err, 'storing dead letters');
      }
    },
    async findDeadLetters(targetId, limit) {
      const n = Math.max(0, Math.trunc(limit));
      if (n === 0) return [];
      const docs = await guard('listing dead letters', () => letters.find({ targetId }).sort({ seq: 1, _id: 1 }).limit(n).toArray());
      return docs.map(toLetter);
    },
    async deleteDeadLetters(targetId, ids) {
      if (ids.length === 0) return 0;
      const res = await guard('deleting dead letters', () => letters.deleteMany({ targetId, _id: { $in: [...ids] } }));
      return res.deletedCount;
    },
    async recordForwardFailure(targetId, firstSeq) {
      // Read, then replace: the target's lease holder is its only writer, so no conditional update is needed (ADR 0016).
      const d = await guard('reading a failure count', () => failures.findOne({ _id: targetId }));
      const attempts = d?.firstSeq === firstSeq ? d.attempts + 1 : 1;
      await guard('storing a failure count', () => failures.replaceOne({ _id: targetId }, { firstSeq, attempts }, { upsert: true }));
      return attempts;
    },
    async clearForwardFailures(targetId) {
      await guard('deleting a failure count', () => failures.deleteOne({ _id: targetId }));
    },
  };
}
