/**
 * The evidence part of the CompetencyStore of both engines (ADR 0021, laid out anew by ADR 0035).
 *
 * - `comp_evidence`: one row per piece of evidence; indexed by person, statement, alignment and
 *   organization (each has a query that starts from it); the competency is a plain column (every
 *   query that names it names the person too).
 * - `comp_levels`: one compact record per person (id: the person) with, per competency and
 *   level, the count, latest time and latest expiry. Recording a batch of evidence reads and
 *   writes each touched person's record once, whatever the number of pieces; the heat map reads
 *   one small record per person instead of one JSON summary per (person, competency).
 *
 *   Beside it, in a plain column of the same row (`latest`, not read by the heat map), per
 *   competency the time and id of its three newest pieces.
 *
 * A summary (EvidenceSummary) is assembled on read: its levels from `comp_levels`, its three
 * newest pieces from `latest` and then the JSON of those pieces only.
 */
import { randomUUID } from 'node:crypto';
import type { CompetencyStore, Evidence, EvidenceCounts, EvidenceLevelSummary, EvidenceLevels, EvidenceSummary } from '../ports/competency';
import type { KeyValue, OpenRecordTable, RecordRow, RecordTable, RecordUnitOfWork } from './table';

const parse = <T>(json: string): T => JSON.parse(json) as T;
const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);
const itemKey = (frameworkId: string, identifier: string): string => `${frameworkId}|${identifier}`;
const unique = <T>(list: readonly T[]): T[] => [...new Set(list)];
/** IN lists and $in arrays are kept to this many values. */
const CHUNK = 500;
/** People whose parsed levels a store object keeps (the heat map of a large organization). */
const PARSED_PEOPLE = 50_000;
/** The newest pieces a summary carries. */
const LATEST = 3;

/** A level's running totals. */
interface LevelAcc { level: number; count: number; latestAt: string; expiresAt: string | null }
/** One (person, competency) pair's levels. */
interface Pair { readonly userId: string; readonly frameworkId: string; readonly itemIdentifier: string; readonly levels: Map<number, LevelAcc> }

/** One level of a competency in a person's record: level, count, latest time, latest expiry (null: some piece never lapses). */
type StoredLevel = [number, number, string, string | null];
/** A person's record: their id and, per competency, the framework, the item and its levels (lowest first). */
interface StoredPerson { readonly u: string; readonly p: [string, string, StoredLevel[]][] }

/** Adds one piece to a level's totals (the expiry is null once any piece never lapses). */
function addTo(levels: Map<number, LevelAcc>, e: Evidence): void {
  const expiry = e.expiresAt ?? null;
  const l = levels.get(e.level);
  if (!l) {
    levels.set(e.level, { level: e.level, count: 1, latestAt: e.at, expiresAt: expiry });
    return;
  }
  l.count += 1;
  if (e.at > l.latestAt) l.latestAt = e.at;
  l.expiresAt = l.expiresAt === null || expiry === null ? null : (expiry > l.expiresAt ? expiry : l.expiresAt);
}

const sortedLevels = (levels: ReadonlyMap<number, LevelAcc>): EvidenceLevelSummary[] =>
  [...levels.values()].sort((a, b) => a.level - b.level).map((l) => ({ level: l.level, count: l.count, latestAt: l.latestAt, expiresAt: l.expiresAt }));

const countsOf = (p: Pair): EvidenceCounts => {
  const levels = sortedLevels(p.levels);
  return { userId: p.userId, frameworkId: p.frameworkId, itemIdentifier: p.itemIdentifier, count: levels.reduce((n, l) => n + l.count, 0), levels };
};

/** A pair's newest pieces ([at, id], newest first, then id) with these pieces added. */
function withNewest(list: readonly [string, string][], rows: readonly Evidence[]): [string, string][] {
  return [...list, ...rows.map((e): [string, string] => [e.at, e.id])].sort((a, b) => cmp(b[0], a[0]) || cmp(a[1], b[1])).slice(0, LATEST);
}

/** A pair's newest pieces as kept: the person, the competency (`framework|item`), [at, id] newest first. */
interface NewestOfPair { readonly u: string; readonly key: string; readonly list: [string, string][] }

/** The evidence methods of the CompetencyStore, over an engine's record tables. */
export function createEvidenceRecords(open: OpenRecordTable, meta: RecordTable, unitOfWork: RecordUnitOfWork): Pick<CompetencyStore,
  'insertEvidence' | 'recordEvidence' | 'findEvidence' | 'findEvidenceSummaries' | 'findEvidenceSummariesOfUsers' | 'findEvidenceLevelsOfUsers'
  | 'findEvidenceSummariesVersion' | 'findEvidenceSummariesOf' | 'findEvidenceLevelsOf' | 'deleteEvidence' | 'findEvidenceLayoutStale'> {
  // A statement's evidence is found by the id's prefix (the port fixes ids as `statement|alignment`),
  // so the statement id needs no index of its own: one random-keyed index less per piece (ADR 0035).
  const evidence = open({ name: 'comp_evidence', keys: ['user_id', 'alignment_id', 'org_id'], columns: ['item_key', 'statement_id'] });
  const ofStatements = async (statementIds: readonly string[]): Promise<Evidence[]> =>
    (await evidence.findIdPrefixes(statementIds.map((id) => `${id}|`))).map((j) => parse<Evidence>(j)).filter((e) => statementIds.includes(e.statementId));
  // `v` changes with every write of a person's record, so a reader can tell which records it already parsed.
  // `latest`: per competency the [at, id] of the newest pieces (the profile's trail), outside the JSON
  // so that the heat map's read does not parse it.
  const levels = open({ name: 'comp_levels', keys: [], columns: ['v', 'latest'] });
  /** People's levels as last parsed by this store object, with the record version they came from. */
  const parsed = new Map<string, { readonly v: string; readonly levels: readonly EvidenceLevels[] }>();
  // The JSON summaries of before ADR 0035: only read to know a rebuild is due, emptied by it.
  const legacy = open({ name: 'comp_summary', keys: ['user_id'] });

  const evidenceRow = (e: Evidence): RecordRow => ({
    id: e.id,
    keys: { user_id: e.userId, statement_id: e.statementId, alignment_id: e.alignmentId, org_id: e.orgId, item_key: itemKey(e.frameworkId, e.itemIdentifier) },
    json: JSON.stringify(e),
  });
  /** After every change of the levels (never before it: a reader reads the stamp before the rows). */
  const bump = async (): Promise<void> => {
    await meta.put([{ id: 'summary-version', keys: {}, json: JSON.stringify({ v: randomUUID() }) }]);
  };

  /** The records of these people, parsed. */
  const readPeople = async (userIds: readonly string[]): Promise<StoredPerson[]> => {
    const out: StoredPerson[] = [];
    const people = unique(userIds);
    for (let i = 0; i < people.length; i += CHUNK) for (const j of await levels.get(people.slice(i, i + CHUNK))) out.push(parse<StoredPerson>(j));
    return out;
  };
  /** Pairs of these records (of these competencies, when given), keyed `user|framework|item`. */
  const pairsIn = (records: readonly StoredPerson[], itemKeys?: ReadonlySet<string>): Map<string, Pair> => {
    const out = new Map<string, Pair>();
    for (const r of records) {
      for (const [frameworkId, itemIdentifier, list] of r.p) {
        const key = itemKey(frameworkId, itemIdentifier);
        if (itemKeys !== undefined && !itemKeys.has(key)) continue;
        const lv = new Map<number, LevelAcc>();
        for (const [level, count, latestAt, expiresAt] of list) lv.set(level, { level, count, latestAt, expiresAt });
        out.set(`${r.u}|${key}`, { userId: r.u, frameworkId, itemIdentifier, levels: lv });
      }
    }
    return out;
  };
  const pairsOf = async (userIds: readonly string[], itemKeys?: readonly string[]): Promise<Map<string, Pair>> =>
    pairsIn(await readPeople(userIds), itemKeys === undefined ? undefined : new Set(itemKeys));
  /** Writes these people's records from their pairs (a person without any goes). */
  const writePeople = async (userIds: Iterable<string>, pairs: ReadonlyMap<string, Pair>, latest: ReadonlyMap<string, NewestOfPair>): Promise<void> => {
    const byUser = new Map<string, StoredPerson>();
    const newestBy = new Map<string, [string, [string, string][]][]>();
    for (const u of userIds) {
      byUser.set(u, { u, p: [] });
      newestBy.set(u, []);
    }
    for (const x of latest.values()) if (x.list.length > 0) newestBy.get(x.u)?.push([x.key, x.list]);
    for (const p of pairs.values()) {
      if (p.levels.size === 0) continue;
      byUser.get(p.userId)?.p.push([p.frameworkId, p.itemIdentifier, sortedLevels(p.levels).map((l): StoredLevel => [l.level, l.count, l.latestAt, l.expiresAt])]);
    }
    const gone = [...byUser.values()].filter((r) => r.p.length === 0).map((r) => r.u);
    if (gone.length > 0) await levels.deleteIds(gone);
    await levels.put([...byUser.values()].filter((r) => r.p.length > 0).map((r) => ({ id: r.u, keys: { v: randomUUID(), latest: JSON.stringify(newestBy.get(r.u) ?? []) }, json: JSON.stringify(r) })));
    await bump();
  };

  /** The newest pieces' [at, id] per pair (`user|framework|item`) of these people. */
  const readNewest = async (userIds: readonly string[]): Promise<Map<string, NewestOfPair>> => {
    const out = new Map<string, NewestOfPair>();
    const people = unique(userIds);
    for (let i = 0; i < people.length; i += CHUNK) {
      for (const [u, j] of await levels.findColumns({ id: people.slice(i, i + CHUNK) }, ['id', 'latest'])) {
        if (typeof j !== 'string') continue;
        for (const [key, list] of parse<[string, [string, string][]][]>(j)) out.set(`${u as string}|${key}`, { u: u as string, key, list });
      }
    }
    return out;
  };

  /** The newest pieces of each of these pairs (keys `user|framework|item`). */
  const latestOf = async (userIds: readonly string[], wanted: ReadonlySet<string>): Promise<Map<string, Evidence[]>> => {
    const top = new Map([...(await readNewest(userIds))].filter(([id]) => wanted.has(id)).map(([id, x]) => [id, x.list] as const));
    const ids = [...top.values()].flatMap((list) => list.map(([, id]) => id));
    const byId = new Map((await evidence.get(ids)).map((j) => parse<Evidence>(j)).map((e) => [e.id, e] as const));
    const out = new Map<string, Evidence[]>();
    for (const [pair, list] of top) out.set(pair, list.map(([, id]) => byId.get(id)).filter((e): e is Evidence => e !== undefined));
    return out;
  };

  /** Whole summaries of these pairs. */
  const summariesOf = async (pairs: ReadonlyMap<string, Pair>): Promise<EvidenceSummary[]> => {
    if (pairs.size === 0) return [];
    const latest = await latestOf([...pairs.values()].map((p) => p.userId), new Set(pairs.keys()));
    return [...pairs.entries()].map(([id, p]) => ({ ...countsOf(p), latest: latest.get(id) ?? [] }));
  };

  /** Recomputes the levels of these pairs from their evidence (after deletions). */
  const recompute = async (touched: readonly Evidence[]): Promise<void> => {
    const users = unique(touched.map((e) => e.userId));
    const pairs = await pairsOf(users);
    const latest = await readNewest(users);
    for (const e of new Map(touched.map((x) => [`${x.userId}|${itemKey(x.frameworkId, x.itemIdentifier)}`, x] as const)).values()) {
      const key = itemKey(e.frameworkId, e.itemIdentifier);
      const p: Pair = { userId: e.userId, frameworkId: e.frameworkId, itemIdentifier: e.itemIdentifier, levels: new Map() };
      const rows = (await evidence.find({ user_id: e.userId, item_key: key })).map((j) => parse<Evidence>(j));
      for (const x of rows) addTo(p.levels, x);
      pairs.set(`${e.userId}|${key}`, p);
      latest.set(`${e.userId}|${key}`, { u: e.userId, key, list: withNewest([], rows) });
    }
    await writePeople(users, pairs, latest);
  };

  // One unit of work per call: on SQLite the pieces, the people's records and the stamp commit once.
  const recordEvidence: CompetencyStore['recordEvidence'] = (rows) => unitOfWork(async () => {
    const created = new Set(await evidence.insertNew(rows.map(evidenceRow)));
    if (created.size === 0) return { created: [], before: [] };
    const fresh = rows.filter((r) => created.has(r.id));
    // One read and one write of each touched person's record (not one per piece).
    const users = unique(fresh.map((e) => e.userId));
    const pairs = await pairsOf(users);
    const before: EvidenceCounts[] = [];
    const touched = new Set(fresh.map((e) => `${e.userId}|${itemKey(e.frameworkId, e.itemIdentifier)}`));
    for (const [id, p] of pairs) if (touched.has(id)) before.push(countsOf(p));
    for (const e of fresh) {
      const id = `${e.userId}|${itemKey(e.frameworkId, e.itemIdentifier)}`;
      let p = pairs.get(id);
      if (!p) {
        p = { userId: e.userId, frameworkId: e.frameworkId, itemIdentifier: e.itemIdentifier, levels: new Map() };
        pairs.set(id, p);
      }
      addTo(p.levels, e);
    }
    const latest = await readNewest(users);
    const freshBy = new Map<string, Evidence[]>();
    for (const e of fresh) {
      const id = `${e.userId}|${itemKey(e.frameworkId, e.itemIdentifier)}`;
      const list = freshBy.get(id);
      if (list) list.push(e);
      else freshBy.set(id, [e]);
    }
    for (const [id, list] of freshBy) {
      const e = list[0] as Evidence;
      latest.set(id, { u: e.userId, key: itemKey(e.frameworkId, e.itemIdentifier), list: withNewest(latest.get(id)?.list ?? [], list) });
    }
    await writePeople(users, pairs, latest);
    return { created: [...created], before };
  });

  return {
    async insertEvidence(rows) {
      return (await recordEvidence(rows)).created;
    },
    recordEvidence,
    async findEvidenceSummariesOf(list) {
      const wanted = new Set(list.map((p) => `${p.userId}|${itemKey(p.frameworkId, p.itemIdentifier)}`));
      if (wanted.size === 0) return [];
      const pairs = await pairsOf(list.map((p) => p.userId), list.map((p) => itemKey(p.frameworkId, p.itemIdentifier)));
      for (const id of [...pairs.keys()]) if (!wanted.has(id)) pairs.delete(id);
      return summariesOf(pairs);
    },
    async findEvidenceLevelsOf(list) {
      const wanted = new Set(list.map((p) => `${p.userId}|${itemKey(p.frameworkId, p.itemIdentifier)}`));
      if (wanted.size === 0) return [];
      const out: EvidenceLevels[] = [];
      for (const [id, p] of await pairsOf(list.map((x) => x.userId), list.map((x) => itemKey(x.frameworkId, x.itemIdentifier)))) {
        if (wanted.has(id)) out.push({ userId: p.userId, frameworkId: p.frameworkId, itemIdentifier: p.itemIdentifier, levels: sortedLevels(p.levels) });
      }
      return out;
    },
    async findEvidenceSummariesOfUsers(userIds) {
      return summariesOf(await pairsOf(userIds));
    },
    async findEvidenceSummariesVersion() {
      const [j] = await meta.get(['summary-version']);
      return j === undefined ? '' : parse<{ v: string }>(j).v;
    },
    async findEvidenceLevelsOfUsers(userIds) {
      // The heat map's read: the record versions first; only records this object has not parsed
      // at that version are read and parsed (after one new piece of evidence: one record).
      const out: EvidenceLevels[] = [];
      const people = unique(userIds);
      for (let i = 0; i < people.length; i += CHUNK) {
        const versions = new Map<string, string>();
        for (const [id, v] of await levels.findColumns({ id: people.slice(i, i + CHUNK) }, ['id', 'v'])) {
          const hit = parsed.get(id as string);
          if (hit !== undefined && hit.v === v) out.push(...hit.levels);
          else versions.set(id as string, v as string);
        }
        if (versions.size === 0) continue;
        // Read after the versions: the JSON is at least as new as the version it is kept under, so
        // a record changed in between is read again next time, never kept stale.
        for (const r of await readPeople([...versions.keys()])) {
          const list: EvidenceLevels[] = r.p.map(([frameworkId, itemIdentifier, lv]) => ({
            userId: r.u, frameworkId, itemIdentifier, levels: lv.map(([level, count, latestAt, expiresAt]) => ({ level, count, latestAt, expiresAt })),
          }));
          out.push(...list);
          const v = versions.get(r.u);
          if (v === undefined) continue;
          parsed.delete(r.u);
          parsed.set(r.u, { v, levels: list });
        }
        for (const old of parsed.keys()) {
          if (parsed.size <= PARSED_PEOPLE) break;
          parsed.delete(old);
        }
      }
      return out;
    },
    async findEvidenceSummaries(userId) {
      return (await summariesOf(await pairsOf([userId]))).sort((a, b) => cmp(a.frameworkId, b.frameworkId) || cmp(a.itemIdentifier, b.itemIdentifier));
    },
    async findEvidence(q) {
      const f: Record<string, KeyValue | readonly KeyValue[]> = {};
      if (q.orgIds !== undefined) f['org_id'] = q.orgIds;
      if (q.itemIdentifier !== undefined && q.frameworkId !== undefined) f['item_key'] = itemKey(q.frameworkId, q.itemIdentifier);
      // Several people: read in chunks of 500 ids (an IN list / $in of bounded size), then narrow by userId too.
      const people = q.userIds !== undefined ? unique(q.userIds) : undefined;
      const read = async (): Promise<Evidence[]> => {
        if (q.statementIds !== undefined) return ofStatements(q.statementIds);
        const found: string[] = [];
        if (people === undefined) found.push(...(await evidence.find({ ...f, ...(q.userId !== undefined ? { user_id: q.userId } : {}) })));
        else for (let i = 0; i < people.length; i += CHUNK) found.push(...(await evidence.find({ ...f, user_id: people.slice(i, i + CHUNK) })));
        return found.map((j) => parse<Evidence>(j));
      };
      const who = people === undefined ? undefined : new Set(people);
      const rows = (await read())
        .filter((e) => (q.userId === undefined || e.userId === q.userId) && (who === undefined || who.has(e.userId)) && (q.orgIds === undefined || q.orgIds.includes(e.orgId)) && (q.frameworkId === undefined || e.frameworkId === q.frameworkId) && (q.itemIdentifier === undefined || e.itemIdentifier === q.itemIdentifier))
        .sort((a, b) => cmp(b.at, a.at) || cmp(a.id, b.id));
      return rows.slice(0, q.limit ?? 100000);
    },
    deleteEvidence: (what) => unitOfWork(async () => {
      if (what.all) {
        await levels.delete({});
        await legacy.delete({});
        await bump();
        return evidence.delete({});
      }
      let n = 0;
      if (what.statementIds) {
        const gone = await ofStatements(what.statementIds);
        n += await evidence.deleteIds(gone.map((e) => e.id));
        if (gone.length > 0) await recompute(gone);
      }
      if (what.userId !== undefined) {
        n += await evidence.delete({ user_id: what.userId });
        await levels.deleteIds([what.userId]);
        await legacy.delete({ user_id: what.userId });
        await bump();
      }
      if (what.alignmentId !== undefined) {
        const gone = (await evidence.find({ alignment_id: what.alignmentId })).map((j) => parse<Evidence>(j));
        n += await evidence.delete({ alignment_id: what.alignmentId });
        if (gone.length > 0) await recompute(gone);
      }
      return n;
    }),
    async findEvidenceLayoutStale() {
      return (await legacy.find({}, 1)).length > 0;
    },
  };
}
