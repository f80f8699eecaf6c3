import type { RequestListener } from 'node:http';
/**
 * A world for the access and security tests: two organizations (A and B), one person per role,
 * LRS credentials of each kind, a launch token, and helpers to sign in and write statements.
 * Everything is built in code on a fresh in-memory store.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { issueLaunchToken } from '../../../src/accounts/launch-tokens';
import { hashSecret } from '../../../src/accounts/secret-hash';
import { SESSION_COOKIE } from '../../../src/accounts/session-cookie';
import { startSession } from '../../../src/accounts/sessions';
import { createApp } from '../../../src/app';
import { testConfig, type Config } from '../../../src/config';
import type { AppServices } from '../../../src/deps';
import { createLogger } from '../../../src/logger';
import { openStore } from '../../../src/store';
import type { Course, CourseVersion, Organization, Role, Store, User } from '../../../src/store/ports';

export const PASSWORD = 'a long enough password';
export const PUBLIC_URL = 'http://learnhq.test';

/** A signed-in browser: the Cookie header and the session's CSRF token. */
export interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

export interface World {
  readonly app: RequestListener;
  /** The Express app behind `app` (its router stack lists the routes). */
  readonly expressApp: Express;
  readonly store: Store;
  readonly config: Config;
  readonly services: AppServices;
  readonly orgA: Organization;
  readonly orgB: Organization;
  readonly people: {
    readonly learnerA: User;
    readonly authorA: User;
    readonly analystA: User;
    readonly orgAdminA: User;
    readonly orgAdminB: User;
    readonly learnerB: User;
    readonly siteAdmin: User;
  };
  /** Authorization header values. */
  readonly creds: {
    readonly site: string;
    readonly orgA: string;
    readonly orgB: string;
    /** statements/read/mine + statements/write, site level. */
    readonly mine: string;
    /** statements/read only, site level. */
    readonly readOnly: string;
  };
  /** The launch of learnerA in orgA, and a token for it (a fresh one each time `header` is read). */
  readonly launch: { readonly registration: string; readonly activityId: string; readonly header: string };
  /** Moves the app's clock forward. */
  advance(ms: number): void;
  /** A fresh session of a person (a new one each call, so a sign-out never disturbs another test). */
  session(user: User): Promise<Session>;
  /** Adds a person with roles. */
  person(roles: readonly { orgId: string; role: Role }[], opts?: { isSiteAdmin?: boolean; shareEmail?: boolean; password?: boolean; emailProven?: boolean }): Promise<User>;
  /** Adds an LRS credential; returns its Authorization header value. */
  credential(scopes: readonly string[], orgId?: string): Promise<string>;
  close(): Promise<void>;
}

/** The xAPI Agent of a LearnHQ person (account on the site's home page). */
export function agentOf(user: Pick<User, 'id' | 'name'>): Record<string, unknown> {
  return { objectType: 'Agent', name: user.name, account: { homePage: PUBLIC_URL, name: user.id } };
}

/** A statement JSON (new id each time). */
export function stmt(actor: Record<string, unknown>, opts: { registration?: string; activity?: string; verb?: string; object?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    actor,
    verb: { id: opts.verb ?? 'http://adlnet.gov/expapi/verbs/experienced', display: { en: 'experienced' } },
    object: opts.object ?? { objectType: 'Activity', id: opts.activity ?? `http://example.com/act/${randomUUID()}` },
    ...(opts.registration !== undefined ? { context: { registration: opts.registration } } : {}),
  };
}

let n = 0;
let openWorldStore: (() => Promise<Store>) | undefined;

/** Makes createWorld open its store with `open` (the MongoDB runs, test/helpers/on-mongo.ts). */
export function useWorldStore(open: () => Promise<Store>): void {
  openWorldStore = open;
}

export async function createWorld(config: Partial<Config> = {}): Promise<World> {
  // Files (self-report attachments) go to a temp folder, never into the repository's packages-store.
  const packagesDir = path.join(os.tmpdir(), `learnhq-world-${randomUUID().slice(0, 8)}`);
  const cfg = testConfig({ publicUrl: PUBLIC_URL, sessionSecret: 's'.repeat(40), demo: false, packagesDir, ...config });
  const store = openWorldStore ? await openWorldStore() : await openStore({ kind: 'sqlite', path: ':memory:' });
  const logger = createLogger('silent');
  // Real time plus a shift tests can add to (throttle pauses, expiry).
  let shiftMs = 0;
  const now = (): Date => new Date(Date.now() + shiftMs);
  const { listener: app, app: expressApp, credentials } = createApp({ config: cfg, store, logger, now });
  const services: AppServices = { config: cfg, store, logger, now, credentials };

  const org = async (name: string): Promise<Organization> => {
    const o: Organization = { id: `org-${name}-${randomUUID().slice(0, 6)}`, slug: `${name}-${randomUUID().slice(0, 6)}`, name, kind: 'both', createdAt: now().toISOString() };
    await store.accounts.insertOrganization(o);
    return o;
  };
  // One hash for everyone: scrypt per person would make the fixture slow for nothing.
  const passwordHash = await hashSecret(PASSWORD);

  const person: World['person'] = async (roles, opts = {}) => {
    n += 1;
    const id = `u${n}-${randomUUID().slice(0, 8)}`;
    const user: User = {
      id,
      email: `${id}@example.org`,
      name: `Person ${n}`,
      ...(opts.password === false ? {} : { passwordHash }),
      isSiteAdmin: opts.isSiteAdmin === true,
      shareEmail: opts.shareEmail === true,
      createdAt: now().toISOString(),
      failedSignIns: 0,
      ...(opts.emailProven ? { emailVerifiedAt: now().toISOString() } : {}),
    };
    await store.accounts.insertUser(user);
    for (const r of roles) await store.accounts.insertMembership({ userId: id, orgId: r.orgId, role: r.role, createdAt: now().toISOString() });
    return user;
  };

  const credential: World['credential'] = async (scopes, orgId) => {
    n += 1;
    const key = `cred${n}x${randomUUID().slice(0, 6)}`;
    const secret = `secret-${randomUUID()}`;
    await store.credentials.insertCredential({
      key,
      secretHash: await hashSecret(secret),
      name: `credential ${n}`,
      scopes: [...scopes],
      authority: { objectType: 'Agent', name: `credential ${n}`, account: { homePage: PUBLIC_URL, name: key } },
      ...(orgId !== undefined ? { orgId } : {}),
      createdAt: now().toISOString(),
    });
    return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  };

  const orgA = await org('a');
  const orgB = await org('b');
  const people = {
    learnerA: await person([{ orgId: orgA.id, role: 'learner' }]),
    authorA: await person([{ orgId: orgA.id, role: 'author' }]),
    analystA: await person([{ orgId: orgA.id, role: 'analyst' }]),
    orgAdminA: await person([{ orgId: orgA.id, role: 'orgAdmin' }]),
    orgAdminB: await person([{ orgId: orgB.id, role: 'orgAdmin' }]),
    learnerB: await person([{ orgId: orgB.id, role: 'learner' }]),
    siteAdmin: await person([], { isSiteAdmin: true }),
  };
  const creds = {
    site: await credential(['all']),
    orgA: await credential(['all'], orgA.id),
    orgB: await credential(['all'], orgB.id),
    mine: await credential(['statements/read/mine', 'statements/write']),
    readOnly: await credential(['statements/read']),
  };
  const registration = randomUUID();
  const activityId = `http://example.com/courses/${randomUUID()}`;
  // A fresh token at each use: signing one of learnerA's sessions out (several tests do) ends the
  // launch tokens granted before it (issue 11), which is not what the tests using this one are about.
  const launch = {
    registration,
    activityId,
    get header(): string {
      return issueLaunchToken(services, { userId: people.learnerA.id, actor: agentOf(people.learnerA), registration, activityId, orgId: orgA.id });
    },
  };

  return {
    app,
    expressApp,
    store,
    config: cfg,
    services,
    orgA,
    orgB,
    people,
    creds,
    launch,
    advance(ms) {
      shiftMs += ms;
    },
    async session(user) {
      const s = await startSession(services, user);
      return { cookie: `${SESSION_COOKIE}=${encodeURIComponent(s.token)}`, csrf: s.csrfToken };
    },
    person,
    credential,
    close: async () => {
      await store.close();
      await fs.rm(packagesDir, { recursive: true, force: true });
    },
  };
}

/**
 * One session per person, started on first use and reused: `as(user)` for tests that act as many
 * people many times. `world` is read at each call (the world is made in a beforeAll).
 */
export function cachedSessions(world: () => World): (user: User) => Promise<Session> {
  const sessions = new Map<string, Session>();
  return async (user) => {
    let s = sessions.get(user.id);
    if (!s) sessions.set(user.id, (s = await world().session(user)));
    return s;
  };
}

/** POSTs statements with a credential; fails the test unless 200. Returns the ids. */
export async function postStatements(app: RequestListener, auth: string, statements: readonly Record<string, unknown>[]): Promise<string[]> {
  const res = await request(app).post('/xapi/statements').set('Authorization', auth).set('X-Experience-API-Version', '1.0.3').send([...statements]);
  if (res.status !== 200) throw new Error(`POST /xapi/statements: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as string[];
}

/** GET /xapi/statements with a query; returns the status and the statement ids. */
export async function queryIds(app: RequestListener, auth: string, query: Record<string, string> = {}): Promise<{ status: number; ids: string[] }> {
  const res = await request(app).get('/xapi/statements').query(query).set('Authorization', auth).set('X-Experience-API-Version', '1.0.3');
  const body = res.body as { statements?: { id: string }[] };
  return { status: res.status, ids: (body.statements ?? []).map((s) => s.id) };
}

/** A course of `orgId` with its first version (a TinCan model; no files), as an import would store it. */
export function courseFixture(orgId: string, state: Course['state'] = 'draft'): { course: Course; version: CourseVersion } {
  const id = `course-${randomUUID().slice(0, 8)}`;
  const at = new Date().toISOString();
  const activity = `http://example.com/activities/${randomUUID()}`;
  const version: CourseVersion = {
    id: `ver-${randomUUID().slice(0, 8)}`,
    courseId: id,
    number: 1,
    format: 'tincan',
    fileSetId: `fs-${randomUUID().slice(0, 8)}`,
    sha256: 'ab'.repeat(32),
    bytes: 100,
    uploadedBy: 'fixture',
    createdAt: at,
    model: {
      modelVersion: 1, format: 'tincan', manifestPath: 'tincan.xml', title: 'Course',
      launchables: [{ id: activity, title: 'Course', kind: 'activity', launchUrl: 'index.html', external: false }],
      activities: [{ id: activity, name: { en: 'Course' }, description: {}, launch: 'index.html' }],
      mainActivityId: activity,
    },
    report: { errors: [], warnings: [] },
  };
  const course: Course = {
    id, orgId, title: 'Course', description: 'About', language: 'en', provider: 'A', competencies: [], state,
    currentVersionId: version.id, currentVersionNumber: 1, createdAt: at, updatedAt: at,
  };
  return { course, version };
}
