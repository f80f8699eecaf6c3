/**
 * Alignments: a course, one of its units (SCO/AU/xAPI activity) or any activity IRI earns a
 * competency at a level by a rule. Authors and administrators of an organization align its own
 * courses (and any activity IRI, for outside tools); members of the organization read them.
 */
import { randomUUID } from 'node:crypto';
import { assertRoleIn, roleError } from '../accounts/access';
import type { UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import { badRequest, notFound } from '../errors';
import { trackedActivities } from '../launch/progress/tracks';
import type { Alignment, AlignmentRule, Course } from '../store/ports';
import { competencyOr404 } from './frameworks';
import { evidenceOf } from './evidence-of';
import { COMPETENCY_IRI } from './vocab';

type Services = Pick<AppServices, 'store' | 'now' | 'config'>;

/** Bumped on every change of alignments in this process: the evidence subscriber reloads on a change. */
let generation = 0;
export function alignmentsGeneration(): number {
  return generation;
}
/** Marks alignments or badges changed (the evidence subscriber reloads its index). */
export function bumpAlignmentsGeneration(): void {
  generation += 1;
}
/**
 * Alignments or badges changed (call after the change is stored): this process's subscriber sees
 * the generation, every other instance's the store's match version at its next batch (ADR 0027).
 */
export async function matchChanged(s: Pick<AppServices, 'store'>): Promise<void> {
  generation += 1;
  await s.store.competency.bumpMatchVersion();
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates a rule from a request body. */
export function parseRule(v: unknown): AlignmentRule {
  if (!isObj(v) || typeof v['kind'] !== 'string') throw badRequest('rule must be an object with kind completed, passed, scaled, satisfied or verb');
  switch (v['kind']) {
    case 'completed':
    case 'passed':
    case 'satisfied':
      return { kind: v['kind'] };
    case 'scaled': {
      const min = v['min'];
      if (typeof min !== 'number' || !Number.isFinite(min) || min < -1 || min > 1) throw badRequest('rule.min must be a scaled score between -1 and 1');
      return { kind: 'scaled', min };
    }
    case 'verb': {
      const verb = v['verb'];
      if (typeof verb !== 'string' || !/^[a-z][a-z0-9+.-]*:\S+$/i.test(verb)) throw badRequest('rule.verb must be a verb IRI');
      return { kind: 'verb', verb };
    }
    default:
      throw badRequest(`rule.kind ${String(v['kind'])} is not one of completed, passed, scaled, satisfied, verb`);
  }
}

/** The activity IRIs of a course and its units (for the author page and for validation). */
export async function courseActivities(s: Services, course: Course): Promise<{ course: string[]; units: { id: string; title: string }[] }> {
  if (!course.currentVersionId) return { course: [], units: [] };
  const version = await s.store.courses.findVersion(course.currentVersionId);
  if (!version) return { course: [], units: [] };
  const a = trackedActivities(s.config, course.id, version.model);
  return { course: a.course, units: a.units.map((id) => ({ id, title: id })) };
}

/** A course of `orgId` or 404 (another organization's course is not revealed). */
async function ownCourse(s: Services, orgId: string, courseId: unknown): Promise<Course> {
  if (typeof courseId !== 'string' || courseId === '') throw badRequest('target.courseId must be a course id');
  const course = await s.store.courses.findCourse(courseId);
  if (!course || course.orgId !== orgId) throw notFound(`no course ${courseId}`);
  return course;
}

/**
 * An author or administrator of `orgId` aligns learning to a competency. Body: frameworkId,
 * itemIdentifier, target {kind: course|unit|activity, courseId?, unitId?, activityId?}, level
 * (rank in the scale), rule, validDays?.
 */
export async function createAlignment(s: Services, user: UserContext, orgId: string, body: unknown): Promise<Alignment> {
  assertRoleIn(user, orgId, 'author', 'orgAdmin');
  if (!isObj(body)) throw badRequest('the body must be a JSON object');
  const { framework, item } = await competencyOr404(s, String(body['frameworkId'] ?? ''), String(body['itemIdentifier'] ?? ''));
  if (item.retiredAt !== undefined) throw badRequest(`competency ${item.identifier} is retired`);
  const level = body['level'];
  if (typeof level !== 'number' || !framework.scale.some((l) => l.rank === level)) {
    throw badRequest(`level must be one of the scale's ranks (${framework.scale.map((l) => `${l.rank} ${l.name}`).join(', ')})`);
  }
  const rule = parseRule(body['rule']);
  const validDays = body['validDays'];
  if (validDays !== undefined && (typeof validDays !== 'number' || !Number.isInteger(validDays) || validDays < 1 || validDays > 36500)) {
    throw badRequest('validDays must be a whole number of days from 1 to 36500');
  }
  const target = body['target'];
  if (!isObj(target)) throw badRequest('target must be an object with kind course, unit or activity');
  let activityIds: string[];
  let t: Alignment['target'];
  if (target['kind'] === 'course') {
    const course = await ownCourse(s, orgId, target['courseId']);
    activityIds = (await courseActivities(s, course)).course;
    if (activityIds.length === 0) throw badRequest('the course has no package version yet');
    t = { kind: 'course', courseId: course.id };
  } else if (target['kind'] === 'unit') {
    const course = await ownCourse(s, orgId, target['courseId']);
    const unitId = target['unitId'];
    const units = (await courseActivities(s, course)).units;
    if (typeof unitId !== 'string' || !units.some((u) => u.id === unitId)) throw badRequest(`target.unitId must be one of the course's unit activity IRIs`);
    activityIds = [unitId];
    t = { kind: 'unit', courseId: course.id, unitId };
  } else if (target['kind'] === 'activity') {
    const id = target['activityId'];
    if (typeof id !== 'string' || !/^[a-z][a-z0-9+.-]*:\S+$/i.test(id) || id.length > 2000) throw badRequest('target.activityId must be an IRI');
    activityIds = [id];
    t = { kind: 'activity' };
  } else {
    throw badRequest('target.kind must be course, unit or activity');
  }
  const first = activityIds[0] as string;
  const alignment: Alignment = {
    id: randomUUID(), orgId, frameworkId: framework.id, itemIdentifier: item.identifier, target: t, activityId: first, activityIds,
    level, rule, ...(typeof validDays === 'number' ? { validDays } : {}), createdBy: user.userId, createdAt: s.now().toISOString(),
  };
  await s.store.competency.insertAlignment(alignment);
  await matchChanged(s);
  if (t.courseId !== undefined) await syncCourseCompetencies(s, t.courseId);
  await syncActivityDefinitions(s, activityIds);
  await backfillAlignment(s, alignment);
  return alignment;
}

/**
 * Evidence a new alignment gives for statements stored before it: the subscriber only sees
 * statements after its cursor, while a rebuild would count these (every statement against every
 * current alignment), so the incremental projection and a rebuild agree. Pages the statements
 * whose object is one of the alignment's activities.
 */
export async function backfillAlignment(s: Services, a: Alignment): Promise<number> {
  const index = new Map([...a.activityIds].map((id) => [id, [a]] as const));
  let n = 0;
  for (const id of a.activityIds) {
    let afterSeq: number | undefined;
    do {
      const page = await s.store.statements.findStatements({ allRefs: [`O|${id}`], ascending: true, limit: 500, ...(afterSeq !== undefined ? { afterSeq } : {}) });
      const rows = page.statements.filter((st) => !st.voided).flatMap((st) => evidenceOf(st.statement, st.id, st.stored, [], index, s.config.publicUrl));
      if (rows.length > 0) n += (await s.store.competency.insertEvidence(rows)).length;
      afterSeq = page.nextAfterSeq;
    } while (afterSeq !== undefined);
  }
  return n;
}

/** An author or administrator of the alignment's organization removes it (its evidence goes with it). */
export async function deleteAlignment(s: Services, user: UserContext, id: string): Promise<void> {
  const a = await s.store.competency.findAlignment(id);
  if (!a || roleError(user, a.orgId, []) !== undefined) throw notFound(`no alignment ${id}`);
  assertRoleIn(user, a.orgId, 'author', 'orgAdmin');
  await s.store.competency.deleteAlignment(id);
  await matchChanged(s);
  await s.store.competency.deleteEvidence({ alignmentId: id });
  if (a.target.courseId !== undefined) await syncCourseCompetencies(s, a.target.courseId);
  await syncActivityDefinitions(s, a.activityIds);
}

/** Alignments members of `orgId` may read (any role there); filters by course or competency. */
export async function listAlignments(s: Services, user: UserContext, orgId: string, q: { courseId?: string; frameworkId?: string; itemIdentifier?: string }): Promise<Alignment[]> {
  assertRoleIn(user, orgId);
  return s.store.competency.findAlignments({
    orgIds: [orgId],
    ...(q.courseId ? { courseId: q.courseId } : {}),
    ...(q.frameworkId ? { frameworkId: q.frameworkId } : {}),
    ...(q.frameworkId && q.itemIdentifier ? { itemIdentifier: q.itemIdentifier } : {}),
  });
}

/** Keeps Course.competencies (`frameworkId|identifier`) equal to the course's alignments, for catalog cards and filters. */
async function syncCourseCompetencies(s: Services, courseId: string): Promise<void> {
  const list = await s.store.competency.findAlignments({ courseId });
  const keys = [...new Set(list.map((a) => `${a.frameworkId}|${a.itemIdentifier}`))].sort();
  await s.store.courses.updateCourse(courseId, { competencies: keys, updatedAt: s.now().toISOString() });
}

/**
 * Writes the alignments of these activities into their xAPI activity definitions (extension
 * COMPETENCY_IRI.alignmentsExtension: the CASE URIs and levels), so outside tools reading the
 * Activities resource see them. The LRS knows nothing of competencies: this only updates a record it serves.
 */
async function syncActivityDefinitions(s: Services, activityIds: readonly string[]): Promise<void> {
  const everything = await s.store.competency.findAlignments({});
  const all = activityIds.map((id) => ({ id, list: everything.filter((a) => a.activityIds.includes(id)) }));
  const existing = new Map((await s.store.activities.findActivities(activityIds)).map((r) => [r.id, r]));
  const records = [];
  for (const { id, list } of all) {
    const items = new Map<string, { uri: string; frameworkUri: string; level: number; levelName: string }>();
    for (const a of list) {
      const fw = await s.store.competency.findFramework(a.frameworkId);
      const [item] = await s.store.competency.findItems({ frameworkId: a.frameworkId, identifiers: [a.itemIdentifier], includeRetired: true });
      if (!fw || !item) continue;
      items.set(`${item.uri}|${a.level}`, { uri: item.uri, frameworkUri: fw.uri, level: a.level, levelName: fw.scale.find((l) => l.rank === a.level)?.name ?? String(a.level) });
    }
    const def: Record<string, unknown> = { ...(existing.get(id)?.definition ?? {}) };
    const ext: Record<string, unknown> = { ...((def['extensions'] as Record<string, unknown> | undefined) ?? {}) };
    if (items.size > 0) ext[COMPETENCY_IRI.alignmentsExtension] = [...items.values()];
    else delete ext[COMPETENCY_IRI.alignmentsExtension];
    if (Object.keys(ext).length > 0) def['extensions'] = ext;
    else delete def['extensions'];
    records.push({ id, definition: def, updated: s.now().toISOString() });
  }
  await s.store.activities.upsertActivities(records);
}
