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
import type { Alignment, Evidence } from '../store/ports';
import { alignmentsGeneration } from './alignments';
import { writeAttainments } from './attainment';
import { meetsRule, personOf } from './rules';

/** Options of the subscriber (tests and benches turn the attainment statements off). */
export interface EvidenceSubscriberOptions {
  /** Write an attainment statement for each new piece of evidence (default true). */
  readonly attainments?: boolean;
  /** How long alignments are cached when nothing in this process changed them, ms (default 5000: other instances' changes). */
  readonly cacheMs?: number;
}

/** Alignments by activity IRI, reloaded when this process changed them or the cache aged. */
function alignmentIndex(s: Pick<AppServices, 'store'>, cacheMs: number): () => Promise<ReadonlyMap<string, readonly Alignment[]>> {
  let index: Map<string, Alignment[]> | undefined;
  let loadedGen = -1;
  let loadedAt = 0;
  return async () => {
    if (index && loadedGen === alignmentsGeneration() && Date.now() - loadedAt < cacheMs) return index;
    const gen = alignmentsGeneration();
    const next = new Map<string, Alignment[]>();
    for (const a of await s.store.competency.findAlignments({})) {
      for (const id of a.activityIds) {
        const list = next.get(id) ?? [];
        list.push(a);
        next.set(id, list);
      }
    }
    index = next;
    loadedGen = gen;
    loadedAt = Date.now();
    return index;
  };
}

const addDays = (iso: string, days: number): string => new Date(Date.parse(iso) + days * 86_400_000).toISOString();

/** The evidence a stored statement gives under these alignments (pure). */
export function evidenceOf(
  statement: Readonly<Record<string, unknown>>, statementId: string, stored: string, orgIds: readonly string[],
  alignments: ReadonlyMap<string, readonly Alignment[]>, publicUrl: string,
): Evidence[] {
  const object = statement['object'] as Record<string, unknown> | undefined;
  const objectId = object && (object['objectType'] === undefined || object['objectType'] === 'Activity') ? object['id'] : undefined;
  if (typeof objectId !== 'string') return [];
  const candidates = alignments.get(objectId);
  if (!candidates || candidates.length === 0) return [];
  const userId = personOf(statement, publicUrl);
  if (userId === undefined) return [];
  const ts = typeof statement['timestamp'] === 'string' ? new Date(statement['timestamp']) : new Date(stored);
  const at = Number.isNaN(ts.getTime()) ? stored : ts.toISOString();
  const out: Evidence[] = [];
  for (const a of candidates) {
    if (!meetsRule(a.rule, statement)) continue;
    out.push({
      id: `${statementId}|${a.id}`,
      userId,
      // The organization of the alignment when the statement belongs to it; else the statement's own.
      orgId: orgIds.includes(a.orgId) ? a.orgId : (orgIds[0] ?? a.orgId),
      frameworkId: a.frameworkId,
      itemIdentifier: a.itemIdentifier,
      level: a.level,
      statementId,
      alignmentId: a.id,
      activityId: objectId,
      ...(a.target.courseId !== undefined ? { courseId: a.target.courseId } : {}),
      at,
      ...(a.validDays !== undefined ? { expiresAt: addDays(at, a.validDays) } : {}),
    });
  }
  return out;
}

/** The competency evidence subscriber (register it with the pipeline engine under its name). */
export function competencyEvidenceSubscriber(s: AppServices, options: EvidenceSubscriberOptions = {}): Subscriber {
  const alignments = alignmentIndex(s, options.cacheMs ?? 5000);
  return {
    name: 'competency-evidence',
    batchSize: 200,
    async handle(events: readonly PipelineEvent[]) {
      const index = await alignments();
      // Runs of stored events are written together; voiding and erasure apply in order between them.
      let pending: Evidence[] = [];
      const flush = async (): Promise<void> => {
        if (pending.length === 0) return;
        const rows = pending;
        pending = [];
        const created = new Set(await s.store.competency.insertEvidence(rows));
        if (options.attainments !== false && created.size > 0) await writeAttainments(s, rows.filter((r) => created.has(r.id)));
      };
      for (const e of events) {
        if (e.kind === 'stored') {
          if (index.size === 0 || e.statement.voided) continue;
          pending.push(...evidenceOf(e.statement.statement, e.statement.id, e.statement.stored, e.orgIds, index, s.config.publicUrl));
        } else if (e.kind === 'voided') {
          await flush();
          await s.store.competency.deleteEvidence({ statementIds: [e.voidedId] });
        } else {
          await flush();
          await s.store.competency.deleteEvidence({ userId: e.userId });
          await s.store.competency.deleteSelfAssessments(e.userId);
        }
      }
      await flush();
    },
    async reset() {
      await s.store.competency.deleteEvidence({ all: true });
    },
  };
}
