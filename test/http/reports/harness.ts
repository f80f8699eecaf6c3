/**
 * A small world for the report routes: two member libraries (A with 6 learners, B with 3), a
 * provider P with two courses, the learning of all of them stored in the LRS's statement log and
 * rolled up by the report subscribers; and a signed-in person for every role that may ask.
 */
import type { RequestListener } from 'node:http';
import request from 'supertest';
import { hashSecret } from '../../../src/accounts/secret-hash';
import { createApp } from '../../../src/app';
import { testConfig } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { openStore } from '../../../src/store';
import type { Store } from '../../../src/store/ports';
import type { AppServices } from '../../../src/deps';
import { caseUriBase, importPackage } from '../../../src/competency/frameworks';
import { demoCompetencyId, demoCompetencyPackage } from '../../../src/demo/demo-competencies';
import type { Alignment, Evidence } from '../../../src/store/ports';
import { PUBLIC_URL, addCourse, addOrg, enrol, settle, sitting, storeStatements } from '../../helpers/report-fixture';

export type Viewer = 'analystA' | 'analystB' | 'analystP' | 'admin' | 'learnerA' | 'adminOfA' | 'managerNorth' | 'managerSouth';

export interface ReportWorld {
  readonly app: RequestListener;
  readonly store: Store;
  readonly orgs: { A: string; B: string; P: string };
  readonly courses: { intro: string; advanced: string };
  readonly people: { A: string[]; B: string[] };
  readonly names: { A: string[]; B: string[] };
  /** Units of A: North holds A's first three people, South the other three (siblings under Riverside). */
  readonly units: { top: string; north: string; south: string };
  /** Cookie header of each viewer. */
  readonly cookies: Record<Viewer, string>;
  readonly services: AppServices;
  get(viewer: Viewer, path: string): request.Test;
  close(): Promise<void>;
}

let openWorldStore: () => Promise<Store> = () => openStore({ kind: 'sqlite', path: ':memory:' });
/** Makes later worlds open their store with `open` (the MongoDB run). */
export function useReportWorldStore(open: () => Promise<Store>): void {
  openWorldStore = open;
}

const PASSWORD = 'correct horse battery';

export async function createReportWorld(): Promise<ReportWorld> {
  const store = await openWorldStore();
  const config = testConfig({ publicUrl: PUBLIC_URL, sessionSecret: 'x'.repeat(40), demo: false });
  const { listener: app, pipeline, services } = createApp({ config, store, logger: createLogger('silent'), now: () => new Date('2030-05-31T12:00:00.000Z') });
  const A = await addOrg(store, 'member', 'Riverside Library');
  const B = await addOrg(store, 'member', 'Hillcrest Library');
  const P = await addOrg(store, 'provider', 'State Training Provider');
  const intro = await addCourse(store, P, 'The Reference Interview');
  const advanced = await addCourse(store, P, 'Advanced Cataloguing');

  let n = 0;
  const person = async (name: string, roles: [string, 'learner' | 'analyst' | 'orgAdmin' | 'manager'][], isSiteAdmin = false, shareEmail = false): Promise<{ id: string; email: string }> => {
    n += 1;
    const id = `rw-${n}-${Math.random().toString(36).slice(2, 8)}`;
    const email = `${id}@example.org`;
    await store.accounts.insertUser({ id, email, name, passwordHash: await hashSecret(PASSWORD), isSiteAdmin, shareEmail, createdAt: '2030-01-01T00:00:00.000Z', failedSignIns: 0 });
    for (const [orgId, role] of roles) await store.accounts.insertMembership({ userId: id, orgId, role, ...(role === 'learner' ? { learnerType: 'staff' as const } : {}), createdAt: '2030-01-01T00:00:00.000Z' });
    return { id, email };
  };

  const namesA = ['Amara Okafor', 'Ben Lindqvist', 'Chen Wei', 'Dana Scully', 'Eli Brown', 'Fay Wray'];
  const namesB = ['Gus Grant', 'Hana Ito', 'Ivan Petrov'];
  // Amara shares her email; nobody else does.
  const peopleA = await Promise.all(namesA.map((nm, i) => person(nm, [[A, 'learner']], false, i === 0)));
  const peopleB = await Promise.all(namesB.map((nm) => person(nm, [[B, 'learner']])));
  const statements: Record<string, unknown>[] = [];
  for (const [i, p] of peopleA.entries()) {
    const e = await enrol(store, p.id, A, intro);
    statements.push(...sitting(e, { at: `2030-05-${String(10 + i).padStart(2, '0')}T09:00:00.000Z`, score: 0.5 + i * 0.08, passed: i % 3 !== 0, minutes: 10 + i, answers: [{ q: '1', response: i % 2 === 0 ? 'a' : 'b', correct: i % 2 === 0, seconds: 10 + i }] }));
  }
  for (const [i, p] of peopleB.entries()) {
    const e = await enrol(store, p.id, B, advanced);
    statements.push(...sitting(e, { at: `2030-05-${String(20 + i).padStart(2, '0')}T09:00:00.000Z`, score: 0.9, passed: true, minutes: 20 }));
  }
  // Stored as the LRS stores them; the app's pipeline (its composition root) runs the subscribers.
  await storeStatements(store, statements);
  await settle(pipeline);

  const viewers: Record<Viewer, { id: string; email: string }> = {
    analystA: await person('Ana Analyst', [[A, 'analyst']]),
    analystB: await person('Bo Analyst', [[B, 'analyst']]),
    analystP: await person('Pat Provider', [[P, 'analyst']]),
    admin: await person('Site Admin', [], true),
    learnerA: await person('Lee Learner', [[A, 'learner']]),
    adminOfA: await person('Orla Admin', [[A, 'orgAdmin']]),
  } as Record<Viewer, { id: string; email: string }>;
  // Units of A and their managers (as the careers area grants them: a manager row and the role).
  const unit = async (name: string, parentId?: string): Promise<string> => {
    const id = `unit-${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`;
    await store.careers.insertUnit({ id, orgId: A, name, ...(parentId ? { parentId } : {}), createdAt: '2030-01-01T00:00:00.000Z' });
    return id;
  };
  const top = await unit('Riverside');
  const north = await unit('North', top);
  const south = await unit('South', top);
  for (const [i, p] of peopleA.entries()) await store.careers.insertUnitPerson({ orgId: A, unitId: i < 3 ? north : south, userId: p.id, kind: 'member', createdAt: '2030-01-01T00:00:00.000Z' });
  viewers.managerNorth = await person('Nora North', [[A, 'learner'], [A, 'manager']]);
  viewers.managerSouth = await person('Sid South', [[A, 'learner'], [A, 'manager']]);
  await store.careers.insertUnitPerson({ orgId: A, unitId: north, userId: viewers.managerNorth.id, kind: 'manager', createdAt: '2030-01-01T00:00:00.000Z' });
  await store.careers.insertUnitPerson({ orgId: A, unitId: south, userId: viewers.managerSouth.id, kind: 'manager', createdAt: '2030-01-01T00:00:00.000Z' });
  // An overdue assignment (Ben has not started Advanced Cataloguing) and one met (Chen completed the intro).
  await store.learning.insertAssignment({ id: `as-${Math.random().toString(36).slice(2, 8)}`, orgId: A, entryId: advanced.id, target: { kind: 'person', userId: peopleA[1]!.id }, dueAt: '2030-05-01T23:59:59.999Z', required: true, createdBy: 'x', createdAt: '2030-01-01T00:00:00.000Z' });
  await store.learning.insertAssignment({ id: `as-${Math.random().toString(36).slice(2, 8)}`, orgId: A, entryId: intro.id, target: { kind: 'person', userId: peopleA[2]!.id }, dueAt: '2030-05-01T23:59:59.999Z', required: true, createdBy: 'x', createdAt: '2030-01-01T00:00:00.000Z' });
  const cookies = {} as Record<Viewer, string>;
  for (const [k, v] of Object.entries(viewers) as [Viewer, { email: string }][]) {
    const res = await request(app).post('/api/session').send({ email: v.email, password: PASSWORD });
    if (res.status !== 201) throw new Error(`sign-in failed: ${res.status}`);
    const raw = res.headers['set-cookie'] as unknown as string[];
    cookies[k] = (raw.find((c) => c.startsWith('lhq_session=')) ?? '').split(';')[0] ?? '';
  }
  return {
    app, store, orgs: { A, B, P }, courses: { intro: intro.id, advanced: advanced.id },
    people: { A: peopleA.map((p) => p.id), B: peopleB.map((p) => p.id) }, names: { A: namesA, B: namesB }, units: { top, north, south }, cookies, services,
    get: (viewer, path) => request(app).get(path).set('Cookie', cookies[viewer]),
    close: async () => { await pipeline.stop(); await store.close(); },
  };
}

/**
 * Competency evidence as the evidence subscriber writes it, over three months of 2030, for the
 * demo framework imported into A: Reference conversations (PS.1) by Amara in March (and again at
 * a higher level in May), Ben in April, Dana in May; Readers advisory (PS.3) by Chen's confirmed
 * self-assessment in April; and Gus of B in April (never in A's report).
 */
export async function addCompetencyEvidence(w: ReportWorld): Promise<{ frameworkId: string }> {
  const AT = '2030-01-01T00:00:00.000Z';
  const framework = (await importPackage(w.services, w.orgs.A, demoCompetencyPackage(caseUriBase(w.services), AT))).framework;
  let n = 0;
  const evidence = (userId: string, orgId: string, code: string, level: number, at: string) => {
    n += 1;
    return { id: `st-cr-${n}|al-cr`, userId, orgId, frameworkId: framework.id, itemIdentifier: demoCompetencyId(code), level, statementId: `st-cr-${n}`, alignmentId: 'al-cr', activityId: `${PUBLIC_URL}/activities/x`, at };
  };
  const [amara, ben, chen, dana] = w.people.A as [string, string, string, string];
  await w.store.competency.insertEvidence([
    evidence(amara, w.orgs.A, 'PS.1', 2, '2030-03-05T10:00:00.000Z'),
    evidence(amara, w.orgs.A, 'PS.1', 3, '2030-05-01T10:00:00.000Z'),
    evidence(ben, w.orgs.A, 'PS.1', 1, '2030-04-10T10:00:00.000Z'),
    evidence(dana, w.orgs.A, 'PS.1', 3, '2030-05-12T10:00:00.000Z'),
    evidence(w.people.B[0]!, w.orgs.B, 'PS.1', 2, '2030-04-01T10:00:00.000Z'),
  ]);
  await w.store.competency.upsertSelfAssessment({ userId: chen, orgId: w.orgs.A, frameworkId: framework.id, itemIdentifier: demoCompetencyId('PS.3'), level: 2, at: '2030-04-18T10:00:00.000Z', confirmedBy: 'x', confirmedAt: '2030-04-20T10:00:00.000Z' });
  return { frameworkId: framework.id };
}

/**
 * Evidence of attainment through the provider P's courses, as the evidence subscriber writes it,
 * through P's alignments on its courses (returns the id of P's own person, Pat):
 * - PS.1: all six people of A and the three of B (A shown; B too small, and with it the overall);
 * - PS.2: five people of A (shown, and the overall);
 * - PS.3: the three of B and Pat of P (B withheld; P's own person shown; the overall of 4 withheld);
 * - PS.4 by an alignment of A (not P's): never in P's report; and PS.2 evidence of B outside the period.
 */
export async function addProviderEvidence(w: ReportWorld): Promise<string> {
  const AT = '2030-01-01T00:00:00.000Z';
  const framework = (await importPackage(w.services, w.orgs.P, demoCompetencyPackage(caseUriBase(w.services), AT))).framework;
  const pat = (await w.store.accounts.findMemberships({ orgId: w.orgs.P }))[0]!.userId;
  const alignment = (id: string, orgId: string, code: string, courseId: string): Alignment => ({
    id, orgId, frameworkId: framework.id, itemIdentifier: demoCompetencyId(code), target: { kind: 'course', courseId }, activityId: `${PUBLIC_URL}/activities/${courseId}`,
    activityIds: [`${PUBLIC_URL}/activities/${courseId}`], level: 2, rule: { kind: 'passed' }, createdBy: 'author', createdAt: AT,
  });
  const aligned = [alignment('al-p1', w.orgs.P, 'PS.1', w.courses.intro), alignment('al-p2', w.orgs.P, 'PS.2', w.courses.intro), alignment('al-p3', w.orgs.P, 'PS.3', w.courses.advanced), alignment('al-a4', w.orgs.A, 'PS.4', w.courses.intro)];
  for (const a of aligned) await w.store.competency.insertAlignment(a);
  let n = 0;
  const ev = (a: Alignment, userId: string, orgId: string, at: string): Evidence => {
    n += 1;
    return { id: `st-pv-${n}|${a.id}`, userId, orgId, frameworkId: a.frameworkId, itemIdentifier: a.itemIdentifier, level: a.level, statementId: `st-pv-${n}`, alignmentId: a.id, activityId: a.activityId, courseId: a.target.courseId as string, at };
  };
  const [p1, p2, p3, a4] = aligned as [Alignment, Alignment, Alignment, Alignment];
  await w.store.competency.insertEvidence([
    ...w.people.A.map((u) => ev(p1, u, w.orgs.A, '2030-04-02T10:00:00.000Z')),
    // A second piece of evidence later: the person counts once.
    ev(p1, w.people.A[0]!, w.orgs.A, '2030-05-02T10:00:00.000Z'),
    ...w.people.B.map((u) => ev(p1, u, w.orgs.B, '2030-04-03T10:00:00.000Z')),
    ...w.people.A.slice(0, 5).map((u) => ev(p2, u, w.orgs.A, '2030-05-04T10:00:00.000Z')),
    ...w.people.B.map((u) => ev(p2, u, w.orgs.B, '2029-06-04T10:00:00.000Z')),
    ...w.people.B.map((u) => ev(p3, u, w.orgs.B, '2030-04-05T10:00:00.000Z')),
    ev(p3, pat, w.orgs.P, '2030-04-06T10:00:00.000Z'),
    ...w.people.A.map((u) => ev(a4, u, w.orgs.A, '2030-04-07T10:00:00.000Z')),
  ]);
  return pat;
}
