import type { Db } from 'mongodb';
import type { Assignment, CatalogEntry, CatalogHit, CatalogStore, LearningStore, LearningTarget, OpportunityRegistration, SelfReport } from '../ports';
import { newestFirst } from '../catalog-order';
import { guard, isDuplicateKeyError, toAppError } from './errors';

/**
 * Catalog entries, learning targets, assignments and reminder marks on MongoDB (issue 18).
 *
 * Search: FerretDB has no $text, so every entry keeps `titleWords` and `words` — its words,
 * lower-cased without accents, each preceded by a space — and a query word matches as a prefix
 * by a regex on those strings (MongoDB and FerretDB both run it). Relevance is counted here:
 * a word in the title weighs three, elsewhere one. The entry itself is JSON text (`json`).
 */
interface EntryDoc {
  _id: string; orgId: string; state: string; visibility: string; visibleOrgIds: string[];
  titleWords: string; words: string; json: string;
}
interface TargetDoc { _id: string; json: string }
interface AssignmentDoc { _id: string; orgId: string; dueKey: string; json: string }
interface MarkDoc { _id: string; at: string }

/** Lower-cased words without accents, each with a leading space. */
export function wordsOf(text: string): string {
  const words = text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.map((w) => ` ${w}`).join('');
}

/** Creates the indexes; idempotent; one createIndex per index (FerretDB). */
export async function ensureMongoCatalogIndexes(db: Db): Promise<void> {
  await db.collection('catalog_entries').createIndex({ state: 1, visibility: 1 }, { name: 'state_visibility' });
  await db.collection('catalog_entries').createIndex({ orgId: 1 }, { name: 'org' });
  await db.collection('assignments').createIndex({ orgId: 1, dueKey: 1, _id: 1 }, { name: 'org_due' });
}

/** An entry held in memory for search, with its words. */
interface Cached { readonly entry: CatalogEntry; readonly titleWords: string; readonly words: string }

/**
 * Search reads a copy of the published entries held in memory, reloaded when the catalog's
 * version (one counter document, raised by every upsert on any instance) moved: FerretDB reads
 * documents at about a millisecond each, so matching thousands of entries in the database took
 * seconds (bench/catalog-search); the copy answers in milliseconds and costs one findOne per search.
 */
export function createMongoCatalogStore(db: Db): CatalogStore {
  const entries = db.collection<EntryDoc>('catalog_entries');
  const meta = db.collection<{ _id: string; version: number }>('catalog_meta');
  let cache: { version: number; items: readonly Cached[] } | undefined;
  const published = async (): Promise<readonly Cached[]> => {
    const v = (await guard('reading the catalog version', () => meta.findOne({ _id: 'version' })))?.version ?? 0;
    if (cache && cache.version === v) return cache.items;
    const docs = await guard('loading the catalog', () => entries.find({ state: 'published' }, { projection: { json: 1, titleWords: 1, words: 1 } }).toArray());
    const items = docs.map((d): Cached => ({ entry: JSON.parse(d.json) as CatalogEntry, titleWords: d.titleWords, words: d.words }));
    cache = { version: v, items };
    return items;
  };
  return {
    async upsertCatalogEntry(e) {
      const doc: EntryDoc = {
        _id: e.id, orgId: e.orgId, state: e.state, visibility: e.visibility, visibleOrgIds: [...e.visibleOrgIds],
        titleWords: wordsOf(e.title),
        words: wordsOf([e.title, e.description, e.keywords.join(' '), e.provider, e.competencies.join(' ')].join(' ')),
        json: JSON.stringify(e),
      };
      const { _id: _ignored, ...rest } = doc;
      await guard('storing a catalog entry', () => entries.replaceOne({ _id: e.id }, rest, { upsert: true }));
      await guard('moving the catalog version', () => meta.updateOne({ _id: 'version' }, { $inc: { version: 1 } }, { upsert: true }));
      cache = undefined;
    },
    async findCatalogEntry(id) {
      const d = await guard('reading a catalog entry', () => entries.findOne({ _id: id }, { projection: { json: 1 } }));
      return d ? (JSON.parse(d.json) as CatalogEntry) : undefined;
    },
    async findCatalogEntries(ids) {
      if (ids.length === 0) return [];
      const docs = await guard('reading catalog entries', () => entries.find({ _id: { $in: [...ids] } }, { projection: { json: 1 } }).toArray());
      return docs.map((d) => JSON.parse(d.json) as CatalogEntry);
    },
    async findOrgCatalogEntries(query) {
      const kinds = query.kinds ? new Set<string>(query.kinds) : undefined;
      const docs = await guard('reading an organization\'s catalog entries', () => entries.find({ orgId: query.orgId }, { projection: { json: 1 } }).toArray());
      return newestFirst(docs.map((d) => JSON.parse(d.json) as CatalogEntry).filter((e) => !kinds || kinds.has(e.kind)));
    },
    async searchCatalog(query) {
      const words = query.text !== undefined ? wordsOf(query.text).trim().split(' ').filter((w) => w !== '').slice(0, 12) : [];
      if (query.text !== undefined && query.text.trim() !== '' && words.length === 0) return [];
      const viewer = query.viewer;
      const hits: CatalogHit[] = [];
      for (const c of await published()) {
        const e = c.entry;
        if (!viewer.everything && e.visibility !== 'all' && !viewer.orgIds.includes(e.orgId)
          && !(e.visibility === 'orgs' && e.visibleOrgIds.some((o) => viewer.orgIds.includes(o)))) continue;
        let score = 0;
        let all = true;
        for (const w of words) {
          const n = countOf(c.words, ` ${w}`);
          if (n === 0) {
            all = false;
            break;
          }
          score += 3 * countOf(c.titleWords, ` ${w}`) + n;
        }
        if (all) hits.push({ entry: e, score });
      }
      return hits;
    },
  };
}

function countOf(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) n += 1;
  return n;
}

/** Sort key of a due date: none sorts last. */
function dueKey(a: Assignment): string {
  return a.dueAt ?? '~';
}

export function createMongoLearningStore(db: Db): LearningStore {
  const targets = db.collection<TargetDoc>('learning_targets');
  const assignments = db.collection<AssignmentDoc>('assignments');
  const marks = db.collection<MarkDoc>('reminder_marks');
  const regs = db.collection<{ _id: string; entryId: string; userId: string; registeredAt: string; json: string }>('opportunity_registrations');
  const reports = db.collection<{ _id: string; userId: string; orgId: string; state: string; createdAt: string; json: string }>('self_reports');
  return {
    async upsertLearningTarget(t: LearningTarget) {
      await guard('storing a learning target', () => targets.replaceOne({ _id: t.orgId }, { json: JSON.stringify(t) }, { upsert: true }));
    },
    async findLearningTargets(orgIds) {
      if (orgIds.length === 0) return [];
      const docs = await guard('reading learning targets', () => targets.find({ _id: { $in: [...orgIds] } }).toArray());
      return docs.map((d) => JSON.parse(d.json) as LearningTarget);
    },
    async insertAssignment(a) {
      const doc: AssignmentDoc = { _id: a.id, orgId: a.orgId, dueKey: dueKey(a), json: JSON.stringify(a) };
      await guard('storing an assignment', () => assignments.insertOne(doc), () => `assignment ${a.id} exists`);
    },
    async findAssignment(id) {
      const d = await guard('reading an assignment', () => assignments.findOne({ _id: id }));
      return d ? (JSON.parse(d.json) as Assignment) : undefined;
    },
    async findAssignments(filter) {
      if (filter.orgIds.length === 0) return [];
      const docs = await guard('listing assignments', () => assignments.find({ orgId: { $in: [...filter.orgIds] } }).sort({ dueKey: 1, _id: 1 }).toArray());
      return docs.map((d) => JSON.parse(d.json) as Assignment);
    },
    async deleteAssignment(id) {
      const r = await guard('deleting an assignment', () => assignments.deleteOne({ _id: id }));
      return r.deletedCount > 0;
    },
    async deleteReminderMark(assignmentId, userId, kind) {
      const r = await guard('removing a reminder mark', () => marks.deleteOne({ _id: `${assignmentId}|${userId}|${kind}` }));
      return r.deletedCount > 0;
    },
    async hasReminderMark(assignmentId, userId, kind) {
      return (await guard('reading a reminder mark', () => marks.findOne({ _id: `${assignmentId}|${userId}|${kind}` }))) !== null;
    },
    async upsertOpportunityRegistration(r) {
      await guard('storing a registration', () => regs.replaceOne({ _id: `${r.entryId}|${r.userId}` }, { entryId: r.entryId, userId: r.userId, registeredAt: r.registeredAt, json: JSON.stringify(r) }, { upsert: true }));
    },
    async findOpportunityRegistrations(filter) {
      const q: Record<string, unknown> = {};
      if (filter.entryId !== undefined) q['entryId'] = filter.entryId;
      if (filter.userIds !== undefined) {
        if (filter.userIds.length === 0) return [];
        q['userId'] = { $in: [...filter.userIds] };
      }
      // A single person narrows the set (both given: that person, if among them).
      if (filter.userId !== undefined) q['userId'] = filter.userIds === undefined || filter.userIds.includes(filter.userId) ? filter.userId : { $in: [] };
      if (Object.keys(q).length === 0) return [];
      const docs = await guard('listing registrations', () => regs.find(q).sort({ registeredAt: 1, userId: 1 }).toArray());
      return docs.map((d) => JSON.parse(d.json) as OpportunityRegistration);
    },
    async insertSelfReport(r) {
      await guard('storing a self-report', () => reports.insertOne({ _id: r.id, userId: r.userId, orgId: r.orgId, state: r.state, createdAt: r.createdAt, json: JSON.stringify(r) }), () => `self-report ${r.id} exists`);
    },
    async findSelfReport(id) {
      const d = await guard('reading a self-report', () => reports.findOne({ _id: id }));
      return d ? (JSON.parse(d.json) as SelfReport) : undefined;
    },
    async findSelfReports(filter) {
      const q: Record<string, unknown> = {};
      if (filter.userId !== undefined) q['userId'] = filter.userId;
      if (filter.orgIds !== undefined) {
        if (filter.orgIds.length === 0) return [];
        q['orgId'] = { $in: [...filter.orgIds] };
      }
      if (Object.keys(q).length === 0) return [];
      const docs = await guard('listing self-reports', () => reports.find(q).sort({ createdAt: -1, _id: -1 }).toArray());
      return docs.map((d) => JSON.parse(d.json) as SelfReport);
    },
    async decideSelfReport(next) {
      const r = await guard('deciding a self-report', () => reports.updateOne({ _id: next.id, state: 'pending' }, { $set: { state: next.state, json: JSON.stringify(next) } }));
      return r.modifiedCount > 0;
    },
    async insertReminderMark(assignmentId, userId, kind, at) {
      try {
        await marks.insertOne({ _id: `${assignmentId}|${userId}|${kind}`, at });
        return true;
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw toAppError(err, 'recording a reminder');
      }
    },
  };
}
