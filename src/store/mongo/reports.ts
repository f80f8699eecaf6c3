import type { Collection, Db, Document, Filter } from 'mongodb';
import type {
  LearningDayDelta, LearningGroup, LearningTotals, ReportAttempt, ReportInteraction, ReportPart, ReportScope, ReportStore, SavedReport,
} from '../ports';
import { monthOf, weekOf } from '../report-periods';
import { LearningFold, type DayTuple } from '../report-fold';
import { itemAggregatesOf } from '../report-items';
import { guard, isDuplicateKeyError, isOnlyDuplicateKeyErrors, toAppError } from './errors';

/**
 * Report projection collections (see the port): `report_days` (`_id` = the JSON of [day, course,
 * org, user], `lastSeq` = highest pipeline seq applied), `report_attempts` and
 * `report_interactions` (`_id` = statement id). A learning-day update is one conditional
 * single-document $inc, so no transaction is needed and a redelivered batch changes nothing.
 */
interface DayDoc {
  _id: string; day: string; courseId: string; orgId: string; userId: string; providerOrgId: string;
  week: string; month: string; lastSeq: number;
  launches: number; completions: number; passes: number; failures: number; timeMs: number; statements: number;
}
type AttemptDoc = Omit<ReportAttempt, 'id'> & { _id: string };
type InteractionDoc = Omit<ReportInteraction, 'id'> & { _id: string };

/** Creates the report indexes; idempotent; one createIndex per index (FerretDB). */
export async function ensureMongoReportIndexes(db: Db): Promise<void> {
  const days = db.collection('report_days');
  await db.collection('saved_reports').createIndex({ orgId: 1, name: 1 }, { name: 'org_name' });
  await days.createIndex({ orgId: 1, day: 1 }, { name: 'org_day' });
  await days.createIndex({ courseId: 1, day: 1 }, { name: 'course_day' });
  await days.createIndex({ providerOrgId: 1, day: 1 }, { name: 'provider_day' });
  await days.createIndex({ userId: 1 }, { name: 'user' });
  for (const name of ['report_attempts', 'report_interactions']) {
    await db.collection(name).createIndex({ courseId: 1, day: 1 }, { name: 'course_day' });
    await db.collection(name).createIndex({ userId: 1 }, { name: 'user' });
  }
}

const GROUP_FIELD: Record<LearningGroup, string | undefined> = {
  none: undefined, day: 'day', week: 'week', month: 'month', course: 'courseId', org: 'orgId', provider: 'providerOrgId', user: 'userId',
};
const COLLECTION: Record<ReportPart, string> = { days: 'report_days', attempts: 'report_attempts', interactions: 'report_interactions' };
const COUNTERS = ['launches', 'completions', 'passes', 'failures', 'timeMs', 'statements'] as const;

function matchOf(scope: ReportScope): Document {
  const m: Document = {};
  if (scope.from !== undefined || scope.to !== undefined) {
    m['day'] = { ...(scope.from !== undefined ? { $gte: scope.from } : {}), ...(scope.to !== undefined ? { $lte: scope.to } : {}) };
  }
  if (scope.orgIds !== undefined) m['orgId'] = { $in: [...scope.orgIds] };
  if (scope.providerOrgIds !== undefined) m['providerOrgId'] = { $in: [...scope.providerOrgIds] };
  if (scope.courseIds !== undefined) m['courseId'] = { $in: [...scope.courseIds] };
  if (scope.userIds !== undefined) m['userId'] = { $in: [...scope.userIds] };
  return m;
}

function sumOf(list: readonly LearningDayDelta[]): Record<string, number> {
  const inc: Record<string, number> = {};
  for (const c of COUNTERS) inc[c] = 0;
  for (const d of list) for (const c of COUNTERS) inc[c] = (inc[c] ?? 0) + (c === 'timeMs' ? Math.round(d[c]) : d[c]);
  return inc;
}

async function insertIgnoringDuplicates<T extends Document>(col: Collection<T>, docs: T[], what: string): Promise<void> {
  if (docs.length === 0) return;
  try {
    await col.insertMany(docs as never, { ordered: false });
  } catch (err) {
    if (!isOnlyDuplicateKeyErrors(err)) throw toAppError(err, what);
  }
}

export function createMongoReportStore(db: Db): ReportStore {
  const days = db.collection<DayDoc>('report_days');
  const attempts = db.collection<AttemptDoc>('report_attempts');
  const interactions = db.collection<InteractionDoc>('report_interactions');
  const saved = db.collection<SavedDoc>('saved_reports');
  const versions = db.collection<{ _id: string; version: number }>('report_versions');
  // After the change it stamps (never before): a reader that took the old version before reading
  // caches under the old version, which this bump then outdates.
  const bumpDays = (): Promise<unknown> => guard('stamping report days', () => versions.updateOne({ _id: 'days' }, { $inc: { version: 1 } }, { upsert: true }));

  /** Applies the deltas of one row (seq order): the fast path assumes none applied yet. */
  async function applyRow(id: string, list: readonly LearningDayDelta[]): Promise<void> {
    const first = list[0];
    const last = list[list.length - 1];
    if (first === undefined || last === undefined) return;
    try {
      await days.updateOne(
        { _id: id, lastSeq: { $lt: first.seq } },
        {
          $inc: sumOf(list), $max: { lastSeq: last.seq },
          $setOnInsert: {
            day: first.day, courseId: first.courseId, orgId: first.orgId, userId: first.userId, providerOrgId: first.providerOrgId,
            week: weekOf(first.day), month: monthOf(first.day),
          },
        },
        { upsert: true },
      );
      return;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw toAppError(err, 'updating report days');
    }
    // The row has applied some of these already (a redelivered batch): apply only the rest.
    for (let tries = 0; tries < 5; tries++) {
      const doc = await guard('reading report days', () => days.findOne({ _id: id }));
      if (doc === null) throw toAppError(new Error('report day row vanished'), 'updating report days');
      const rest = list.filter((d) => d.seq > doc.lastSeq);
      if (rest.length === 0) return;
      const res = await guard('updating report days', () =>
        days.updateOne({ _id: id, lastSeq: doc.lastSeq }, { $inc: sumOf(rest), $set: { lastSeq: rest[rest.length - 1]?.seq ?? doc.lastSeq } }));
      if (res.matchedCount === 1) return;
    }
    throw toAppError(new Error('report day row kept changing'), 'updating report days');
  }

  return {
    async applyLearningDays(deltas) {
      const rows = new Map<string, LearningDayDelta[]>();
      for (const d of deltas) {
        const id = JSON.stringify([d.day, d.courseId, d.orgId, d.userId]);
        const list = rows.get(id);
        if (list) list.push(d);
        else rows.set(id, [d]);
      }
      const entries = [...rows.entries()];
      try {
        for (let i = 0; i < entries.length; i += 64) {
          await Promise.all(entries.slice(i, i + 64).map(([id, list]) => applyRow(id, list)));
        }
      } finally {
        if (entries.length > 0) await bumpDays();
      }
    },
    async findLearningTotalsByGroups(scope, groups) {
      const fold = new LearningFold(groups);
      const projection: Document = { _id: 0, day: 1, courseId: 1, orgId: 1, providerOrgId: 1, userId: 1 };
      for (const c of COUNTERS) projection[c] = 1;
      const cursor = days.find(matchOf(scope) as Filter<DayDoc>, { projection, batchSize: 5000 });
      const text = (v: unknown): string => (typeof v === 'string' ? v : '');
      const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
      try {
        for await (const d of cursor as AsyncIterable<Record<string, unknown>>) {
          const t: DayTuple = [
            text(d['day']), text(d['courseId']), text(d['orgId']), text(d['providerOrgId']), text(d['userId']),
            num(d['launches']), num(d['completions']), num(d['passes']), num(d['failures']), num(d['timeMs']), num(d['statements']),
          ];
          fold.add(t);
        }
      } catch (err) {
        throw toAppError(err, 'reading report days');
      }
      return fold.result();
    },
    async findLearningDaysVersion() {
      const doc = await guard('reading the report days stamp', () => versions.findOne({ _id: 'days' }));
      return String(doc?.version ?? 0);
    },
    async findLearningTotals(scope, groupBy) {
      const field = GROUP_FIELD[groupBy];
      // The rows in scope are folded here: FerretDB 1.x's $group sums only the first of several
      // $sum accumulators (measured), and distinct learners need a second pass anyway.
      const projection: Document = { _id: 0, userId: 1 };
      if (field !== undefined) projection[field] = 1;
      for (const c of COUNTERS) projection[c] = 1;
      const perUserMap = new Map<string, Record<string, number> & { _id: { k: string; u: string } }>();
      const cursor = days.find(matchOf(scope) as Filter<DayDoc>, { projection });
      try {
        for await (const d of cursor as AsyncIterable<Record<string, unknown>>) {
          const k = field === undefined ? '' : String(d[field] ?? '');
          const u = String(d['userId']);
          const id = JSON.stringify([k, u]);
          let acc = perUserMap.get(id);
          if (!acc) {
            acc = { _id: { k, u } } as Record<string, number> & { _id: { k: string; u: string } };
            for (const c of COUNTERS) acc[c] = 0;
            perUserMap.set(id, acc);
          }
          for (const c of COUNTERS) acc[c] = (acc[c] ?? 0) + Number(d[c] ?? 0);
        }
      } catch (err) {
        throw toAppError(err, 'reading report days');
      }
      const perUser = [...perUserMap.values()];
      const out = new Map<string, { -readonly [K in keyof LearningTotals]: LearningTotals[K] }>();
      for (const r of perUser) {
        const key = String(r._id.k ?? '');
        let t = out.get(key);
        if (!t) {
          t = { key, learners: 0, launches: 0, completions: 0, passes: 0, failures: 0, timeMs: 0, statements: 0 };
          out.set(key, t);
        }
        for (const c of COUNTERS) t[c] += Number(r[c] ?? 0);
        if (Number(r['statements'] ?? 0) > 0) t.learners += 1;
      }
      return [...out.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    async insertAttempts(rows) {
      await insertIgnoringDuplicates(attempts, rows.map(({ id, ...rest }) => ({ _id: id, ...rest })), 'storing report attempts');
    },
    async findAttempts(scope, limit = 100_000) {
      const docs = await guard('reading report attempts', () =>
        attempts.find(matchOf(scope) as Filter<AttemptDoc>).sort({ seq: 1 }).limit(limit).toArray());
      return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
    },
    async insertInteractions(rows) {
      await insertIgnoringDuplicates(interactions, rows.map(({ id, ...rest }) => ({ _id: id, ...rest })), 'storing report interactions');
    },
    async findInteractions(scope, limit = 100_000) {
      const docs = await guard('reading report interactions', () =>
        interactions.find(matchOf(scope) as Filter<InteractionDoc>).sort({ seq: 1 }).limit(limit).toArray());
      return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
    },
    async findItemStats(scope) {
      const docs = await guard('reading report interactions', () =>
        interactions.find(matchOf(scope) as Filter<InteractionDoc>).sort({ seq: 1 }).toArray());
      return itemAggregatesOf(docs.map(({ _id, ...rest }) => ({ id: _id, ...rest })));
    },
    async deleteReportFacts(part, ids) {
      if (ids.length === 0) return 0;
      const col = db.collection<{ _id: string }>(COLLECTION[part]);
      return (await guard('deleting report rows', () => col.deleteMany({ _id: { $in: [...ids] } }))).deletedCount;
    },
    async deleteReportUser(userId, parts) {
      let n = 0;
      for (const p of parts) n += (await guard('erasing report rows', () => db.collection(COLLECTION[p]).deleteMany({ userId }))).deletedCount;
      if (parts.includes('days')) await bumpDays();
      return n;
    },
    async resetReports(parts) {
      for (const p of parts) await guard('resetting reports', () => db.collection(COLLECTION[p]).deleteMany({}));
      if (parts.includes('days')) await bumpDays();
    },
    async putSavedReport(r) {
      const { id, ...rest } = r;
      await guard('saving a report', () => saved.replaceOne({ _id: id }, { ...rest, params: { ...r.params } }, { upsert: true }));
    },
    async listSavedReports(orgId) {
      const docs = await guard('listing saved reports', () => saved.find({ orgId }).sort({ name: 1, _id: 1 }).toArray());
      return docs.map(savedFromDoc);
    },
    async getSavedReport(orgId, id) {
      const doc = await guard('reading a saved report', () => saved.findOne({ _id: id, orgId }));
      return doc ? savedFromDoc(doc) : undefined;
    },
    async deleteSavedReport(orgId, id) {
      return (await guard('deleting a saved report', () => saved.deleteOne({ _id: id, orgId }))).deletedCount > 0;
    },
  };
}

interface SavedDoc { _id: string; orgId: string; name: string; report: string; params: Record<string, string>; createdBy: string; createdAt: string }

function savedFromDoc(d: SavedDoc): SavedReport {
  return { id: d._id, orgId: d.orgId, name: d.name, report: d.report, params: { ...d.params }, createdBy: d.createdBy, createdAt: d.createdAt };
}
