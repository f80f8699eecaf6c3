/**
 * The access matrix (issue 4): every route of the app against every kind of caller, with the
 * expected allow or deny. Routes are read from createApp()'s router stack at test time, so a new
 * route without an entry here fails the first test.
 *
 * Web routes are tried by: no sign-in, a learner, an author, an analyst and an administrator of
 * organization A, the administrator of organization B (the wrong organization), and the site
 * administrator. /xapi routes by: no credential, a site credential, organization A's and B's
 * credentials, a statements/read/mine credential and a launch token. Every resource in a request
 * belongs to organization A (and its learner). Each cell gets a fresh session and, for requests
 * that consume something (revoke, erase, accept an invitation), a fresh resource.
 *
 * 'allow' means the access checks let the request through: any answer but 401, 403, 404, 405, a
 * redirect to /sign-in, or a server error (a 400 for a body the matrix does not bother to make
 * valid still counts as allowed).
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { hashToken, newLinkToken } from '../../src/accounts/tokens';
import type { Course, User } from '../../src/store/ports';
import { agentOf, courseFixture, createWorld, PASSWORD, postStatements, stmt, type World } from './security/fixture';
import { listRoutes } from './security/route-list';

type Outcome = 'allow' | 'signin' | 401 | 403 | 404 | 405;
const WEB = ['anon', 'learner', 'author', 'analyst', 'orgAdminA', 'orgAdminB', 'siteAdmin'] as const;
const LRS = ['none', 'site', 'orgA', 'orgB', 'mine', 'launch'] as const;
type WebActor = (typeof WEB)[number];
type LrsActor = (typeof LRS)[number];

// Policies of web routes (A is the organization in the URL).
const row = (anon: Outcome, learner: Outcome, author: Outcome, analyst: Outcome, orgAdminA: Outcome, orgAdminB: Outcome, siteAdmin: Outcome): Record<WebActor, Outcome> =>
  ({ anon, learner, author, analyst, orgAdminA, orgAdminB, siteAdmin });
const PUBLIC = row('allow', 'allow', 'allow', 'allow', 'allow', 'allow', 'allow');
const SIGNED_IN_API = row(401, 'allow', 'allow', 'allow', 'allow', 'allow', 'allow');
const SIGNED_IN_PAGE = row('signin', 'allow', 'allow', 'allow', 'allow', 'allow', 'allow');
const SITE_ADMIN_API = row(401, 403, 403, 403, 403, 403, 'allow');
const SITE_ADMIN_PAGE = row('signin', 403, 403, 403, 403, 403, 'allow');
const ORG_MEMBER_API = row(401, 'allow', 'allow', 'allow', 'allow', 404, 'allow');
const ORG_ADMIN_API = row(401, 403, 403, 403, 'allow', 404, 'allow');
const ORG_ADMIN_PAGE = row('signin', 403, 403, 403, 'allow', 404, 'allow');
// Courses: authors of the course's organization (403 for its other members). The course is a
// draft: outside its organization it is 404, as an unknown id (issue 11).
const AUTHOR_API = row(401, 403, 'allow', 403, 403, 404, 'allow');
const AUTHOR_PAGE = row('signin', 403, 'allow', 403, 403, 404, 'allow');
// Author console home: anyone who authors somewhere.
const AUTHOR_HOME_PAGE = row('signin', 403, 'allow', 403, 403, 403, 'allow');
const AUTHOR_HOME_API = SIGNED_IN_API;

// Policies of LRS routes (the learner and registration are those of the launch token).
const lrs = (none: Outcome, site: Outcome, orgA: Outcome, orgB: Outcome, mine: Outcome, launch: Outcome): Record<LrsActor, Outcome> =>
  ({ none, site, orgA, orgB, mine, launch });
const LRS_OPEN = lrs('allow', 'allow', 'allow', 'allow', 'allow', 'allow');
const LRS_NO_METHOD = lrs(405, 405, 405, 405, 405, 405);

/** One cell's request. */
interface Req {
  readonly method: string;
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly json?: unknown;
  readonly form?: Record<string, string>;
  readonly raw?: { readonly type: string; readonly body: string };
}

interface Entry {
  readonly web?: Record<WebActor, Outcome>;
  /**
   * A form that works without a session (issue 11): sent as a browser that loaded the form, with
   * its pre-session cookie and token in `_csrf` (beside the session cookie, for signed-in actors).
   */
  readonly publicForm?: boolean;
  readonly lrs?: Record<LrsActor, Outcome>;
  /** Builds the request for one cell (fresh resources where the request consumes them). */
  readonly req?: (c: Ctx) => Promise<Partial<Req>> | Partial<Req>;
}

interface Ctx {
  readonly w: World;
  /** A draft course of A (publish and retire cells get a fresh one: they change its state). */
  readonly course: Course;
  freshCourse(): Promise<string>;
  /** A published course of A (xAPI package), for the player's routes. */
  readonly playable: Course;
  /** A fresh learner of A. */
  freshPerson(): Promise<User>;
  /** A fresh credential key of A. */
  freshCredential(): Promise<string>;
  freshInvitation(): Promise<string>;
  freshResetToken(): Promise<string>;
  freshVerifyToken(): Promise<string>;
  /** A statement of A's launch learner outside the launch registration. */
  readonly statementOfA: string;
}

const reg = (c: Ctx) => c.w.launch.registration;
const learner = (c: Ctx) => JSON.stringify(agentOf(c.w.people.learnerA));
const stateQuery = (c: Ctx) => ({ activityId: c.w.launch.activityId, agent: learner(c), stateId: 'bookmark', registration: reg(c) });

/** A fresh published webinar of A, visible to A only. */
async function opportunityOfA(c: Ctx): Promise<string> {
  const id = randomUUID();
  const at = new Date().toISOString();
  await c.w.store.catalog.upsertCatalogEntry({
    id, kind: 'webinar', orgId: c.w.orgA.id, provider: 'A', title: 'Webinar of A', description: '', keywords: [], competencies: [], language: 'en',
    state: 'published', visibility: 'org', visibleOrgIds: [], createdAt: at, updatedAt: at,
  });
  return id;
}

/** Every route, by `METHOD /path` as listRoutes() names it. */
const MATRIX: Record<string, Entry> = {
  'GET /health': { web: PUBLIC },
  'GET /': { web: row('signin', 'allow', 'allow', 'allow', 'allow', 'allow', 'allow') },
  'GET /sign-in': { web: PUBLIC },
  'POST /sign-in': { web: PUBLIC, publicForm: true, req: async (c) => ({ form: { email: (await c.freshPerson()).email, password: PASSWORD } }) },
  'POST /sign-out': { web: PUBLIC },
  'GET /me': { web: SIGNED_IN_PAGE },
  'POST /me/share-email': { web: SIGNED_IN_PAGE, req: () => ({ form: { shareEmail: 'on' } }) },
  'GET /password-reset': { web: PUBLIC },
  'POST /password-reset': { web: PUBLIC, publicForm: true, req: () => ({ form: { email: 'nobody@example.org' } }) },
  'GET /password-reset/:token': { web: PUBLIC, req: async (c) => ({ path: `/password-reset/${await c.freshResetToken()}` }) },
  'POST /password-reset/:token': { web: PUBLIC, publicForm: true, req: async (c) => ({ path: `/password-reset/${await c.freshResetToken()}`, form: { password: 'a new long password', confirm: 'a new long password' } }) },
  'GET /invitations/:token': { web: PUBLIC, req: async (c) => ({ path: `/invitations/${await c.freshInvitation()}` }) },
  'POST /invitations/:token': { web: PUBLIC, publicForm: true, req: async (c) => ({ path: `/invitations/${await c.freshInvitation()}`, form: { name: 'New', password: 'a new long password', confirm: 'a new long password' } }) },
  // Issue 11: proof of email by a mailed link, and the outbox that holds mail without SMTP.
  'POST /me/verify-email': { web: SIGNED_IN_PAGE, req: () => ({ form: {} }) },
  'GET /verify-email/:token': { web: PUBLIC, req: async (c) => ({ path: `/verify-email/${await c.freshVerifyToken()}` }) },
  'POST /verify-email/:token': { web: PUBLIC, publicForm: true, req: async (c) => ({ path: `/verify-email/${await c.freshVerifyToken()}`, form: {} }) },
  'GET /admin/outbox': { web: SITE_ADMIN_PAGE },
  'POST /api/me/email-verification': { web: SIGNED_IN_API },
  'POST /api/email-verification/:token': { web: PUBLIC, req: async (c) => ({ path: `/api/email-verification/${await c.freshVerifyToken()}` }) },
  'GET /api/admin/outbox': { web: SITE_ADMIN_API },
  // The administration home: organization administrators (of any organization) and the site administrator.
  'GET /admin': { web: row('signin', 403, 403, 403, 'allow', 'allow', 'allow') },
  'GET /admin/audit': { web: SITE_ADMIN_PAGE },
  'POST /admin/orgs': { web: SITE_ADMIN_PAGE, req: () => ({ form: { name: `Org ${randomUUID().slice(0, 6)}`, kind: 'member' } }) },
  'GET /admin/orgs/:orgId': { web: ORG_ADMIN_PAGE },
  'GET /admin/orgs/:orgId/audit': { web: ORG_ADMIN_PAGE },
  'GET /admin/orgs/:orgId/credentials': { web: ORG_ADMIN_PAGE },
  'POST /admin/orgs/:orgId/credentials': { web: ORG_ADMIN_PAGE, req: () => ({ form: { name: 'tool', scopes: 'statements/write' } }) },
  'POST /admin/orgs/:orgId/credentials/:key/revoke': { web: ORG_ADMIN_PAGE, req: async (c) => ({ path: `/admin/orgs/${c.w.orgA.id}/credentials/${await c.freshCredential()}/revoke` }) },
  'POST /admin/orgs/:orgId/invitations': { web: ORG_ADMIN_PAGE, req: () => ({ form: { email: `${randomUUID()}@example.org`, roles: 'learner' } }) },
  'POST /admin/orgs/:orgId/people/:userId/roles': { web: ORG_ADMIN_PAGE, req: async (c) => ({ path: `/admin/orgs/${c.w.orgA.id}/people/${(await c.freshPerson()).id}/roles`, form: { role: 'author' } }) },
  'POST /admin/orgs/:orgId/people/:userId/roles/revoke': { web: ORG_ADMIN_PAGE, req: async (c) => ({ path: `/admin/orgs/${c.w.orgA.id}/people/${(await c.freshPerson()).id}/roles/revoke`, form: { role: 'learner' } }) },
  'GET /catalog': { web: SIGNED_IN_PAGE },
  // Issue 18: My learning, catalog entries (the draft course of A: unknown outside A), targets, assignments.
  'GET /my-learning': { web: SIGNED_IN_PAGE },
  'GET /api/my-learning': { web: SIGNED_IN_API },
  // ADR 0019: opportunities of A (published to A only: unknown to B), self-reports of A's learner.
  'POST /api/orgs/:orgId/opportunities': { web: row(401, 403, 'allow', 403, 'allow', 404, 'allow'), req: () => ({ json: { kind: 'webinar', title: 'Matrix webinar' } }) },
  'POST /api/opportunities/:entryId/registration': { web: ORG_MEMBER_API, req: async (c) => ({ path: `/api/opportunities/${await opportunityOfA(c)}/registration` }) },
  'DELETE /api/opportunities/:entryId/registration': { web: row(401, 404, 404, 404, 404, 404, 404), req: async (c) => ({ path: `/api/opportunities/${await opportunityOfA(c)}/registration` }) },
  'GET /api/opportunities/:entryId/roster': { web: row(401, 403, 'allow', 403, 'allow', 404, 'allow'), req: async (c) => ({ path: `/api/opportunities/${await opportunityOfA(c)}/roster` }) },
  'POST /api/opportunities/:entryId/attendance': { web: row(401, 403, 'allow', 403, 'allow', 404, 'allow'), req: async (c) => ({ path: `/api/opportunities/${await opportunityOfA(c)}/attendance`, json: { marks: [] } }) },
  'GET /opportunities/:entryId': { web: row('signin', 'allow', 'allow', 'allow', 'allow', 404, 'allow'), req: async (c) => ({ path: `/opportunities/${await opportunityOfA(c)}` }) },
  'POST /opportunities/:entryId/register': { web: row('signin', 'allow', 'allow', 'allow', 'allow', 404, 'allow'), req: async (c) => ({ path: `/opportunities/${await opportunityOfA(c)}/register`, form: {} }) },
  'POST /opportunities/:entryId/cancel': { web: row('signin', 404, 404, 404, 404, 404, 404), req: async (c) => ({ path: `/opportunities/${await opportunityOfA(c)}/cancel`, form: {} }) },
  'POST /opportunities/:entryId/attendance': { web: row('signin', 403, 'allow', 403, 'allow', 404, 'allow'), req: async (c) => ({ path: `/opportunities/${await opportunityOfA(c)}/attendance`, form: {} }) },
  'POST /api/me/self-reports': { web: SIGNED_IN_API, req: () => ({ json: { orgId: 'x', title: 'T', provider: 'P', completedOn: '2026-01-01' } }) },
  'GET /api/orgs/:orgId/self-reports': { web: ORG_ADMIN_API },
  'POST /api/self-reports/:reportId/decision': {
    web: ORG_ADMIN_API,
    req: async (c) => {
      const id = randomUUID();
      await c.w.store.learning.insertSelfReport({ id, userId: c.w.people.learnerA.id, orgId: c.w.orgA.id, title: 'Conference', provider: 'P', kind: 'external', completedOn: '2026-01-01', note: '', state: 'pending', createdAt: new Date().toISOString() });
      return { path: `/api/self-reports/${id}/decision`, json: { approve: false } };
    },
  },
  'POST /api/orgs/:orgId/assignments/reminders': { web: ORG_ADMIN_API },
  'GET /reminders/unsubscribe/:token': { web: row(404, 404, 404, 404, 404, 404, 404), req: () => ({ path: '/reminders/unsubscribe/eA.forged' }) },
  'GET /transcript': { web: SIGNED_IN_PAGE },
  'GET /transcript.csv': { web: SIGNED_IN_PAGE },
  'GET /transcript.pdf': { web: SIGNED_IN_PAGE },
  'GET /api/transcript': { web: SIGNED_IN_API },
  // A certificate of a course nobody completed, and a forged verification token: unknown to everyone.
  'GET /transcript/certificates/:entryId.pdf': { web: row('signin', 404, 404, 404, 404, 404, 404), req: (c) => ({ path: `/transcript/certificates/${c.playable.id}.pdf` }) },
  'GET /certificates/:token': { web: row(404, 404, 404, 404, 404, 404, 404), req: () => ({ path: '/certificates/eyJ4IjoxfQ.forged' }) },
  'GET /api/certificates/:token': { web: row(404, 404, 404, 404, 404, 404, 404), req: () => ({ path: '/api/certificates/eyJ4IjoxfQ.forged' }) },
  'GET /api/catalog/entries/:entryId': { web: ORG_MEMBER_API, req: (c) => ({ path: `/api/catalog/entries/${c.course.id}` }) },
  'PUT /api/catalog/entries/:entryId/visibility': { web: row(401, 403, 'allow', 403, 'allow', 404, 'allow'), req: (c) => ({ path: `/api/catalog/entries/${c.course.id}/visibility`, json: { visibility: 'all' } }) },
  'GET /api/orgs/:orgId/learning-target': { web: ORG_MEMBER_API },
  'PUT /api/orgs/:orgId/learning-target': { web: ORG_ADMIN_API, req: () => ({ json: { ceCredits: 12, hours: 20 } }) },
  'GET /api/orgs/:orgId/assignments': { web: ORG_ADMIN_API },
  'POST /api/orgs/:orgId/assignments': { web: ORG_ADMIN_API, req: (c) => ({ json: { entryId: c.playable.id, target: { kind: 'role', role: 'learner' }, dueAt: '2030-01-01' } }) },
  'DELETE /api/orgs/:orgId/assignments/:assignmentId': {
    web: ORG_ADMIN_API,
    req: async (c) => {
      const id = randomUUID();
      await c.w.store.learning.insertAssignment({ id, orgId: c.w.orgA.id, entryId: c.playable.id, target: { kind: 'role', role: 'learner' }, required: true, createdBy: 'x', createdAt: new Date().toISOString() });
      return { path: `/api/orgs/${c.w.orgA.id}/assignments/${id}` };
    },
  },
  'GET /author': { web: AUTHOR_HOME_PAGE },
  'GET /author/courses/:courseId': { web: AUTHOR_PAGE },
  'POST /author/courses/:courseId': { web: AUTHOR_PAGE, req: () => ({ form: { title: 'Renamed' } }) },
  'POST /author/courses/:courseId/publish': { web: AUTHOR_PAGE, req: async (c) => ({ path: `/author/courses/${await c.freshCourse()}/publish` }) },
  'POST /author/courses/:courseId/retire': { web: AUTHOR_PAGE, req: async (c) => ({ path: `/author/courses/${await c.freshCourse()}/retire` }) },

  'POST /api/session': { web: PUBLIC, req: async (c) => ({ json: { email: (await c.freshPerson()).email, password: PASSWORD } }) },
  'DELETE /api/session': { web: PUBLIC },
  'GET /api/me': { web: SIGNED_IN_API },
  'PATCH /api/me': { web: SIGNED_IN_API, req: () => ({ json: { shareEmail: true } }) },
  'GET /api/me/records': { web: SIGNED_IN_API },
  'POST /api/password-reset': { web: PUBLIC, req: () => ({ json: { email: 'nobody@example.org' } }) },
  'POST /api/password-reset/:token': { web: PUBLIC, req: async (c) => ({ path: `/api/password-reset/${await c.freshResetToken()}`, json: { password: 'a new long password' } }) },
  'GET /api/invitations/:token': { web: PUBLIC, req: async (c) => ({ path: `/api/invitations/${await c.freshInvitation()}` }) },
  'POST /api/invitations/:token': { web: PUBLIC, req: async (c) => ({ path: `/api/invitations/${await c.freshInvitation()}`, json: { name: 'New', password: 'a new long password' } }) },
  'GET /api/orgs': { web: SIGNED_IN_API },
  'POST /api/orgs': { web: SITE_ADMIN_API, req: () => ({ json: { name: `Org ${randomUUID().slice(0, 6)}`, kind: 'member' } }) },
  'GET /api/orgs/:orgId': { web: ORG_MEMBER_API },
  'GET /api/orgs/:orgId/people': { web: ORG_ADMIN_API },
  'GET /api/orgs/:orgId/invitations': { web: ORG_ADMIN_API },
  'POST /api/orgs/:orgId/invitations': { web: ORG_ADMIN_API, req: () => ({ json: { email: `${randomUUID()}@example.org`, roles: ['learner'] } }) },
  'PUT /api/orgs/:orgId/people/:userId/roles/:role': { web: ORG_ADMIN_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/people/${(await c.freshPerson()).id}/roles/author` }) },
  'DELETE /api/orgs/:orgId/people/:userId/roles/:role': { web: ORG_ADMIN_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/people/${(await c.freshPerson()).id}/roles/learner` }) },
  'GET /api/orgs/:orgId/credentials': { web: ORG_ADMIN_API },
  'POST /api/orgs/:orgId/credentials': { web: ORG_ADMIN_API, req: () => ({ json: { name: 'tool', scopes: ['statements/write'] } }) },
  'DELETE /api/orgs/:orgId/credentials/:key': { web: ORG_ADMIN_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/credentials/${await c.freshCredential()}` }) },
  'GET /api/orgs/:orgId/audit': { web: ORG_ADMIN_API },
  'GET /api/audit': { web: SITE_ADMIN_API },
  'POST /api/admin/people/:userId/erase': { web: SITE_ADMIN_API, req: async (c) => ({ path: `/api/admin/people/${(await c.freshPerson()).id}/erase` }) },
  'GET /api/catalog': { web: SIGNED_IN_API },
  'GET /api/author/courses': { web: AUTHOR_HOME_API },
  // Uploads: the author check comes before a byte of the body is read, so an empty body is enough.
  'POST /api/orgs/:orgId/courses': { web: row(401, 403, 'allow', 403, 403, 403, 'allow') },
  'POST /api/courses/:courseId/versions': { web: AUTHOR_API },
  'GET /api/courses/:courseId': { web: AUTHOR_API },
  'PATCH /api/courses/:courseId': { web: AUTHOR_API, req: () => ({ json: { title: 'Renamed' } }) },
  'POST /api/courses/:courseId/publish': { web: AUTHOR_API, req: async (c) => ({ path: `/api/courses/${await c.freshCourse()}/publish` }) },
  'POST /api/courses/:courseId/retire': { web: AUTHOR_API, req: async (c) => ({ path: `/api/courses/${await c.freshCourse()}/retire` }) },
  // Issue 6 (xAPI/cmi5 slices): the cmi5 fetch URL is a capability URL (a wrong one answers 200
  // with the spec's error object), waivers need the organization administrator of the learner.
  'POST /cmi5/fetch/:sessionId': { web: PUBLIC, req: () => ({ path: `/cmi5/fetch/${randomUUID()}`, query: { k: 'wrong' } }) },
  'OPTIONS /cmi5/fetch/:sessionId': { web: PUBLIC, req: () => ({ path: `/cmi5/fetch/${randomUUID()}` }) },
  'POST /api/registrations/:registrationId/aus/:auId/waive': {
    web: ORG_ADMIN_API,
    req: async (c) => {
      const person = await c.freshPerson();
      const id = randomUUID();
      await c.w.store.launch.insertRegistration({
        id, userId: person.id, courseId: c.course.id, versionId: c.course.currentVersionId ?? '', orgId: c.w.orgA.id, createdAt: new Date().toISOString(),
      });
      return { path: `/api/registrations/${id}/aus/${encodeURIComponent('http://example.com/au')}/waive`, json: {} };
    },
  },
  'GET /api/progress': { web: SIGNED_IN_API, req: (c) => ({ query: { course: c.course.id } }) },

  // Issue 6, the player: a published course is open to every signed-in person; a launch session
  // belongs to one learner (a session id of nobody's is 404 for all); the runtime API takes only a
  // launch token, never a session cookie, so every web caller is 401 there.
  'GET /courses/:courseId': { web: SIGNED_IN_PAGE, req: (c) => ({ path: `/courses/${c.playable.id}` }) },
  // Issue 17: where content returns the learner (cmi5 returnURL); it shows nothing of the course.
  'GET /courses/:courseId/return': { web: PUBLIC, req: (c) => ({ path: `/courses/${c.playable.id}/return` }) },
  'POST /courses/:courseId/launch': { web: SIGNED_IN_PAGE, req: (c) => ({ path: `/courses/${c.playable.id}/launch`, form: { mode: 'normal' } }) },
  'GET /api/courses/:courseId/me': { web: SIGNED_IN_API, req: (c) => ({ path: `/api/courses/${c.playable.id}/me` }) },
  'POST /api/courses/:courseId/launch': { web: SIGNED_IN_API, req: (c) => ({ path: `/api/courses/${c.playable.id}/launch`, json: { mode: 'normal' } }) },
  'GET /play/:sessionId': { web: row('signin', 404, 404, 404, 404, 404, 404), req: () => ({ path: `/play/${randomUUID()}` }) },
  'GET /api/play/:sessionId': { web: row(401, 404, 404, 404, 404, 404, 404), req: () => ({ path: `/api/play/${randomUUID()}` }) },
  'POST /api/play/:sessionId/time': { web: row(401, 404, 404, 404, 404, 404, 404), req: () => ({ path: `/api/play/${randomUUID()}/time`, json: { seconds: 5 } }) },
  'GET /api/runtime/sessions/:sessionId': { web: row(401, 401, 401, 401, 401, 401, 401), req: () => ({ path: `/api/runtime/sessions/${randomUUID()}` }) },
  'POST /api/runtime/sessions/:sessionId/commits': { web: row(401, 401, 401, 401, 401, 401, 401), req: () => ({ path: `/api/runtime/sessions/${randomUUID()}/commits`, json: { scoId: 'x', seq: 1, cmi: {} } }) },

  'GET /xapi/about': { lrs: LRS_OPEN },
  'GET /xapi/statements': {
    lrs: lrs(401, 'allow', 'allow', 404, 404, 404),
    req: (c) => ({ query: { statementId: c.statementOfA } }),
  },
  // Issue 11: statements about A's learner are refused to B's credential (403 naming the rule).
  'PUT /xapi/statements': {
    lrs: lrs(401, 'allow', 'allow', 403, 'allow', 'allow'),
    req: (c) => {
      const s = stmt(agentOf(c.w.people.learnerA), { registration: reg(c) });
      return { query: { statementId: s['id'] as string }, json: s };
    },
  },
  'POST /xapi/statements': {
    lrs: lrs(401, 'allow', 'allow', 403, 'allow', 'allow'),
    req: (c) => ({ json: [stmt(agentOf(c.w.people.learnerA), { registration: reg(c) })] }),
  },
  'ALL /xapi/statements': { lrs: LRS_NO_METHOD, req: () => ({ method: 'DELETE' }) },
  // Issue 11: documents of A's learner are 404 to B's credential, as if there were none.
  'GET /xapi/activities/state': { lrs: lrs(401, 'allow', 'allow', 404, 403, 'allow'), req: (c) => ({ query: { ...stateQuery(c), stateId: 'kept' } }) },
  'PUT /xapi/activities/state': { lrs: lrs(401, 'allow', 'allow', 404, 403, 'allow'), req: (c) => ({ query: stateQuery(c), raw: { type: 'application/json', body: '{"p":1}' } }) },
  'POST /xapi/activities/state': { lrs: lrs(401, 'allow', 'allow', 404, 403, 'allow'), req: (c) => ({ query: stateQuery(c), raw: { type: 'application/json', body: '{"q":2}' } }) },
  'DELETE /xapi/activities/state': { lrs: lrs(401, 'allow', 'allow', 404, 403, 'allow'), req: (c) => ({ query: stateQuery(c) }) },
  'GET /xapi/activities/profile': { lrs: lrs(401, 'allow', 'allow', 'allow', 403, 'allow'), req: (c) => ({ query: { activityId: c.w.launch.activityId } }) },
  'PUT /xapi/activities/profile': {
    lrs: lrs(401, 'allow', 'allow', 'allow', 403, 403),
    req: (c) => ({ query: { activityId: c.w.launch.activityId, profileId: randomUUID() }, raw: { type: 'application/json', body: '{}' } }),
  },
  'POST /xapi/activities/profile': {
    lrs: lrs(401, 'allow', 'allow', 'allow', 403, 403),
    req: (c) => ({ query: { activityId: c.w.launch.activityId, profileId: randomUUID() }, raw: { type: 'application/json', body: '{}' } }),
  },
  'DELETE /xapi/activities/profile': { lrs: lrs(401, 'allow', 'allow', 'allow', 403, 403), req: (c) => ({ query: { activityId: c.w.launch.activityId, profileId: 'p' } }) },
  'GET /xapi/agents/profile': { lrs: lrs(401, 'allow', 'allow', 404, 403, 'allow'), req: (c) => ({ query: { agent: learner(c) } }) },
  'PUT /xapi/agents/profile': {
    lrs: lrs(401, 'allow', 'allow', 404, 403, 403),
    req: (c) => ({ query: { agent: learner(c), profileId: randomUUID() }, raw: { type: 'application/json', body: '{}' } }),
  },
  'POST /xapi/agents/profile': {
    lrs: lrs(401, 'allow', 'allow', 404, 403, 403),
    req: (c) => ({ query: { agent: learner(c), profileId: randomUUID() }, raw: { type: 'application/json', body: '{}' } }),
  },
  'DELETE /xapi/agents/profile': { lrs: lrs(401, 'allow', 'allow', 404, 403, 403), req: (c) => ({ query: { agent: learner(c), profileId: 'p' } }) },
  'GET /xapi/activities': { lrs: lrs(401, 'allow', 'allow', 'allow', 403, 403), req: (c) => ({ query: { activityId: c.w.launch.activityId } }) },
  'ALL /xapi/activities': { lrs: LRS_NO_METHOD, req: () => ({ method: 'POST' }) },
  // The Agents resource only echoes the Person of the agent it is given; a launch token may ask about its learner only.
  'GET /xapi/agents': { lrs: lrs(401, 'allow', 'allow', 'allow', 403, 'allow'), req: (c) => ({ query: { agent: learner(c) } }) },
  'ALL /xapi/agents': { lrs: LRS_NO_METHOD, req: () => ({ method: 'POST' }) },
};

/** The method and path of a route name, with its parameters filled from the world. */
function baseRequest(route: string, c: Ctx): Req {
  const [method, pattern] = route.split(' ') as [string, string];
  const path = pattern
    .replace(':orgId', c.w.orgA.id)
    .replace(':courseId', c.course.id)
    .replace(':userId', c.w.people.learnerA.id)
    .replace(':role', 'author')
    .replace(':key', 'no-such-key')
    .replace(':token', 'no-such-token');
  return { method: method === 'ALL' ? 'POST' : method, path };
}

/** A redirect to the sign-in page that asks to come back: the page answer to "sign in first". */
const toSignIn = (status: number, location: string | undefined): boolean => status === 303 && (location ?? '').startsWith('/sign-in?next=');

function isAllowed(status: number, location: string | undefined): boolean {
  if ([401, 403, 404, 405].includes(status) || status >= 500) return false;
  return !toSignIn(status, location);
}

function outcomeOf(status: number, location: string | undefined, expected: Outcome): string {
  if (expected === 'allow') return isAllowed(status, location) ? 'allow' : `${status}`;
  // The home page sends a visitor to /sign-in without a `next`: still a sign-in wall.
  if (expected === 'signin') return status === 303 && (location ?? '').startsWith('/sign-in') ? 'signin' : `${status} ${location ?? ''}`.trim();
  return String(status);
}

let w: World;
let ctx: Ctx;

/** A one-time token of a fresh learner of A, valid an hour. */
async function freshToken(kind: 'password-reset' | 'email-verify'): Promise<string> {
  const token = newLinkToken();
  const p = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
  const now = Date.now();
  await w.store.accounts.insertToken({ tokenHash: hashToken(token), kind, userId: p.id, createdAt: new Date(now).toISOString(), expiresAt: new Date(now + 3600_000).toISOString() });
  return token;
}
let routes: string[];

beforeAll(async () => {
  w = await createWorld();
  routes = listRoutes(w.expressApp);
  const { course, version } = courseFixture(w.orgA.id);
  await w.store.courses.insertCourse(course, version);
  const published = courseFixture(w.orgA.id);
  const playable: Course = { ...published.course, state: 'published' };
  await w.store.courses.insertCourse(playable, published.version);
  const kept = await request(w.app).put('/xapi/activities/state')
    .query({ activityId: w.launch.activityId, agent: JSON.stringify(agentOf(w.people.learnerA)), stateId: 'kept', registration: w.launch.registration })
    .set('Authorization', w.creds.site).set('X-Experience-API-Version', '1.0.3').set('Content-Type', 'application/json').send('{}');
  expect(kept.status).toBe(204);
  const [statementOfA] = await postStatements(w.app, w.creds.orgA, [stmt(agentOf(w.people.learnerA), { registration: randomUUID() })]);
  ctx = {
    w,
    course,
    playable,
    statementOfA: statementOfA!,
    async freshCourse() {
      const fresh = courseFixture(w.orgA.id);
      await w.store.courses.insertCourse(fresh.course, fresh.version);
      return fresh.course.id;
    },
    freshPerson: () => w.person([{ orgId: w.orgA.id, role: 'learner' }]),
    async freshCredential() {
      const header = await w.credential(['statements/write'], w.orgA.id);
      return Buffer.from(header.slice(6), 'base64').toString().split(':')[0]!;
    },
    async freshInvitation() {
      const token = newLinkToken();
      const now = Date.now();
      await w.store.accounts.insertInvitation({
        tokenHash: hashToken(token), orgId: w.orgA.id, email: `${randomUUID()}@example.org`, roles: ['learner'],
        invitedBy: w.people.orgAdminA.id, createdAt: new Date(now).toISOString(), expiresAt: new Date(now + 86400_000).toISOString(),
      });
      return token;
    },
    freshVerifyToken: () => freshToken('email-verify'),
    freshResetToken: () => freshToken('password-reset'),
  };
});
afterAll(async () => {
  await w.close();
});

it('has an entry for every route of the app, and no entry for a route that is gone', () => {
  expect(routes.filter((r) => !(r in MATRIX))).toEqual([]);
  expect(Object.keys(MATRIX).filter((r) => !routes.includes(r))).toEqual([]);
});

/** A browser's pre-session cookie and the token its session-less forms carry (read from /sign-in). */
async function presession(): Promise<{ cookie: string; token: string }> {
  const page = await request(w.app).get('/sign-in');
  const cookie = ([] as string[]).concat(page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('lhq_pre=')) ?? '';
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  return { cookie, token };
}

async function send(r: Req, auth: { cookie?: string; csrf?: string; authorization?: string; xapi?: boolean }, publicForm = false): Promise<request.Response> {
  let t = request(w.app)[r.method.toLowerCase() as 'get'](r.path);
  const pre = publicForm ? await presession() : undefined;
  if (r.query) t = t.query(r.query);
  const cookies = [auth.cookie, pre?.cookie].filter((c): c is string => !!c);
  if (cookies.length > 0) t = t.set('Cookie', cookies.join('; '));
  if (auth.csrf && !['GET', 'HEAD'].includes(r.method)) t = t.set('X-CSRF-Token', auth.csrf);
  if (auth.authorization) t = t.set('Authorization', auth.authorization);
  if (auth.xapi) t = t.set('X-Experience-API-Version', '1.0.3');
  if (r.form) {
    const csrf = pre ? pre.token : auth.csrf;
    return t.type('form').send({ ...r.form, ...(csrf ? { _csrf: csrf } : {}) });
  }
  if (r.raw) return t.set('Content-Type', r.raw.type).send(r.raw.body);
  if (r.json !== undefined) return t.send(r.json as object);
  return t;
}

describe('web routes', () => {
  const users = (): Record<Exclude<WebActor, 'anon'>, User> => ({
    learner: w.people.learnerA, author: w.people.authorA, analyst: w.people.analystA,
    orgAdminA: w.people.orgAdminA, orgAdminB: w.people.orgAdminB, siteAdmin: w.people.siteAdmin,
  });

  it('answers every signed-in role and no sign-in as the matrix says', async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      const entry = MATRIX[route];
      if (!entry?.web) continue;
      for (const actor of WEB) {
        const r = { ...baseRequest(route, ctx), ...(entry.req ? await entry.req(ctx) : {}) };
        const session = actor === 'anon' ? undefined : await w.session(users()[actor]);
        const res = await send(r, session ? { cookie: session.cookie, csrf: session.csrf } : {}, entry.publicForm === true);
        const expected = entry.web[actor];
        const got = outcomeOf(res.status, res.headers['location'] as string | undefined, expected);
        if (got !== String(expected)) mismatches.push(`${route} as ${actor}: expected ${expected}, got ${got}`);
      }
    }
    expect(mismatches).toEqual([]);
    // Some 500 cells, each a request or three: minutes on a loaded machine (and on MongoDB).
  }, 300_000);
});

describe('LRS routes', () => {
  it('answers every kind of credential as the matrix says', async () => {
    const headers: Record<Exclude<LrsActor, 'none'>, string> = {
      site: w.creds.site, orgA: w.creds.orgA, orgB: w.creds.orgB, mine: w.creds.mine, launch: w.launch.header,
    };
    const mismatches: string[] = [];
    for (const route of routes) {
      const entry = MATRIX[route];
      if (!entry?.lrs) continue;
      for (const actor of LRS) {
        const r = { ...baseRequest(route, ctx), ...(entry.req ? await entry.req(ctx) : {}) };
        const res = await send(r, { xapi: true, ...(actor === 'none' ? {} : { authorization: headers[actor] }) });
        const expected = entry.lrs[actor];
        const got = outcomeOf(res.status, undefined, expected);
        if (got !== String(expected)) mismatches.push(`${route} as ${actor}: expected ${expected}, got ${got} ${JSON.stringify(res.body).slice(0, 120)}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 180_000);

  it('reaches no LRS route with a session cookie alone', async () => {
    const s = await w.session(w.people.siteAdmin);
    const res = await request(w.app).get('/xapi/statements').set('Cookie', s.cookie).set('X-Experience-API-Version', '1.0.3');
    expect(res.status).toBe(401);
  });
});
