/**
 * The competency evidence projection, a pipeline subscriber: every stored statement that meets an
 * alignment's rule becomes evidence (person, competency, level, statement, time, organization).
 * Voiding removes what the voided statement gave, erasure everything of the person, reset()
 * everything (the engine then replays from seq 0 and the same evidence comes back: its id and
 * time come from the statement and the alignment only).
 *
 * Each new piece of evidence is also written to the LRS as an attainment statement
 * (attainment.ts) with an id derived from the evidence id, so a replay stores nothing twice.
 */
import type { AppServices } from '../deps';
import type { PipelineEvent, Subscriber } from '../pipeline/types';
import type { Alignment, Evidence, EvidenceCounts } from '../store/ports';
import { alignmentsGeneration, courseActivities } from './alignments';
import { agentKey } from '../xapi/model/agent-key';
import { awardForCourse, awardForEvidence, revokeCourseBadges, revokeUnsupported } from './badges';
import { voidLostAttainments, writeAttainments } from './attainment';
import { evidenceOf } from './evidence-of';
import { meetsRule, personOf } from './rules';

export { evidenceOf };

/** Options of the subscriber (tests and benches turn the attainment statements off). */
export interface EvidenceSubscriberOptions {
  /** Write an attainment statement for each new piece of evidence (default true). */
  readonly attainments?: boolean;
  /** Issue the badges new evidence and completed courses earn (default true). */
  readonly badges?: boolean;
  /** Longest the alignment index is kept while neither this process nor the store's match version says it changed, ms (default 60000). */
  readonly cacheMs?: number;
}

/** What the subscriber matches statements against. */
interface MatchIndex {
  /** Alignments by activity IRI. */
  readonly alignments: ReadonlyMap<string, readonly Alignment[]>;
  /** Course ids by course-level activity IRI, for courses that carry a badge. */
  readonly badgeCourses: ReadonlyMap<string, string>;
  /** `frameworkId|itemIdentifier` of the competencies that carry a badge. */
  readonly badgeItems: ReadonlySet<string>;
}

/** The index, and a check that it is still current. */
interface IndexLoader {
  /** The current index: reloaded when this process changed alignments or badges (generation), another did (the store's match version), or the cache aged. */
  load(): Promise<MatchIndex>;
  /** Reloads at once when the store's match version moved since the last load (called after a batch). */
  recheck(): Promise<void>;
}

/**
 * The index of alignments and badges (ADR 0027). Another instance's change is seen at the next
 * batch: its version is read before the batch is matched, and the change is stored before the
 * version moves and before the creator backfills, so a batch either sees the new alignment or was
 * read before it existed (the backfill covers those). An alignment deleted while a batch matched
 * against it may have left evidence after the deleter removed it: a reload removes the evidence of
 * every alignment that left the index.
 */
function matchIndex(s: AppServices, cacheMs: number): IndexLoader {
  let index: MatchIndex | undefined;
  let loadedGen = -1;
  let loadedVersion = '';
  let loadedAt = 0;
  let alignmentIds = new Set<string>();
  const reload = async (gen: number, version: string): Promise<MatchIndex> => {
    const next = new Map<string, Alignment[]>();
    const ids = new Set<string>();
    for (const a of await s.store.competency.findAlignments({})) {
      ids.add(a.id);
      for (const id of a.activityIds) {
        const list = next.get(id) ?? [];
        list.push(a);
        next.set(id, list);
      }
    }
    const badgeCourses = new Map<string, string>();
    const badgeItems = new Set<string>();
    for (const b of await s.store.competency.findBadges({})) {
      if (b.frameworkId !== undefined && b.itemIdentifier !== undefined) badgeItems.add(`${b.frameworkId}|${b.itemIdentifier}`);
      if (b.courseId === undefined) continue;
      const course = await s.store.courses.findCourse(b.courseId);
      if (course) for (const id of (await courseActivities(s, course)).course) badgeCourses.set(id, course.id);
    }
    for (const gone of alignmentIds) if (!ids.has(gone)) await s.store.competency.deleteEvidence({ alignmentId: gone });
    alignmentIds = ids;
    index = { alignments: next, badgeCourses, badgeItems };
    loadedGen = gen;
    loadedVersion = version;
    loadedAt = Date.now();
    return index;
  };
  return {
    async load() {
      const gen = alignmentsGeneration();
      const version = await s.store.competency.findMatchVersion();
      if (index && loadedGen === gen && loadedVersion === version && Date.now() - loadedAt < cacheMs) return index;
      return reload(gen, version);
    },
    async recheck() {
      const version = await s.store.competency.findMatchVersion();
      if (index && version !== loadedVersion) await reload(alignmentsGeneration(), version);
    },
  };
}

/**
 * The pieces of new evidence that raise a person's level of a competency (an attainment): in log
 * order, each one above every earlier piece of that person and competency (`before`: the
 * summaries as they were before this batch). The same log gives the same answer whatever the batch
 * boundaries, so a rebuild writes the same attainment statements.
 */
function levelRises(fresh: readonly Evidence[], before: readonly EvidenceCounts[]): Evidence[] {
  const best = new Map(before.map((x) => [`${x.userId}|${x.frameworkId}|${x.itemIdentifier}`, Math.max(0, ...x.levels.map((l) => l.level))]));
  const out: Evidence[] = [];
  for (const e of fresh) {
    const key = `${e.userId}|${e.frameworkId}|${e.itemIdentifier}`;
    const top = best.get(key) ?? 0;
    if (e.level > top) {
      out.push(e);
      best.set(key, e.level);
    }
  }
  return out;
}

/** Issues a course's badges when a statement says its learner completed it. */
async function courseBadges(s: AppServices, statement: Readonly<Record<string, unknown>>, courses: ReadonlyMap<string, string>): Promise<void> {
  const objectId = (statement['object'] as Record<string, unknown> | undefined)?.['id'];
  const courseId = typeof objectId === 'string' ? courses.get(objectId) : undefined;
  if (courseId === undefined || !meetsRule({ kind: 'completed' }, statement)) return;
  const userId = personOf(statement, s.config.publicUrl);
  if (userId !== undefined) await awardForCourse(s, courseId, userId);
}

/**
 * After `voidedId` was voided: when it was a person's completion of a course that carries a badge
 * and no other completion of theirs about the course remains, their credentials of the course's
 * badges are revoked (ADR 0027).
 */
async function voidedCourseCompletion(s: AppServices, voidedId: string, courses: ReadonlyMap<string, string>): Promise<void> {
  const [voided] = await s.store.statements.findStatementsByIds([voidedId]);
  if (!voided) return;
  const statement = voided.statement;
  const objectId = (statement['object'] as Record<string, unknown> | undefined)?.['id'];
  const courseId = typeof objectId === 'string' ? courses.get(objectId) : undefined;
  const userId = personOf(statement, s.config.publicUrl);
  const actor = agentKey(statement['actor']);
  if (courseId === undefined || userId === undefined || actor === undefined || !meetsRule({ kind: 'completed' }, statement)) return;
  for (const [activityId, c] of courses) {
    if (c !== courseId) continue;
    // Voided statements are left out of queries: what comes back still stands.
    const page = await s.store.statements.findStatements({ allRefs: [`A|${actor}`, `O|${activityId}`], ascending: true, limit: 500 });
    if (page.statements.some((st) => st.id !== voidedId && !st.voided && meetsRule({ kind: 'completed' }, st.statement))) return;
  }
  await revokeCourseBadges(s, courseId, userId, `the course completion behind it was voided (statement ${voidedId})`);
}

/** The evidence a voided statement gave (or would give) under the current alignments: derived again from the statement. */
async function evidenceOfVoided(s: AppServices, voidedId: string, alignments: MatchIndex['alignments']): Promise<Evidence[]> {
  const [voided] = await s.store.statements.findStatementsByIds([voidedId]);
  return voided ? evidenceOf(voided.statement, voided.id, voided.stored, [], alignments, s.config.publicUrl) : [];
}

/** The competency evidence subscriber (register it with the pipeline engine under its name). */
export function competencyEvidenceSubscriber(s: AppServices, options: EvidenceSubscriberOptions = {}): Subscriber {
  const indexes = matchIndex(s, options.cacheMs ?? 60_000);
  const name = 'competency-evidence';
  // Evidence kept in the layout before ADR 0035 is rebuilt once by a replay: checked at this
  // process's first batch; the rebuild's reset() empties the old rows, so no process asks again.
  let layoutChecked = false;
  return {
    name,
    batchSize: 200,
    async handle(events: readonly PipelineEvent[]) {
      if (!layoutChecked) {
        if (await s.store.competency.findEvidenceLayoutStale()) await s.store.pipeline.requestRebuild(name, s.now().toISOString());
        layoutChecked = true;
      }
      const index = await indexes.load();
      // Runs of stored events are written together; voiding and erasure apply in order between them.
      let pending: Evidence[] = [];
      const earnsBadge = (e: Evidence): boolean => index.badgeItems.has(`${e.frameworkId}|${e.itemIdentifier}`);
      const flush = async (): Promise<void> => {
        if (pending.length === 0) return;
        const rows = pending;
        pending = [];
        // The summaries as they were before this batch come back from the write (no read of our own).
        const recorded = await s.store.competency.recordEvidence(rows);
        const before = recorded.before;
        const created = new Set(recorded.created);
        const fresh = rows.filter((r) => created.has(r.id));
        if (options.attainments !== false && fresh.length > 0) await writeAttainments(s, levelRises(fresh, before));
        const badged = options.badges !== false ? fresh.filter(earnsBadge) : [];
        if (badged.length > 0) await awardForEvidence(s, badged);
      };
      for (const e of events) {
        if (e.kind === 'stored') {
          if (e.statement.voided) continue;
          if (index.alignments.size > 0) pending.push(...evidenceOf(e.statement.statement, e.statement.id, e.statement.stored, e.orgIds, index.alignments, s.config.publicUrl));
          if (options.badges !== false && index.badgeCourses.size > 0) await courseBadges(s, e.statement.statement, index.badgeCourses);
        } else if (e.kind === 'voided') {
          await flush();
          // A badge whose only evidence was the voided statement is revoked (ADR 0027), and the
          // attainment statement the evidence was written as is voided when the level is no longer reached (ADR 0036).
          const badges = options.badges !== false;
          const attainments = options.attainments !== false;
          const gone = attainments || (badges && index.badgeItems.size > 0) ? await s.store.competency.findEvidence({ statementIds: [e.voidedId] }) : [];
          const lost = badges ? gone.filter(earnsBadge) : [];
          await s.store.competency.deleteEvidence({ statementIds: [e.voidedId] });
          if (lost.length > 0) await revokeUnsupported(s, lost, `the evidence behind it was voided (statement ${e.voidedId})`);
          // With the evidence the voided statement gives (derived again), so that a retry after the delete above still voids.
          if (attainments && index.alignments.size > 0) await voidLostAttainments(s, [...gone, ...(await evidenceOfVoided(s, e.voidedId, index.alignments))]);
          if (badges && index.badgeCourses.size > 0) await voidedCourseCompletion(s, e.voidedId, index.badgeCourses);
        } else {
          await flush();
          await s.store.competency.deleteEvidence({ userId: e.userId });
          await s.store.competency.deleteSelfAssessments(e.userId);
        }
      }
      await flush();
      // An alignment deleted elsewhere while this batch matched: its evidence goes now, not at the next batch.
      await indexes.recheck();
    },
    async reset() {
      await s.store.competency.deleteEvidence({ all: true });
    },
  };
}
