/**
 * Each AU's status in a registration, for the player's list of AUs: completed and passed from the
 * registration's cmi5 marks (written with the statement, before it is stored), waived AUs count as
 * completed; started and failed from the progress projection's unit rows.
 */
import type { AppServices } from '../../deps';
import type { Cmi5CourseModel } from '../../packages/course-model';
import type { UnitStatus } from '../types';
import { allAus, cmi5AuIri } from './iris';

/** Status by AU id (publisher id) of every AU of the course. */
export async function auStatuses(
  s: AppServices, registration: string, courseId: string, model: Cmi5CourseModel, marks: ReadonlySet<string>,
): Promise<Record<string, UnitStatus>> {
  const rows = new Map((await s.store.progress.findUnitProgress(registration)).map((u) => [u.activityId, u]));
  const out: Record<string, UnitStatus> = {};
  for (const au of allAus(model.children)) {
    const row = rows.get(cmi5AuIri(s.config, courseId, au.id));
    let completion: UnitStatus['completion'] = row?.completion ?? 'not attempted';
    if (completion === 'not attempted' && (row?.attempts ?? 0) > 0) completion = 'incomplete';
    if (marks.has(`completed|${au.id}`) || marks.has(`waived|${au.id}`)) completion = 'completed';
    const success = marks.has(`passed|${au.id}`) ? 'passed' : row?.success ?? 'unknown';
    out[au.id] = { completion, success };
  }
  return out;
}
