/**
 * Report fixtures built as the product builds them: organizations, courses with a version, people,
 * registrations with their progress tracks, and statements stored through the store's statement
 * port with the LRS's own index keys; then the pipeline's events read back from the log.
 */
import { randomUUID } from 'node:crypto';
import type { Pipeline } from '../../src/pipeline/engine';
import type { PipelineEvent, Subscriber } from '../../src/pipeline/types';
import type { Course, CourseVersion, OrgKind, Store } from '../../src/store/ports';
import { statementRefs } from '../../src/xapi/model/refs';


export const PUBLIC_URL = 'http://learnhq.test';
let n = 0;
const next = (label: string): string => `${label}-${++n}-${randomUUID().slice(0, 6)}`;

export async function addOrg(store: Store, kind: OrgKind = 'member', name = `Library ${n + 1}`): Promise<string> {
  const id = next('org');
  await store.accounts.insertOrganization({ id, slug: id, name, kind, createdAt: '2030-01-01T00:00:00.000Z' });
  return id;
}

export async function addUser(store: Store, orgId: string | undefined, name: string, roles: ('learner' | 'analyst' | 'orgAdmin' | 'author')[] = ['learner']): Promise<string> {
  const id = next('user');
  await store.accounts.insertUser({ id, email: `${id}@example.org`, name, isSiteAdmin: false, shareEmail: false, createdAt: '2030-01-01T00:00:00.000Z', failedSignIns: 0 });
  if (orgId !== undefined) {
    for (const role of roles) await store.accounts.insertMembership({ userId: id, orgId, role, ...(role === 'learner' ? { learnerType: 'staff' as const } : {}), createdAt: '2030-01-01T00:00:00.000Z' });
  }
  return id;
}

/** A published xAPI (TinCan) course of `orgId`; returns its id and course-level activity id. */
export async function addCourse(store: Store, orgId: string, title: string): Promise<{ id: string; activityId: string; title: string }> {
  const id = next('course');
  const activityId = `${PUBLIC_URL}/activities/${id}`;
  const version: CourseVersion = {
    id: next('ver'), courseId: id, number: 1, format: 'tincan', fileSetId: next('fs'), sha256: 'ab'.repeat(32), bytes: 1000,
    uploadedBy: 'author', createdAt: '2030-01-01T00:00:00.000Z',
    model: {
      modelVersion: 1, format: 'tincan', manifestPath: 'tincan.xml', title,
      launchables: [{ id: activityId, title, kind: 'activity', launchUrl: 'index.html', external: false }],
      activities: [{ id: activityId, name: { en: title }, description: {}, launch: 'index.html' }],
      mainActivityId: activityId,
    },
    report: { errors: [], warnings: [] },
  };
  const course: Course = {
    id, orgId, title, description: '', language: 'en', provider: 'Provider', competencies: [], state: 'published',
    currentVersionId: version.id, currentVersionNumber: 1, createdAt: '2030-01-01T00:00:00.000Z', updatedAt: '2030-01-01T00:00:00.000Z',
  };
  await store.courses.insertCourse(course, version);
  return { id, activityId, title };
}

export interface Enrolment { readonly registration: string; readonly userId: string; readonly courseId: string; readonly activityId: string; readonly title: string; readonly actor: Record<string, unknown> }

/** A registration of `userId` in the course, with the progress track the player creates at launch. */
export async function enrol(store: Store, userId: string, orgId: string | undefined, course: { id: string; activityId: string; title: string }): Promise<Enrolment> {
  const registration = randomUUID();
  const versionId = (await store.courses.findCourse(course.id))?.currentVersionId ?? '';
  await store.launch.insertRegistration({ id: registration, userId, courseId: course.id, versionId, ...(orgId ? { orgId } : {}), createdAt: '2030-01-01T00:00:00.000Z' });
  await store.progress.insertProgressTrack({
    registration, courseId: course.id, versionId, userId, agentKey: `account:${PUBLIC_URL}|${userId}`, ...(orgId ? { orgId } : {}),
    courseActivityIds: [course.activityId], unitActivityIds: [course.activityId], createdAt: '2030-01-01T00:00:00.000Z',
  });
  return { registration, userId, courseId: course.id, activityId: course.activityId, title: course.title, actor: { objectType: 'Agent', account: { homePage: PUBLIC_URL, name: userId } } };
}

const V = (w: string): { id: string; display: { en: string } } => ({ id: `http://adlnet.gov/expapi/verbs/${w}`, display: { en: w } });

/** Statements of one sitting: launched/initialized, answers, an outcome, terminated. */
export function sitting(e: Enrolment, o: { at: string; score?: number; passed?: boolean; minutes?: number; answers?: { q: string; response: string; correct: boolean; seconds?: number }[] }): Record<string, unknown>[] {
  const t0 = Date.parse(o.at);
  let i = 0;
  const ts = (): string => new Date(t0 + (i++) * 60_000).toISOString();
  const context = { registration: e.registration };
  const course = { objectType: 'Activity', id: e.activityId, definition: { name: { 'en-US': e.title }, type: 'http://adlnet.gov/expapi/activities/course' } };
  const out: Record<string, unknown>[] = [
    { id: randomUUID(), actor: e.actor, verb: V('initialized'), object: course, context, timestamp: ts() },
  ];
  for (const a of o.answers ?? []) {
    out.push({
      id: randomUUID(), actor: e.actor, verb: V('answered'),
      object: { objectType: 'Activity', id: `${e.activityId}/q/${a.q}`, definition: { type: 'http://adlnet.gov/expapi/activities/cmi.interaction', name: { en: `Question ${a.q}` }, interactionType: 'choice', correctResponsesPattern: ['a'] } },
      result: { response: a.response, success: a.correct, ...(a.seconds !== undefined ? { duration: `PT${a.seconds}S` } : {}) }, context, timestamp: ts(),
    });
  }
  if (o.passed !== undefined) {
    out.push({
      id: randomUUID(), actor: e.actor, verb: V(o.passed ? 'passed' : 'failed'), object: course,
      result: { success: o.passed, completion: true, ...(o.score !== undefined ? { score: { scaled: o.score } } : {}) }, context, timestamp: ts(),
    });
  }
  out.push({ id: randomUUID(), actor: e.actor, verb: V('terminated'), object: course, result: { duration: `PT${o.minutes ?? 10}M` }, context, timestamp: ts() });
  return out;
}

let storedAt = Date.parse('2030-06-01T00:00:00.000Z');

/** Stores statements as the LRS does (refs from the LRS's own function; voiding applied). */
export async function storeStatements(store: Store, statements: readonly Record<string, unknown>[]): Promise<void> {
  // Organization keys as the LRS files them: every organization the actor (a LearnHQ account) belongs to.
  const orgsOf = new Map<string, string[]>();
  for (const s of statements) {
    const acc = (s['actor'] as { account?: { homePage?: string; name?: string } }).account;
    if (acc?.homePage === PUBLIC_URL && acc.name !== undefined && !orgsOf.has(acc.name)) {
      orgsOf.set(acc.name, [...new Set((await store.accounts.findMemberships({ userId: acc.name })).map((m) => m.orgId))]);
    }
  }
  const batch = statements.map((s) => {
    const acc = (s['actor'] as { account?: { name?: string } }).account;
    const groups = (acc?.name !== undefined ? orgsOf.get(acc.name) ?? [] : []).map((o) => `g|${o}`);
    const stored = new Date(storedAt++).toISOString();
    const full = { ...s, stored, version: '1.0.0', authority: { objectType: 'Agent', account: { homePage: PUBLIC_URL, name: 'lrs' } } };
    const obj = s['object'] as Record<string, unknown>;
    const voids = (s['verb'] as { id: string }).id === 'http://adlnet.gov/expapi/verbs/voided' ? String(obj['id']) : undefined;
    return { id: String(s['id']), stored, statement: full, refs: [...statementRefs(full), ...groups], ...(voids ? { voidsId: voids, targetId: voids } : {}) };
  });
  await store.statements.insertStatements(batch, []);
}

/** Wakes an app's pipeline and waits until every registered subscriber has handled the whole log. */
export async function settle(pipeline: Pipeline, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    pipeline.notify();
    const status = (await pipeline.status()).filter((s) => s.registered);
    const failing = status.find((s) => s.failures > 0);
    if (failing) throw new Error(`pipeline subscriber ${failing.name} fails: ${failing.lastError ?? ''}`);
    if (status.every((s) => s.cursor >= s.horizon)) return;
    if (Date.now() > deadline) throw new Error(`pipeline did not settle: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The pipeline's events after `afterSeq`, read back from the log as the engine delivers them. */
export async function eventsOf(store: Store, afterSeq = 0): Promise<PipelineEvent[]> {
  const out: PipelineEvent[] = [];
  let after: number | undefined = afterSeq > 0 ? afterSeq : undefined;
  // Voided statements are left out of queries; the engine reads the log itself. Read by id.
  for (;;) {
    const page = await store.statements.findStatements({ allRefs: [], ascending: true, limit: 500, ...(after !== undefined ? { afterSeq: after } : {}) });
    for (const s of page.statements) out.push({ kind: 'stored', seq: s.seq, statement: s, orgIds: [] });
    if (page.nextAfterSeq === undefined) break;
    after = page.nextAfterSeq;
  }
  return out;
}

/** Hands events to subscribers in batches of `size`, as the engine does. */
export async function feed(subscribers: readonly Subscriber[], events: readonly PipelineEvent[], size = 3): Promise<void> {
  for (const s of subscribers) for (let i = 0; i < events.length; i += size) await s.handle(events.slice(i, i + size));
}
