/**
 * Role profiles name competencies by URI (ADR 0024); the competency area keeps them as items of
 * frameworks, and people's levels as evidence summaries and confirmed self-assessments. This
 * module joins the two: it resolves URIs to items (cached per framework version) and computes
 * current levels with the competency area's own rule (profileEntries).
 */
import { profileEntries } from '../competency/profile';
import type { AppServices } from '../deps';
import type { CompetencyItem, EvidenceLevels, Framework } from '../store/ports';

/** Above this many competencies, levels are read person by person rather than pair by pair. */
const PAIRS_PER_PERSON = 8;

/** Level reads of groups of people kept per store, each stamped with the summaries' version it was read at. */
const LEVEL_READS = 8;
const levelReads = new WeakMap<object, Map<string, { version: string; rows: readonly EvidenceLevels[] }>>();

/**
 * findEvidenceLevelsOfUsers, answered from memory while the store's summaries stamp has not moved
 * (it moves after every change, in any process; read before the rows, so a change during the read
 * outdates the entry). The key is the exact list of people; least recently used out.
 */
async function evidenceLevelsOf(s: AppServices, userIds: readonly string[]): Promise<readonly EvidenceLevels[]> {
  const store = s.store.competency;
  let reads = levelReads.get(store);
  if (!reads) {
    reads = new Map();
    levelReads.set(store, reads);
  }
  const key = JSON.stringify(userIds);
  const version = await store.findEvidenceSummariesVersion();
  const hit = reads.get(key);
  reads.delete(key);
  if (hit && hit.version === version) {
    reads.set(key, hit);
    return hit.rows;
  }
  const rows = await store.findEvidenceLevelsOfUsers(userIds);
  reads.set(key, { version, rows });
  for (const old of reads.keys()) {
    if (reads.size <= LEVEL_READS) break;
    reads.delete(old);
  }
  return rows;
}

/** A competency a role profile names, as the competency area knows it (undefined parts: unknown URI). */
export interface ResolvedCompetency {
  readonly uri: string;
  readonly framework?: Framework;
  readonly item?: CompetencyItem;
  /** A short name: the item's abbreviated statement, else its full statement, else the URI. */
  readonly name: string;
  readonly code?: string;
}

const byFramework = new Map<string, { updatedAt: string; byUri: Map<string, CompetencyItem> }>();

/** Resolves competency URIs against every framework of the site (items of a framework are read once per version). */
export async function resolveCompetencies(s: AppServices, uris: readonly string[]): Promise<Map<string, ResolvedCompetency>> {
  const wanted = new Set(uris);
  const out = new Map<string, ResolvedCompetency>();
  if (wanted.size === 0) return out;
  const frameworks = await s.store.competency.findFrameworks({});
  for (const f of frameworks) {
    let cached = byFramework.get(f.id);
    if (!cached || cached.updatedAt !== f.updatedAt) {
      const items = await s.store.competency.findItems({ frameworkId: f.id });
      cached = { updatedAt: f.updatedAt, byUri: new Map(items.map((i) => [i.uri, i])) };
      byFramework.set(f.id, cached);
    }
    for (const uri of wanted) {
      const item = cached.byUri.get(uri);
      if (item && !out.has(uri)) {
        out.set(uri, { uri, framework: f, item, name: item.abbreviatedStatement ?? item.fullStatement, ...(item.humanCodingScheme ? { code: item.humanCodingScheme } : {}) });
      }
    }
  }
  for (const uri of wanted) if (!out.has(uri)) out.set(uri, { uri, name: uri });
  return out;
}

/** The name of a level on a competency's scale ('Level n' when the scale does not name it; '' for 0). */
export function levelName(c: ResolvedCompetency | undefined, level: number): string {
  if (level <= 0) return 'None';
  return c?.framework?.scale.find((l) => l.rank === level)?.name ?? `Level ${level}`;
}

/** Current levels of one person, by competency URI (0 when nothing counts), from evidence summaries and confirmed self-assessments. */
export async function currentLevels(s: AppServices, userId: string, competencies: ReadonlyMap<string, ResolvedCompetency>): Promise<Map<string, number>> {
  const [summaries, selves] = await Promise.all([s.store.competency.findEvidenceSummaries(userId), s.store.competency.findSelfAssessments({ userId })]);
  const frameworks = new Map<string, Framework>();
  for (const c of competencies.values()) if (c.framework) frameworks.set(c.framework.id, c.framework);
  const entries = profileEntries(summaries, selves, frameworks, s.now());
  const out = new Map<string, number>();
  for (const [uri, c] of competencies) {
    const e = c.framework && c.item ? entries.get(`${c.framework.id}|${c.item.identifier}`) : undefined;
    out.set(uri, e?.level ?? 0);
  }
  return out;
}

/**
 * Current levels of many people at once (heat map, goals): reads evidence summaries of the
 * (person, competency) pairs only, and the confirmed self-assessments of the organization.
 */
export async function levelsOfPeople(s: AppServices, orgId: string, userIds: readonly string[], competencies: ReadonlyMap<string, ResolvedCompetency>): Promise<Map<string, Map<string, number>>> {
  const known = [...competencies.values()].filter((c) => c.framework && c.item);
  let summaries: readonly EvidenceLevels[] = [];
  if (known.length > PAIRS_PER_PERSON) {
    // Many competencies: the levels of every summary of the people (indexed by person) beat a lookup per pair.
    summaries = await evidenceLevelsOf(s, userIds);
  } else if (known.length > 0) {
    summaries = await s.store.competency.findEvidenceLevelsOf(userIds.flatMap((userId) => known.map((c) => ({ userId, frameworkId: (c.framework as Framework).id, itemIdentifier: (c.item as CompetencyItem).identifier }))));
  }
  const selves = (await s.store.competency.findSelfAssessments({ orgIds: [orgId] })).filter((a) => a.confirmedAt !== undefined);
  const uriOf = new Map(known.map((c) => [`${(c.framework as Framework).id}|${(c.item as CompetencyItem).identifier}`, c.uri]));
  const nowIso = s.now().toISOString();
  const out = new Map<string, Map<string, number>>(userIds.map((u) => [u, new Map<string, number>()]));
  const raise = (userId: string, uri: string | undefined, level: number): void => {
    const m = out.get(userId);
    if (!m || uri === undefined) return;
    if (level > (m.get(uri) ?? 0)) m.set(uri, level);
  };
  for (const x of summaries) {
    const uri = uriOf.get(`${x.frameworkId}|${x.itemIdentifier}`);
    for (const l of x.levels) if (l.expiresAt === null || l.expiresAt > nowIso) raise(x.userId, uri, l.level);
  }
  for (const a of selves) raise(a.userId, uriOf.get(`${a.frameworkId}|${a.itemIdentifier}`), a.level);
  return out;
}
