/** The evidence one stored statement gives under a set of alignments (pure). */
import type { Alignment, Evidence } from '../store/ports';
import { meetsRule, personOf } from './rules';

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

