/**
 * The CompetencyStore of both engines, over keyed-record tables (ADR 0021): the rules (ids,
 * order, idempotence, filters) live here once; the engines only store rows.
 */
import { randomUUID } from 'node:crypto';
import { conflict } from '../../errors';
import type {
  Alignment, BadgeClass, CompetencyAssociation, CompetencyItem, CompetencyStore, Evidence, EvidenceLevels, EvidenceSummary, Framework, IssuedCredential,
  SelfAssessment, SigningKey,
} from '../ports/competency';
import type { KeyValue, OpenRecordTable, RecordFilter } from './table';

const parse = <T>(json: string): T => JSON.parse(json) as T;
const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);
const itemKey = (frameworkId: string, identifier: string): string => `${frameworkId}|${identifier}`;

function emptySummary(e: Pick<Evidence, 'userId' | 'frameworkId' | 'itemIdentifier'>): EvidenceSummary {
  return { userId: e.userId, frameworkId: e.frameworkId, itemIdentifier: e.itemIdentifier, count: 0, levels: [], latest: [] };
}

/** A summary with these pieces of evidence added (the same whatever order they come in). */
export function addToSummary(base: EvidenceSummary, rows: readonly Evidence[]): EvidenceSummary {
  const levels = new Map(base.levels.map((l) => [l.level, { ...l }]));
  for (const e of rows) {
    const l = levels.get(e.level);
    const expiry = e.expiresAt ?? null;
    if (!l) {
      levels.set(e.level, { level: e.level, count: 1, latestAt: e.at, expiresAt: expiry });
      continue;
    }
    l.count += 1;
    if (e.at > l.latestAt) l.latestAt = e.at;
    l.expiresAt = l.expiresAt === null || expiry === null ? null : (expiry > l.expiresAt ? expiry : l.expiresAt);
  }
  const latest = [...base.latest, ...rows].sort((a, b) => cmp(b.at, a.at) || cmp(a.id, b.id)).slice(0, 3);
  return { ...base, count: base.count + rows.length, levels: [...levels.values()].sort((a, b) => a.level - b.level), latest };
}

/** Adds `field: value` to a filter when the value is given. */
function opt(filter: Record<string, KeyValue | readonly KeyValue[]>, field: string, value: KeyValue | readonly KeyValue[] | undefined): void {
  if (value !== undefined) filter[field] = value;
}

/** Opens the competency record tables of an engine. */
export function createCompetencyStore(open: OpenRecordTable): CompetencyStore {
  const frameworks = open({ name: 'comp_frameworks', keys: ['org_id', 'identifier'] });
  const items = open({ name: 'comp_items', keys: ['framework_id'] });
  const associations = open({ name: 'comp_associations', keys: ['framework_id'] });
  const alignments = open({ name: 'comp_alignments', keys: ['org_id', 'item_key', 'activity_id', 'course_id', 'framework_id'] });
  const evidence = open({ name: 'comp_evidence', keys: ['user_id', 'statement_id', 'alignment_id', 'item_key', 'org_id'] });
  const summaries = open({ name: 'comp_summary', keys: ['user_id'] });
  const assessments = open({ name: 'comp_self', keys: ['user_id', 'org_id', 'item_key'] });
  const keys = open({ name: 'comp_keys', keys: ['org_id'] });
  const badges = open({ name: 'comp_badges', keys: ['org_id', 'item_key', 'course_id'] });
  const credentials = open({ name: 'comp_credentials', keys: ['org_id', 'user_id', 'badge_id'] });
  const meta = open({ name: 'comp_meta', keys: [] });

  const evidenceRow = (e: Evidence) => ({
    id: e.id,
    keys: { user_id: e.userId, statement_id: e.statementId, alignment_id: e.alignmentId, item_key: itemKey(e.frameworkId, e.itemIdentifier), org_id: e.orgId },
    json: JSON.stringify(e),
  });
  /** After every change of the summaries (never before it: a reader reads the stamp before the rows). */
  const bumpSummaries = async (): Promise<void> => {
    await meta.put([{ id: 'summary-version', keys: {}, json: JSON.stringify({ v: randomUUID() }) }]);
  };
  const summaryId = (userId: string, fw: string, item: string): string => `${userId}|${itemKey(fw, item)}`;
  const putSummaries = async (list: readonly EvidenceSummary[]): Promise<void> => {
    const empty = list.filter((x) => x.count === 0).map((x) => summaryId(x.userId, x.frameworkId, x.itemIdentifier));
    if (empty.length > 0) await summaries.deleteIds(empty);
    await summaries.put(list.filter((x) => x.count > 0).map((x) => ({ id: summaryId(x.userId, x.frameworkId, x.itemIdentifier), keys: { user_id: x.userId }, json: JSON.stringify(x) })));
    await bumpSummaries();
  };
  /** Recomputes the summaries of these (person, competency) pairs from their evidence. */
  const recompute = async (pairs: ReadonlyMap<string, Evidence>): Promise<void> => {
    const out: EvidenceSummary[] = [];
    for (const e of pairs.values()) {
      const rows = (await evidence.find({ user_id: e.userId, item_key: itemKey(e.frameworkId, e.itemIdentifier) })).map((j) => parse<Evidence>(j));
      out.push(addToSummary(emptySummary(e), rows));
    }
    await putSummaries(out);
  };
  const pairsOf = (rows: readonly Evidence[]): Map<string, Evidence> => new Map(rows.map((e) => [summaryId(e.userId, e.frameworkId, e.itemIdentifier), e]));
  const recordEvidence: CompetencyStore['recordEvidence'] = async (rows) => {
    const created = new Set(await evidence.insertNew(rows.map(evidenceRow)));
    if (created.size === 0) return { created: [], before: [] };
    const fresh = rows.filter((r) => created.has(r.id));
    const groups = new Map<string, Evidence[]>();
    for (const e of fresh) {
      const id = summaryId(e.userId, e.frameworkId, e.itemIdentifier);
      const list = groups.get(id);
      if (list) list.push(e);
      else groups.set(id, [e]);
    }
    const before = (await summaries.get([...groups.keys()])).map((j) => parse<EvidenceSummary>(j));
    const existing = new Map(before.map((x) => [summaryId(x.userId, x.frameworkId, x.itemIdentifier), x] as const));
    await putSummaries([...groups.entries()].map(([id, list]) => addToSummary(existing.get(id) ?? emptySummary(list[0] as Evidence), list)));
    return { created: [...created], before };
  };
  const credentialRow = (c: IssuedCredential) => ({ id: c.id, keys: { org_id: c.orgId, user_id: c.userId, badge_id: c.badgeId }, json: JSON.stringify(c) });

  return {
    async upsertFramework(f) {
      await frameworks.put([{ id: f.id, keys: { org_id: f.orgId, identifier: f.identifier }, json: JSON.stringify(f) }]);
    },
    async findFramework(id) {
      const [j] = await frameworks.get([id]);
      return j === undefined ? undefined : parse<Framework>(j);
    },
    async findFrameworkByIdentifier(orgId, identifier) {
      const [j] = await frameworks.find({ org_id: orgId, identifier }, 1);
      return j === undefined ? undefined : parse<Framework>(j);
    },
    async findFrameworks(filter) {
      const f: Record<string, readonly KeyValue[]> = {};
      if (filter.orgIds) f['org_id'] = filter.orgIds;
      return (await frameworks.find(f)).map((j) => parse<Framework>(j)).sort((a, b) => cmp(a.title, b.title) || cmp(a.id, b.id));
    },

    async upsertItems(list) {
      await items.put(list.map((i) => ({ id: itemKey(i.frameworkId, i.identifier), keys: { framework_id: i.frameworkId }, json: JSON.stringify(i) })));
    },
    async findItems(q) {
      const rows = q.identifiers
        ? (await items.get(q.identifiers.map((id) => itemKey(q.frameworkId, id)))).map((j) => parse<CompetencyItem>(j))
        : (await items.find({ framework_id: q.frameworkId })).map((j) => parse<CompetencyItem>(j));
      return rows
        .filter((i) => q.includeRetired === true || i.retiredAt === undefined)
        .sort((a, b) => cmp(a.position, b.position) || cmp(a.identifier, b.identifier));
    },

    async replaceAssociations(frameworkId, list) {
      await associations.delete({ framework_id: frameworkId });
      await associations.put(list.map((a) => ({ id: `${frameworkId}|${a.identifier}`, keys: { framework_id: frameworkId }, json: JSON.stringify(a) })));
    },
    async findAssociations(frameworkId) {
      return (await associations.find({ framework_id: frameworkId })).map((j) => parse<CompetencyAssociation>(j)).sort((a, b) => cmp(a.identifier, b.identifier));
    },

    async insertAlignment(a) {
      const created = await alignments.insertNew([{
        id: a.id,
        keys: { org_id: a.orgId, item_key: itemKey(a.frameworkId, a.itemIdentifier), activity_id: a.activityId, course_id: a.target.courseId ?? null, framework_id: a.frameworkId },
        json: JSON.stringify(a),
      }]);
      if (created.length === 0) throw conflict(`alignment ${a.id} already exists`);
    },
    async findAlignment(id) {
      const [j] = await alignments.get([id]);
      return j === undefined ? undefined : parse<Alignment>(j);
    },
    async findAlignments(q) {
      const f: Record<string, KeyValue | readonly KeyValue[]> = {};
      opt(f, 'org_id', q.orgIds);
      // An item's key names its framework too: filtering by both would let SQLite pick the framework's
      // index (every alignment of the framework) over the item's; the framework is checked below.
      if (q.itemIdentifier !== undefined && q.frameworkId !== undefined) f['item_key'] = itemKey(q.frameworkId, q.itemIdentifier);
      else opt(f, 'framework_id', q.frameworkId);
      opt(f, 'activity_id', q.activityIds);
      opt(f, 'course_id', q.courseId);
      return (await alignments.find(f))
        .map((j) => parse<Alignment>(j))
        .filter((a) => (q.frameworkId === undefined || a.frameworkId === q.frameworkId) && (q.itemIdentifier === undefined || a.itemIdentifier === q.itemIdentifier))
        .sort((a, b) => cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id));
    },
    async deleteAlignment(id) {
      return (await alignments.deleteIds([id])) > 0;
    },

    async findMatchVersion() {
      const [j] = await meta.get(['match-version']);
      return j === undefined ? '' : parse<{ v: string }>(j).v;
    },
    async bumpMatchVersion() {
      await meta.put([{ id: 'match-version', keys: {}, json: JSON.stringify({ v: randomUUID() }) }]);
    },

    async insertEvidence(rows) {
      return (await recordEvidence(rows)).created;
    },
    recordEvidence,
    async findEvidenceSummariesOf(pairs) {
      const ids = [...new Set(pairs.map((p) => summaryId(p.userId, p.frameworkId, p.itemIdentifier)))];
      return (await summaries.get(ids)).map((j) => parse<EvidenceSummary>(j));
    },
    async findEvidenceSummariesOfUsers(userIds) {
      const ids = [...new Set(userIds)];
      const out: EvidenceSummary[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        for (const j of await summaries.find({ user_id: ids.slice(i, i + 500) })) out.push(parse<EvidenceSummary>(j));
      }
      return out;
    },
    async findEvidenceSummariesVersion() {
      const [j] = await meta.get(['summary-version']);
      return j === undefined ? '' : parse<{ v: string }>(j).v;
    },
    async findEvidenceLevelsOfUsers(userIds) {
      const ids = [...new Set(userIds)];
      const out: EvidenceLevels[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        for (const [userId, frameworkId, itemIdentifier, levels] of await summaries.findFields({ user_id: ids.slice(i, i + 500) }, ['userId', 'frameworkId', 'itemIdentifier', 'levels'])) {
          out.push({ userId: userId as string, frameworkId: frameworkId as string, itemIdentifier: itemIdentifier as string, levels: levels as EvidenceLevels['levels'] });
        }
      }
      return out;
    },
    async findEvidenceSummaries(userId) {
      return (await summaries.find({ user_id: userId })).map((j) => parse<EvidenceSummary>(j))
        .sort((a, b) => cmp(a.frameworkId, b.frameworkId) || cmp(a.itemIdentifier, b.itemIdentifier));
    },
    async findEvidence(q) {
      const f: Record<string, KeyValue | readonly KeyValue[]> = {};
      opt(f, 'statement_id', q.statementIds);
      opt(f, 'org_id', q.orgIds);
      if (q.itemIdentifier !== undefined && q.frameworkId !== undefined) f['item_key'] = itemKey(q.frameworkId, q.itemIdentifier);
      // Several people: read in chunks of 500 ids (an IN list / $in of bounded size), then narrow by userId too.
      const people = q.userIds !== undefined ? [...new Set(q.userIds)] : undefined;
      const found: string[] = [];
      if (people === undefined) found.push(...(await evidence.find({ ...f, ...(q.userId !== undefined ? { user_id: q.userId } : {}) })));
      else for (let i = 0; i < people.length; i += 500) found.push(...(await evidence.find({ ...f, user_id: people.slice(i, i + 500) })));
      const rows = found
        .map((j) => parse<Evidence>(j))
        .filter((e) => (q.userId === undefined || e.userId === q.userId) && (q.frameworkId === undefined || e.frameworkId === q.frameworkId) && (q.itemIdentifier === undefined || e.itemIdentifier === q.itemIdentifier))
        .sort((a, b) => cmp(b.at, a.at) || cmp(a.id, b.id));
      return rows.slice(0, q.limit ?? 100000);
    },
    async deleteEvidence(what) {
      if (what.all) {
        await summaries.delete({});
        await bumpSummaries();
        return evidence.delete({});
      }
      let n = 0;
      if (what.statementIds) {
        const pairs = pairsOf((await evidence.find({ statement_id: what.statementIds })).map((j) => parse<Evidence>(j)));
        n += await evidence.delete({ statement_id: what.statementIds });
        await recompute(pairs);
      }
      if (what.userId !== undefined) {
        n += await evidence.delete({ user_id: what.userId });
        await summaries.delete({ user_id: what.userId });
        await bumpSummaries();
      }
      if (what.alignmentId !== undefined) {
        const pairs = pairsOf((await evidence.find({ alignment_id: what.alignmentId })).map((j) => parse<Evidence>(j)));
        n += await evidence.delete({ alignment_id: what.alignmentId });
        await recompute(pairs);
      }
      return n;
    },

    async upsertSelfAssessment(a) {
      const key = itemKey(a.frameworkId, a.itemIdentifier);
      await assessments.put([{ id: `${a.userId}|${a.orgId}|${key}`, keys: { user_id: a.userId, org_id: a.orgId, item_key: key }, json: JSON.stringify(a) }]);
    },
    async findSelfAssessments(q) {
      const f: Record<string, KeyValue | readonly KeyValue[]> = {};
      opt(f, 'user_id', q.userId);
      opt(f, 'org_id', q.orgIds);
      if (q.itemIdentifier !== undefined && q.frameworkId !== undefined) f['item_key'] = itemKey(q.frameworkId, q.itemIdentifier);
      return (await assessments.find(f))
        .map((j) => parse<SelfAssessment>(j))
        .filter((a) => q.frameworkId === undefined || a.frameworkId === q.frameworkId)
        .sort((a, b) => cmp(a.frameworkId, b.frameworkId) || cmp(a.itemIdentifier, b.itemIdentifier) || cmp(a.orgId, b.orgId));
    },
    async deleteSelfAssessments(userId) {
      return assessments.delete({ user_id: userId });
    },

    async insertSigningKey(k) {
      const created = await keys.insertNew([{ id: k.kid, keys: { org_id: k.orgId }, json: JSON.stringify(k) }]);
      if (created.length === 0) throw conflict(`signing key ${k.kid} already exists`);
    },
    async findSigningKeys(orgId) {
      return (await keys.find({ org_id: orgId })).map((j) => parse<SigningKey>(j)).sort((a, b) => cmp(b.createdAt, a.createdAt) || cmp(b.kid, a.kid));
    },
    async retireSigningKey(kid, at) {
      const [j] = await keys.get([kid]);
      if (j === undefined) return false;
      const k = parse<SigningKey>(j);
      if (k.retiredAt !== undefined) return false;
      await keys.put([{ id: kid, keys: { org_id: k.orgId }, json: JSON.stringify({ ...k, retiredAt: at }) }]);
      return true;
    },

    async upsertBadge(b) {
      await badges.put([{
        id: b.id,
        keys: { org_id: b.orgId, item_key: b.frameworkId !== undefined && b.itemIdentifier !== undefined ? itemKey(b.frameworkId, b.itemIdentifier) : null, course_id: b.courseId ?? null },
        json: JSON.stringify(b),
      }]);
    },
    async findBadge(id) {
      const [j] = await badges.get([id]);
      return j === undefined ? undefined : parse<BadgeClass>(j);
    },
    async findBadges(q) {
      const f: Record<string, KeyValue | readonly KeyValue[]> = {};
      opt(f, 'org_id', q.orgIds);
      if (q.itemIdentifier !== undefined && q.frameworkId !== undefined) f['item_key'] = itemKey(q.frameworkId, q.itemIdentifier);
      opt(f, 'course_id', q.courseId);
      return (await badges.find(f)).map((j) => parse<BadgeClass>(j)).sort((a, b) => cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id));
    },

    async insertCredential(c) {
      const created = await credentials.insertNew([credentialRow(c)]);
      if (created.length === 0) throw conflict(`credential ${c.id} already exists`);
    },
    async findCredential(id) {
      const [j] = await credentials.get([id]);
      return j === undefined ? undefined : parse<IssuedCredential>(j);
    },
    async findCredentials(q) {
      const f: Record<string, KeyValue | readonly KeyValue[]> = {};
      opt(f, 'user_id', q.userId);
      opt(f, 'badge_id', q.badgeId);
      opt(f, 'org_id', q.orgIds);
      return (await credentials.find(f as RecordFilter)).map((j) => parse<IssuedCredential>(j)).sort((a, b) => cmp(b.issuedAt, a.issuedAt) || cmp(a.id, b.id));
    },
    async revokeCredential(id, at, reason) {
      const [j] = await credentials.get([id]);
      if (j === undefined) return undefined;
      const c = parse<IssuedCredential>(j);
      if (c.revokedAt !== undefined) return c;
      const next: IssuedCredential = { ...c, revokedAt: at, revocationReason: reason };
      await credentials.put([credentialRow(next)]);
      return next;
    },
  };
}
