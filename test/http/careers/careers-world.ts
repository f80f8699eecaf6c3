import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Course, User } from '../../../src/store/ports';
import { agentKey } from '../../../src/xapi/model/agent-key';
import { agentOf, courseFixture, postStatements, stmt, type Session, type World } from '../security/fixture';

export const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';

/** A published course of `orgId` with its title; returns it and its main activity id. */
export async function publishedCourse(w: World, orgId: string, title: string): Promise<{ course: Course; activity: string }> {
  const { course, version } = courseFixture(orgId, 'published');
  const titled = { ...course, title };
  await w.store.courses.insertCourse(titled, version);
  const model = version.model;
  return { course: titled, activity: 'mainActivityId' in model ? model.mainActivityId : '' };
}

/**
 * A registration of `user` in `course` as the player records it, then statements through the
 * organization's LRS credential that move the progress projection (completed when `complete`).
 */
export async function learn(w: World, user: User, orgId: string, c: { course: Course; activity: string }, complete: boolean, auth: string): Promise<string> {
  const registration = randomUUID();
  await w.store.progress.insertProgressTrack({
    registration, courseId: c.course.id, versionId: c.course.currentVersionId ?? '', userId: user.id,
    agentKey: agentKey(agentOf(user)) ?? '', orgId, courseActivityIds: [c.activity], unitActivityIds: [], createdAt: new Date().toISOString(),
  });
  const verbs = complete ? ['http://adlnet.gov/expapi/verbs/attempted', COMPLETED] : ['http://adlnet.gov/expapi/verbs/attempted'];
  await postStatements(w.app, auth, verbs.map((verb) => stmt(agentOf(user), { registration, activity: c.activity, verb })));
  return registration;
}

/** A JSON API call of a session (CSRF header on writes). */
export function api(w: World, session: Session | undefined, method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: unknown): request.Test {
  let t = request(w.app)[method](path);
  if (session) t = t.set('Cookie', session.cookie);
  if (session && method !== 'get') t = t.set('X-CSRF-Token', session.csrf);
  if (body !== undefined) t = t.send(body as object);
  return t;
}

/** The units the careers tests use: Main Library with Children's Services below it, and East Branch beside it. */
export interface ThreeUnits { main: string; kids: string; east: string }

/**
 * Creates the three units through the API as A's administrator, then puts people in them
 * (`[unit key, person, 'members' | 'managers']`) the same way.
 */
export async function threeUnits(w: World, places: readonly (readonly [keyof ThreeUnits, User, 'members' | 'managers'])[]): Promise<ThreeUnits> {
  const A = `/api/orgs/${w.orgA.id}`;
  const unit = async (name: string, parentId?: string): Promise<string> =>
    (await api(w, await w.session(w.people.orgAdminA), 'post', `${A}/units`, { name, ...(parentId ? { parentId } : {}) }).expect(201)).body.id as string;
  const main = await unit('Main Library');
  const ids: ThreeUnits = { main, kids: await unit("Children's Services", main), east: await unit('East Branch') };
  for (const [key, user, kind] of places) {
    await api(w, await w.session(w.people.orgAdminA), 'put', `${A}/units/${ids[key]}/${kind}/${user.id}`).expect(201);
  }
  return ids;
}
