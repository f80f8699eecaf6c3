/**
 * The competency HTTP tests' world: two organizations with people in every role, a published
 * SCORM course in each (the demo manifest, parsed like an upload), and helpers to store
 * statements through the LRS write path and hand them to the evidence subscriber as the
 * pipeline would.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { competencyEvidence, SUBSCRIBERS } from '../../../src/compose';
import { parsePackage } from '../../../src/packages/manifest';
import { DEMO_COURSE_FILES } from '../../../src/demo/demo-course';
import type { Course, Organization, Role } from '../../../src/store/ports';
import type { PipelineEvent, Subscriber } from '../../../src/pipeline/types';
import { storeStatements } from '../../../src/xapi/statements/write-service';
import { accountsApp, addOrg, addPerson, signIn, type AccountsApp, type Session } from '../accounts/helpers';

export type Who = 'adminA' | 'authorA' | 'analystA' | 'learnerA' | 'authorB' | 'learnerB' | 'adminB';

export interface CompetencyWorld {
  readonly t: AccountsApp;
  readonly orgA: Organization;
  readonly orgB: Organization;
  readonly courseA: Course;
  readonly courseB: Course;
  readonly s: Record<Who, Session>;
  readonly ids: Record<Who, string>;
}

async function publishCourse(t: AccountsApp, orgId: string, title: string): Promise<Course> {
  const files = new Set(Object.keys(DEMO_COURSE_FILES));
  const { model, report } = parsePackage('scorm', DEMO_COURSE_FILES['imsmanifest.xml'] ?? '', files);
  if (!model) throw new Error(`demo manifest did not parse: ${JSON.stringify(report.errors)}`);
  const at = t.clock.now().toISOString();
  const courseId = randomUUID();
  const versionId = randomUUID();
  const course: Course = {
    id: courseId, orgId, title, description: 'A course', language: 'en', provider: 'Test', competencies: [], state: 'published',
    currentVersionId: versionId, currentVersionNumber: 1, createdAt: at, updatedAt: at,
  };
  await t.store.courses.insertCourse(course, {
    id: versionId, courseId, number: 1, format: model.format, ...(model.format === 'scorm12' || model.format === 'scorm2004' ? { edition: model.edition } : {}),
    fileSetId: randomUUID(), sha256: '0'.repeat(64), bytes: 1, uploadedBy: 'test', createdAt: at, model, report,
  });
  return course;
}

export async function competencyWorld(o: { engine?: boolean } = {}): Promise<CompetencyWorld> {
  // The tests hand events to the evidence subscriber themselves (built from stored statements, as
  // the pipeline would): the app's pipeline runs every other subscriber.
  // (`engine: true` leaves it registered, to test the registration itself.)
  const t = await accountsApp({}, o.engine ? undefined : { subscribers: SUBSCRIBERS.filter((f) => f !== competencyEvidence) });
  const orgA = await addOrg(t, 'Library A', 'both');
  const orgB = await addOrg(t, 'Library B', 'both');
  const roles: Record<Who, [Organization, Role]> = {
    adminA: [orgA, 'orgAdmin'], authorA: [orgA, 'author'], analystA: [orgA, 'analyst'], learnerA: [orgA, 'learner'],
    authorB: [orgB, 'author'], learnerB: [orgB, 'learner'], adminB: [orgB, 'orgAdmin'],
  };
  const s = {} as Record<Who, Session>;
  const ids = {} as Record<Who, string>;
  for (const [who, [org, role]] of Object.entries(roles) as [Who, [Organization, Role]][]) {
    const p = await addPerson(t, { roles: [{ orgId: org.id, role }] });
    ids[who] = p.id;
    s[who] = await signIn(t, p.email);
  }
  return { t, orgA, orgB, courseA: await publishCourse(t, orgA.id, 'Course of A'), courseB: await publishCourse(t, orgB.id, 'Course of B'), s, ids };
}

/** Sends a JSON request as a signed-in person (cookie + CSRF). */
export function as(w: CompetencyWorld, who: Who | undefined, method: 'get' | 'post' | 'put' | 'delete', path: string, body?: unknown): request.Test {
  let r = request(w.t.app)[method](path);
  if (who) r = r.set('Cookie', w.s[who].cookie).set('X-CSRF-Token', w.s[who].csrf);
  return body === undefined ? r : r.send(body as object);
}

/** A statement by a LearnHQ person about an activity. */
export function statementBy(w: CompetencyWorld, userId: string, activityId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', account: { homePage: w.t.config.publicUrl, name: userId } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
    object: { objectType: 'Activity', id: activityId },
    timestamp: w.t.clock.now().toISOString(),
    ...extra,
  };
}

/** Stores statements through the LRS write path as a credential of `orgId`; returns the pipeline events they make. */
export async function storeAndEvents(w: CompetencyWorld, orgId: string, statements: readonly Record<string, unknown>[]): Promise<PipelineEvent[]> {
  const ids = await storeStatements(w.t.services, {
    body: { json: [...statements] as never, parts: new Map(), multipart: false },
    version: '1.0.3',
    auth: { credentialKey: 'test', name: 'test tool', scopes: new Set(['all']), authority: { objectType: 'Agent', name: 'tool', mbox: 'mailto:tool@example.org' }, orgId },
  });
  const stored = await w.t.store.statements.findStatementsByIds(ids);
  return stored.sort((a, b) => a.seq - b.seq).map((st) => ({ kind: 'stored', seq: st.seq, statement: st, orgIds: [orgId] }));
}

/** Every stored statement from seq 0, as a rebuild replays them. */
export async function replayAll(w: CompetencyWorld, sub: Subscriber, orgId: string): Promise<void> {
  const page = await w.t.store.statements.findStatements({ allRefs: [], ascending: true, limit: 10000 });
  await sub.handle(page.statements.map((st) => ({ kind: 'stored', seq: st.seq, statement: st, orgIds: [orgId] })));
}
