import type { Db, Document, Filter } from 'mongodb';
import type { ProgressBrief, ProgressDelta, ProgressRecord, ProgressStore, UnitProgress } from '../ports';
import { deltaKeys, doneAtOf, toStatus } from '../progress-merge';
import { guard, isDuplicateKeyError, toAppError } from './errors';
import { findByIds } from './by-ids';

/**
 * Progress collections: `progress` (course rows, `_id` = registration) and `progress_units`
 * (`_id` = `<registration> <activity id>`). Deltas are single-document $inc/$max updates, so
 * concurrent writers on several instances merge without transactions (see the port).
 */
interface StatusDoc {
  appliedSeq?: number;
  completionRank?: number; successKey?: string; scoreKey?: string; satisfied?: boolean; waived?: boolean;
  timeMs?: number; attempts?: number; statements?: number; lastActivityAt?: string; updatedAt?: string; doneAt?: string;
}
interface TrackDoc extends StatusDoc {
  _id: string; courseId: string; versionId: string; userId: string; agentKey: string; orgId?: string;
  courseActivityIds: string[]; unitActivityIds: string[]; createdAt: string;
}
interface UnitDoc extends StatusDoc { _id: string; registration: string; activityId: string }

/** Creates the progress indexes; idempotent; one createIndex per index (FerretDB). */
export async function ensureMongoProgressIndexes(db: Db): Promise<void> {
  await db.collection('progress').createIndex({ courseId: 1, userId: 1 }, { name: 'course_user' });
  await db.collection('progress').createIndex({ userId: 1 }, { name: 'user' });
  await db.collection('progress_units').createIndex({ registration: 1, activityId: 1 }, { name: 'registration_activity' });
}

function statusOf(d: StatusDoc): ReturnType<typeof toStatus> {
  return toStatus({
    completionRank: d.completionRank ?? 0, successKey: d.successKey ?? null, scoreKey: d.scoreKey ?? null,
    satisfied: d.satisfied === true, waived: d.waived === true, timeMs: d.timeMs ?? 0, attempts: d.attempts ?? 0,
    statements: d.statements ?? 0, lastActivityAt: d.lastActivityAt ?? null, updatedAt: d.updatedAt ?? null, doneAt: d.doneAt ?? null,
  });
}

function toRecord(d: TrackDoc): ProgressRecord {
  return {
    registration: d._id, courseId: d.courseId, versionId: d.versionId, userId: d.userId, agentKey: d.agentKey,
    ...(typeof d.orgId === 'string' ? { orgId: d.orgId } : {}),
    courseActivityIds: d.courseActivityIds, unitActivityIds: d.unitActivityIds, createdAt: d.createdAt,
    ...statusOf(d),
  };
}

function updateOf(d: ProgressDelta): Document {
  const k = deltaKeys(d);
  const max: Record<string, unknown> = { completionRank: k.rank };
  if (k.successKey !== null) max['successKey'] = k.successKey;
  if (k.scoreKey !== null) max['scoreKey'] = k.scoreKey;
  if (d.lastActivityAt !== undefined) max['lastActivityAt'] = d.lastActivityAt;
  const set: Record<string, unknown> = { updatedAt: d.updatedAt };
  if (d.satisfied) set['satisfied'] = true;
  if (d.waived) set['waived'] = true;
  if (d.seq !== undefined) max['appliedSeq'] = d.seq;
  const doneAt = doneAtOf(d);
  return { $inc: { timeMs: Math.round(d.timeMs), attempts: d.attempts, statements: d.statements }, $max: max, $set: set, ...(doneAt !== undefined ? { $min: { doneAt } } : {}) };
}

/** Rows that have not applied the delta's statement yet (issue 13: a batch delivered again is a no-op). */
function notApplied(d: ProgressDelta): Document {
  return d.seq === undefined ? {} : { $or: [{ appliedSeq: { $lt: d.seq } }, { appliedSeq: { $exists: false } }] };
}

const RESET_FIELDS = { completionRank: 0, timeMs: 0, attempts: 0, statements: 0, satisfied: false, waived: false, appliedSeq: 0 };
const RESET_UNSET = { successKey: '', scoreKey: '', lastActivityAt: '', updatedAt: '', doneAt: '' } as const;

export function createMongoProgressStore(db: Db): ProgressStore {
  const tracks = db.collection<TrackDoc>('progress');
  const units = db.collection<UnitDoc>('progress_units');

  async function applyUnit(d: ProgressDelta): Promise<void> {
    const update = updateOf(d);
    update['$setOnInsert'] = { registration: d.registration, activityId: d.activityId };
    const _id = `${d.registration} ${d.activityId}`;
    const filter = { _id, ...notApplied(d) } as Filter<UnitDoc>;
    try {
      await units.updateOne(filter, update, { upsert: true });
    } catch (err) {
      // Two first writers raced on the upsert (the loser's update now finds the row), or the row
      // exists and has applied this seq already (the upsert's insert collides: nothing to do).
      if (!isDuplicateKeyError(err)) throw toAppError(err, 'updating unit progress');
      await guard('updating unit progress', () => units.updateOne(filter, update));
    }
  }

  return {
    async insertProgressTrack(t) {
      try {
        await tracks.insertOne({
          _id: t.registration, courseId: t.courseId, versionId: t.versionId, userId: t.userId, agentKey: t.agentKey,
          ...(t.orgId !== undefined ? { orgId: t.orgId } : {}),
          courseActivityIds: [...t.courseActivityIds], unitActivityIds: [...t.unitActivityIds], createdAt: t.createdAt,
          completionRank: 0, timeMs: 0, attempts: 0, statements: 0,
        });
        return true;
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw toAppError(err, 'inserting a progress track');
      }
    },
    async findProgressTracks(registrations) {
      if (registrations.length === 0) return [];
      const docs = await guard('finding progress tracks', () => findByIds(tracks, registrations));
      return docs.map(toRecord);
    },
    async applyProgress(deltas) {
      for (const d of deltas) {
        if (d.activityId === '') await guard('updating progress', () => tracks.updateOne({ _id: d.registration, ...notApplied(d) } as Filter<TrackDoc>, updateOf(d)));
        else await applyUnit(d);
      }
    },
    async findProgress(q) {
      if (q.orgIds !== undefined && q.orgIds.length === 0) return [];
      const filter: Filter<TrackDoc> = {};
      if (q.registration !== undefined) filter._id = q.registration;
      if (q.courseId !== undefined) filter.courseId = q.courseId;
      if (q.userId !== undefined) filter.userId = q.userId;
      if (q.orgIds !== undefined) filter.orgId = { $in: [...q.orgIds] };
      const docs = await guard('finding progress', () => tracks.find(filter).limit(q.limit ?? 1000).toArray());
      // Sorted here: "never active last" is awkward to express as one index-friendly sort.
      return docs.map(toRecord).sort((a, b) => {
        if ((a.lastActivityAt === undefined) !== (b.lastActivityAt === undefined)) return a.lastActivityAt === undefined ? 1 : -1;
        if (a.lastActivityAt !== b.lastActivityAt) return (b.lastActivityAt ?? '') < (a.lastActivityAt ?? '') ? -1 : 1;
        return a.registration < b.registration ? -1 : a.registration > b.registration ? 1 : 0;
      });
    },
    async findProgressBriefs(q) {
      if (q.userIds !== undefined && q.userIds.length === 0) return [];
      const filter: Filter<TrackDoc> = { orgId: q.orgId, ...(q.userIds !== undefined ? { userId: { $in: [...q.userIds] } } : {}) };
      // The activity lists stay on the server: they cost most of a row.
      const docs = await guard('finding progress briefs', () => tracks.find(filter, { projection: { courseActivityIds: 0, unitActivityIds: 0, agentKey: 0, versionId: 0 } }).toArray());
      return docs.map((d): ProgressBrief => ({ registration: d._id, courseId: d.courseId, userId: d.userId, createdAt: d.createdAt, ...statusOf(d) }));
    },
    async findUnitProgress(registration) {
      const docs = await guard('finding unit progress', () => units.find({ registration }).toArray());
      return docs
        .map((d): UnitProgress => ({ registration: d.registration, activityId: d.activityId, ...statusOf(d) }))
        .sort((a, b) => (a.activityId < b.activityId ? -1 : a.activityId > b.activityId ? 1 : 0));
    },
    async resetProgressStatus(registrations) {
      if (registrations !== undefined && registrations.length === 0) return;
      const regs = registrations === undefined ? undefined : [...registrations];
      await guard('resetting progress', () => tracks.updateMany(regs ? { _id: { $in: regs } } : {}, { $set: RESET_FIELDS, $unset: RESET_UNSET }));
      await guard('resetting unit progress', () => units.deleteMany(regs ? { registration: { $in: regs } } : {}));
    },
    async deleteProgress(registrations) {
      if (registrations.length === 0) return 0;
      const regs = [...registrations];
      const res = await guard('deleting progress', () => tracks.deleteMany({ _id: { $in: regs } }));
      await guard('deleting unit progress', () => units.deleteMany({ registration: { $in: regs } }));
      return res.deletedCount;
    },
  };
}
