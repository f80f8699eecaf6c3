/**
 * moveOn evaluation (cmi5 9.3.9, 9.6.1, 13.1.4): after AU statements, a waiver, or at
 * registration time, the LMS works out which blocks and the course are now satisfied and writes
 * one satisfied statement for each that was not yet (a once-only mark per registration makes
 * this race-safe). AUs have no satisfied statement of their own: the spec's satisfied object is
 * a block or the course (9.4); an AU's state is in the marks and the progress projection.
 */
import { randomUUID } from 'node:crypto';
import type { AppServices } from '../../deps';
import type { Cmi5Au, Cmi5CourseModel, Cmi5Node } from '../../packages/course-model';
import { cmi5BlockIri, cmi5CourseIri } from './iris';
import { satisfiedStatement, type LmsWriter, type StatementSubject } from './lms-statements';

/** Whether an AU's moveOn is met by the marks of the registration (`completed|id`, `passed|id`, `waived|id`). */
export function auSatisfied(au: Pick<Cmi5Au, 'id' | 'moveOn'>, marks: ReadonlySet<string>): boolean {
  if (marks.has(`waived|${au.id}`)) return true;
  const completed = marks.has(`completed|${au.id}`);
  const passed = marks.has(`passed|${au.id}`);
  switch (au.moveOn) {
    case 'Completed': return completed;
    case 'Passed': return passed;
    case 'CompletedAndPassed': return completed && passed;
    case 'CompletedOrPassed': return completed || passed;
    default: return true; // NotApplicable
  }
}

/** Blocks (publisher ids) and the course that are satisfied, given the marks. Pure. */
export function satisfiedTargets(model: Cmi5CourseModel, marks: ReadonlySet<string>): { blocks: string[]; course: boolean } {
  const blocks: string[] = [];
  const walk = (n: Cmi5Node): boolean => {
    if (n.kind === 'au') return auSatisfied(n, marks);
    // Every child is evaluated (no short cut) so nested blocks are reported too.
    const all = n.children.map(walk).every(Boolean);
    if (all) blocks.push(n.id);
    return all;
  };
  const course = model.children.map(walk).every(Boolean);
  return { blocks, course };
}

/** What a moveOn evaluation needs to know about the registration. */
export interface MoveOnSubject extends StatementSubject {
  readonly courseId: string;
  readonly orgId?: string;
}

/**
 * Writes the satisfied statements now due in a registration, with `sessionId` (the AU session
 * that caused them) or a fresh session id when outside a session (cmi5 9.6.1). Returns their ids.
 */
export async function evaluateMoveOn(s: AppServices, write: LmsWriter, subject: MoveOnSubject, model: Cmi5CourseModel, sessionId?: string): Promise<string[]> {
  const marks = new Set(await s.store.cmi5.findCmi5Marks(subject.registration));
  const { blocks, course } = satisfiedTargets(model, marks);
  const due: { kind: 'block' | 'course'; lmsId: string; publisherId: string }[] = [];
  for (const b of blocks) due.push({ kind: 'block', lmsId: cmi5BlockIri(s.config, subject.courseId, b), publisherId: b });
  if (course) due.push({ kind: 'course', lmsId: cmi5CourseIri(s.config, subject.courseId), publisherId: model.course.id });
  const sid = sessionId ?? randomUUID();
  const at = s.now().toISOString();
  const statements = [];
  for (const d of due) {
    if (marks.has(`satisfied|${d.publisherId}`)) continue;
    const st = satisfiedStatement(subject, d, sid, at);
    // Claimed before writing: two racing evaluations write one satisfied statement.
    if ((await s.store.cmi5.insertCmi5Mark(subject.registration, `satisfied|${d.publisherId}`, String(st['id']))) !== undefined) continue;
    statements.push(st);
  }
  return write(s, subject.orgId, statements);
}
