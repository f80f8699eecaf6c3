/**
 * The CompetencyStore of both engines, over keyed-record tables (ADR 0021): the rules (ids,
 * order, idempotence, filters) live here once; the engines only store rows.
 */
import { randomUUID } from 'node:crypto';
import { conflict } from '../../errors';
import type {
  Alignment, BadgeClass, CompetencyAssociation, CompetencyItem, CompetencyStore, Framework, IssuedCredential,
  SelfAssessment, SigningKey,
} from '../ports/competency';
import { createEvidenceRecords } from './evidence';
import { noUnitOfWork, type KeyValue, type OpenRecordTable, type RecordFilter, type RecordUnitOfWork } from './table';

const parse = <T>(json: string): T => JSON.parse(json) as T;
const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);
const itemKey = (frameworkId: string, identifier: string): string => `${frameworkId}|${identifier}`;

/** Adds `field: value` to a filter when the value is given. */
function opt(filter: Record<string, KeyValue | readonly KeyValue[]>, field: string, value: KeyValue | readonly KeyValue[] | undefined): void {
  if (value !== undefined) filter[field] = value;
}

/** Opens the competency record tables of an engine. */
export function createCompetencyStore(open: OpenRecordTable, unitOfWork: RecordUnitOfWork = noUnitOfWork): CompetencyStore {
  const frameworks = open({ name: 'comp_frameworks', keys: ['org_id', 'identifier'] });
  const items = open({ name: 'comp_items', keys: ['framework_id'] });
  const associations = open({ name: 'comp_associations', keys: ['framework_id'] });
  const alignments = open({ name: 'comp_alignments', keys: ['org_id', 'item_key', 'activity_id', 'course_id', 'framework_id'] });
  const assessments = open({ name: 'comp_self', keys: ['user_id', 'org_id', 'item_key'] });
  const keys = open({ name: 'comp_keys', keys: ['org_id'] });
  const badges = open({ name: 'comp_badges', keys: ['org_id', 'item_key', 'course_id'] });
  const credentials = open({ name: 'comp_credentials', keys: ['org_id', 'user_id', 'badge_id'] });
  const meta = open({ name: 'comp_meta', keys: [] });

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

    ...createEvidenceRecords(open, meta, unitOfWork),

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
