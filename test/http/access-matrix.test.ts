/**
 * The access matrix (issue 4): every route of the app against every kind of caller, with the
 * expected allow or deny. Routes are read from createApp()'s router stack at test time, so a new
 * route without an entry here fails the first test.
 *
 * Web routes are tried by: no sign-in, a learner, an author, an analyst and an administrator of
 * organization A, the administrator of organization B (the wrong organization), the site
 * administrator, and a manager of a unit of A (issue 15: a learner of A who manages the unit
 * learnerA is in; unless an entry says otherwise, a manager is answered as a learner). /xapi routes by: no credential, a site credential, organization A's and B's
 * credentials, a statements/read/mine credential and a launch token. Every resource in a request
 * belongs to organization A (and its learner). Each cell gets a fresh session and, for requests
 * that consume something (revoke, erase, accept an invitation), a fresh resource.
 *
 * 'allow' means the access checks let the request through: any answer but 401, 403, 404, 405, a
 * redirect to /sign-in, or a server error (a 400 for a body the matrix does not bother to make
 * valid still counts as allowed).
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import request from 'supertest';
import { hashToken, newLinkToken } from '../../src/accounts/tokens';
import type { Course, User } from '../../src/store/ports';
import { agentOf, courseFixture, createWorld, PASSWORD, postStatements, stmt, type World } from './security/fixture';
import { listRoutes } from './security/route-list';
import { fileStoreOf } from '../../src/catalog/self-report-files';
import { competencyCells, type CompetencyCells } from './security/competency-cells';

type Outcome = 'allow' | 'signin' | 401 | 403 | 404 | 405;
const WEB = ['anon', 'learner', 'author', 'analyst', 'orgAdminA', 'orgAdminB', 'siteAdmin', 'managerA'] as const;
const LRS = ['none', 'site', 'orgA', 'orgB', 'mine', 'launch'] as const;
type WebActor = (typeof WEB)[number];
type LrsActor = (typeof LRS)[number];

// Policies of web routes (A is the organization in the URL).
const row = (anon: Outcome, learner: Outcome, author: Outcome, analyst: Outcome, orgAdminA: Outcome, orgAdminB: Outcome, siteAdmin: Outcome, managerA: Outcome = learner): Record<WebActor, Outcome> =>
  ({ anon, learner, author, analyst, orgAdminA, orgAdminB, siteAdmin, managerA });
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
// Issue 15: units and teams. Administrators of A and managers (their units) read; administrators write.
const TEAM_API = row(401, 403, 403, 403, 'allow', 404, 'allow', 'allow');
const TEAM_PAGE = row('signin', 403, 403, 403, 'allow', 404, 'allow', 'allow');
const UNIT_WRITE_API = row(401, 403, 403, 403, 'allow', 404, 'allow', 403);
const UNIT_PAGE = row('signin', 403, 403, 403, 'allow', 404, 'allow', 403);
const ORG_MEMBER_PAGE = row('signin', 'allow', 'allow', 'allow', 'allow', 404, 'allow');
// A person's role profiles: the person (learnerA), A's administrators, and the manager of their unit.
const PERSON_PROFILES_API = row(401, 'allow', 403, 403, 'allow', 404, 'allow', 'allow');
const csvOf = (name: string): string => `role,competency,target_level\n${name},https://example.org/competencies/matrix,2\n`;

/** The path of learnerA's career plan, stored shared with their manager (issue 15). */
function sharedPlanOfLearnerA(kind: 'api' | 'page'): (c: Ctx) => Promise<Partial<Req>> {
  return async (c) => {
    const at = new Date().toISOString();
    await c.w.store.careers.upsertCareerPlan({ orgId: c.w.orgA.id, userId: c.w.people.learnerA.id, targetProfileId: c.profileId, items: [], sharedWithManager: true, createdAt: at, updatedAt: at });
    return { path: `${kind === 'api' ? '/api' : ''}/orgs/${c.w.orgA.id}/people/${c.w.people.learnerA.id}/career-plan` };
  };
}

/** A forwarding target of organization A (issue 13), stored directly. */
async function freshTarget(c: { readonly w: World }): Promise<string> {
  const id = randomUUID();
  await c.w.store.forwarding.insertForwardTarget({
    id, orgId: c.w.orgA.id, kind: 'webhook', name: 'hook', url: 'https://hooks.example.com/learnhq', filter: { verbs: [], activityPrefixes: [] },
    events: ['statement'], secret: 'v1.x.y.z', createdAt: new Date().toISOString(),
  });
  return id;
}
/** A saved report of organization A (issue 16), stored directly. */
async function freshSavedReport(c: { readonly w: World }): Promise<string> {
  const id = randomUUID();
  await c.w.store.reports.putSavedReport({ id, orgId: c.w.orgA.id, name: 'saved', report: 'overview', params: {}, createdBy: 'matrix', createdAt: new Date().toISOString() });
  return id;
}
// Competency writes (issue 14): authors and administrators of the organization.
const COMP_AUTHOR_API = row(401, 403, 'allow', 403, 'allow', 404, 'allow');
const COMP_AUTHOR_PAGE = row('signin', 403, 'allow', 403, 'allow', 404, 'allow');
// Reports: the analysts of the organization in the query.
const REPORTS_API = row(401, 403, 403, 'allow', 403, 404, 'allow');
const REPORTS_PAGE = row('signin', 403, 403, 'allow', 403, 404, 'allow');
// The people report: analysts and administrators of A, and A's manager for their units' people.
const PEOPLE_API = row(401, 403, 403, 'allow', 'allow', 404, 'allow', 'allow');
const PEOPLE_PAGE = row('signin', 403, 403, 'allow', 'allow', 404, 'allow', 'allow');

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
  /** A unit of A that managerA manages and learnerA is a member of (issue 15). */
  readonly unitId: string;
  /** A role profile of A, and a shared one of B (to adopt). */
  readonly profileId: string;
  readonly sharedOfB: string;
  /** A fresh role profile of A. */
  freshProfile(): Promise<string>;
  /** A fresh shared role profile of B. */
  freshSharedOfB(): Promise<string>;
  /** A fresh learner of A recorded in the role profile. */
  freshHolder(): Promise<User>;
  /** A goal for the managed unit, and a fresh one. */
  readonly goalId: string;
  freshGoal(): Promise<string>;
  /** A fresh unit of A, with nobody in it. */
  freshUnit(): Promise<string>;
  /** A fresh learner of A in `kind` of the unit. */
  freshUnitPerson(kind: 'member' | 'manager'): Promise<User>;
  /** Competency resources of A (issue 14). */
  readonly comp: CompetencyCells;
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
  // Issue 13: the statement pipeline's status and rebuild.
  'GET /admin/pipeline': { web: SITE_ADMIN_PAGE },
  'POST /admin/pipeline/:name/rebuild': { web: SITE_ADMIN_PAGE, req: () => ({ path: '/admin/pipeline/progress/rebuild', form: {} }) },
  'GET /api/admin/pipeline': { web: SITE_ADMIN_API },
  'POST /api/admin/pipeline/:name/rebuild': { web: SITE_ADMIN_API, req: () => ({ path: '/api/admin/pipeline/progress/rebuild' }) },
  // Issue 13: forwarding targets and webhooks of an organization.
  'GET /api/orgs/:orgId/forwarding': { web: ORG_ADMIN_API },
  'GET /admin/orgs/:orgId/forwarding': { web: ORG_ADMIN_PAGE },
  'POST /admin/orgs/:orgId/forwarding': { web: ORG_ADMIN_PAGE, req: () => ({ form: { kind: 'webhook', name: 'hook', url: 'https://hooks.example.com/learnhq' } }) },
  'POST /admin/orgs/:orgId/forwarding/:targetId/delete': { web: ORG_ADMIN_PAGE, req: async (c) => ({ path: `/admin/orgs/${c.w.orgA.id}/forwarding/${await freshTarget(c)}/delete`, form: {} }) },
  'POST /admin/orgs/:orgId/forwarding/:targetId/resend': { web: ORG_ADMIN_PAGE, req: async (c) => ({ path: `/admin/orgs/${c.w.orgA.id}/forwarding/${await freshTarget(c)}/resend`, form: {} }) },
  'POST /api/orgs/:orgId/forwarding': { web: ORG_ADMIN_API, req: () => ({ json: { kind: 'webhook', name: 'hook', url: 'https://hooks.example.com/learnhq' } }) },
  'DELETE /api/orgs/:orgId/forwarding/:targetId': { web: ORG_ADMIN_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/forwarding/${await freshTarget(c)}` }) },
  'GET /api/orgs/:orgId/forwarding/:targetId/dead-letters': { web: ORG_ADMIN_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/forwarding/${await freshTarget(c)}/dead-letters` }) },
  'POST /api/orgs/:orgId/forwarding/:targetId/dead-letters/resend': { web: ORG_ADMIN_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/forwarding/${await freshTarget(c)}/dead-letters/resend` }) },
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
  'PUT /api/opportunities/:entryId': { web: row(401, 403, 'allow', 403, 'allow', 404, 'allow'), req: async (c) => ({ path: `/api/opportunities/${await opportunityOfA(c)}`, json: { capacity: 30 } }) },
  'POST /api/opportunities/:entryId/withdrawal': { web: row(401, 403, 'allow', 403, 'allow', 404, 'allow'), req: async (c) => ({ path: `/api/opportunities/${await opportunityOfA(c)}/withdrawal`, json: {} }) },
  'GET /opportunities/:entryId/edit': { web: row('signin', 403, 'allow', 403, 'allow', 404, 'allow'), req: async (c) => ({ path: `/opportunities/${await opportunityOfA(c)}/edit` }) },
  'POST /opportunities/:entryId/edit': { web: row('signin', 403, 'allow', 403, 'allow', 404, 'allow'), req: async (c) => ({ path: `/opportunities/${await opportunityOfA(c)}/edit`, form: { title: 'Renamed' } }) },
  'POST /opportunities/:entryId/withdraw': { web: row('signin', 403, 'allow', 403, 'allow', 404, 'allow'), req: async (c) => ({ path: `/opportunities/${await opportunityOfA(c)}/withdraw`, form: {} }) },
  'GET /opportunities/:entryId': { web: row('signin', 'allow', 'allow', 'allow', 'allow', 404, 'allow'), req: async (c) => ({ path: `/opportunities/${await opportunityOfA(c)}` }) },
  'POST /opportunities/:entryId/register': { web: row('signin', 'allow', 'allow', 'allow', 'allow', 404, 'allow'), req: async (c) => ({ path: `/opportunities/${await opportunityOfA(c)}/register`, form: {} }) },
  'POST /opportunities/:entryId/cancel': { web: row('signin', 404, 404, 404, 404, 404, 404), req: async (c) => ({ path: `/opportunities/${await opportunityOfA(c)}/cancel`, form: {} }) },
  'POST /opportunities/:entryId/attendance': { web: row('signin', 403, 'allow', 403, 'allow', 404, 'allow'), req: async (c) => ({ path: `/opportunities/${await opportunityOfA(c)}/attendance`, form: {} }) },
  'POST /opportunities/:entryId/attendance-csv': { web: row('signin', 403, 'allow', 403, 'allow', 404, 'allow'), req: async (c) => ({ path: `/opportunities/${await opportunityOfA(c)}/attendance-csv`, form: { csv: 'email,attended\n' } }) },
  'GET /api/orgs/:orgId/opportunities': { web: row(401, 403, 'allow', 403, 'allow', 404, 'allow') },
  'GET /orgs/:orgId/opportunities': { web: row('signin', 403, 'allow', 403, 'allow', 404, 'allow') },
  'GET /orgs/:orgId/opportunities/new': { web: row('signin', 403, 'allow', 403, 'allow', 404, 'allow') },
  'POST /orgs/:orgId/opportunities': { web: row('signin', 403, 'allow', 403, 'allow', 404, 'allow'), req: () => ({ form: { kind: 'webinar', title: 'Matrix webinar page' } }) },
  'POST /api/me/self-reports': { web: SIGNED_IN_API, req: () => ({ json: { orgId: 'x', title: 'T', provider: 'P', completedOn: '2026-01-01' } }) },
  'GET /api/orgs/:orgId/self-reports': { web: ORG_ADMIN_API },
  // Org administrators, and the manager of the person's unit (learnerA is in managerA's unit).
  'POST /api/self-reports/:reportId/decision': {
    web: row(401, 403, 403, 403, 'allow', 404, 'allow', 'allow'),
    req: async (c) => {
      const id = randomUUID();
      await c.w.store.learning.insertSelfReport({ id, userId: c.w.people.learnerA.id, orgId: c.w.orgA.id, title: 'Conference', provider: 'P', kind: 'external', completedOn: '2026-01-01', note: '', state: 'pending', createdAt: new Date().toISOString() });
      return { path: `/api/self-reports/${id}/decision`, json: { approve: false } };
    },
  },
  // A self-report file: only learnerA attaches to their report (an empty body passes the checks,
  // then is refused as empty); they, A's administrators and their manager (managerA) download it.
  'POST /api/self-reports/:reportId/attachment': {
    web: row(401, 'allow', 404, 404, 404, 404, 404, 404),
    req: async (c) => {
      const id = randomUUID();
      await c.w.store.learning.insertSelfReport({ id, userId: c.w.people.learnerA.id, orgId: c.w.orgA.id, title: 'Conference', provider: 'P', kind: 'external', completedOn: '2026-01-01', note: '', state: 'pending', createdAt: new Date().toISOString() });
      return { path: `/api/self-reports/${id}/attachment`, raw: { type: 'application/pdf', body: '' } };
    },
  },
  'GET /api/self-reports/:reportId/attachment': {
    web: row(401, 'allow', 404, 404, 'allow', 404, 'allow', 'allow'),
    req: async (c) => {
      const id = randomUUID();
      const files = await fileStoreOf(c.w.services);
      const path = `self-reports/${id}/f/file`;
      await files.put(path, Readable.from([Buffer.from('%PDF-1.4\n%%EOF\n')]), 'application/pdf');
      await c.w.store.learning.insertSelfReport({
        id, userId: c.w.people.learnerA.id, orgId: c.w.orgA.id, title: 'Conference', provider: 'P', kind: 'external', completedOn: '2026-01-01', note: '', state: 'pending', createdAt: new Date().toISOString(),
        attachment: { path, fileName: 'c.pdf', contentType: 'application/pdf', size: 15, attachedAt: new Date().toISOString() },
      });
      return { path: `/api/self-reports/${id}/attachment` };
    },
  },
  'GET /self-reports': { web: SIGNED_IN_PAGE },
  // The approval queue: administrators and managers (orgAdminB sees their own, empty, queue);
  // deciding by form follows the API's decision rule.
  'GET /api/self-reports/approvals': { web: row(401, 403, 403, 403, 'allow', 'allow', 'allow', 'allow') },
  'GET /self-reports/approvals': { web: row('signin', 403, 403, 403, 'allow', 'allow', 'allow', 'allow') },
  'POST /self-reports/:reportId/decision': {
    web: row('signin', 403, 403, 403, 'allow', 404, 'allow', 'allow'),
    req: async (c) => {
      const id = randomUUID();
      await c.w.store.learning.insertSelfReport({ id, userId: c.w.people.learnerA.id, orgId: c.w.orgA.id, title: 'Conference', provider: 'P', kind: 'external', completedOn: '2026-01-01', note: '', state: 'pending', createdAt: new Date().toISOString() });
      return { path: `/self-reports/${id}/decision`, form: { decision: 'reject', reason: 'no certificate' } };
    },
  },
  // Any signed-in person may report (a form naming no organization of theirs is refused, 400).
  'POST /self-reports': { web: row('signin', 'allow', 'allow', 'allow', 'allow', 'allow', 'allow'), req: () => ({ form: { title: 'T' } }) },
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
  // Managers see their units' assignments (none of the matrix's are theirs: a role target).
  'GET /api/orgs/:orgId/assignments': { web: TEAM_API },
  'GET /orgs/:orgId/assignments': { web: TEAM_PAGE },
  'POST /orgs/:orgId/assignments': { web: UNIT_PAGE, req: (c) => ({ form: { entryId: c.playable.id, targetKind: 'role', role: 'learner', dueAt: '2030-01-01' } }) },
  'POST /orgs/:orgId/assignments/:assignmentId/cancel': {
    web: UNIT_PAGE,
    req: async (c) => {
      const id = randomUUID();
      await c.w.store.learning.insertAssignment({ id, orgId: c.w.orgA.id, entryId: c.playable.id, target: { kind: 'role', role: 'learner' }, required: true, createdBy: 'x', createdAt: new Date().toISOString() });
      return { path: `/orgs/${c.w.orgA.id}/assignments/${id}/cancel`, form: {} };
    },
  },
  'GET /organize': { web: SIGNED_IN_PAGE },
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
  // Issue 16, reports: analysts of the organization asked for (404 for one the caller has no role in).
  'GET /reports': { web: REPORTS_PAGE, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /api/reports/saved': { web: REPORTS_API, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'POST /api/reports/saved': { web: REPORTS_API, req: (c) => ({ json: { org: c.w.orgA.id, name: 'Matrix', report: 'overview', params: { from: '2030-01-01' } } }) },
  'GET /api/reports/saved/:id': { web: REPORTS_API, req: async (c) => ({ path: `/api/reports/saved/${await freshSavedReport(c)}`, query: { org: c.w.orgA.id } }) },
  'DELETE /api/reports/saved/:id': { web: REPORTS_API, req: async (c) => ({ path: `/api/reports/saved/${await freshSavedReport(c)}`, query: { org: c.w.orgA.id } }) },
  'GET /api/reports/overview': { web: REPORTS_API, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /api/reports/overview.csv': { web: REPORTS_API, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /api/reports/overview/chart.svg': { web: REPORTS_API, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /reports/statements': { web: REPORTS_PAGE, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /api/reports/statements': { web: REPORTS_API, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /api/reports/statements/export': { web: REPORTS_API, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /reports/courses/:courseId': { web: REPORTS_PAGE, req: (c) => ({ path: `/reports/courses/${c.playable.id}`, query: { org: c.w.orgA.id } }) },
  'GET /api/reports/courses/:courseId': { web: REPORTS_API, req: (c) => ({ path: `/api/reports/courses/${c.playable.id}`, query: { org: c.w.orgA.id } }) },
  'GET /api/reports/courses/:courseId/report.csv': { web: REPORTS_API, req: (c) => ({ path: `/api/reports/courses/${c.playable.id}/report.csv`, query: { org: c.w.orgA.id } }) },
  'GET /api/reports/courses/:courseId/chart.svg': { web: REPORTS_API, req: (c) => ({ path: `/api/reports/courses/${c.playable.id}/chart.svg`, query: { org: c.w.orgA.id } }) },
  'GET /api/reports/people': { web: PEOPLE_API, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /api/reports/people.csv': { web: PEOPLE_API, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /api/reports/people/:userId': { web: PEOPLE_API, req: (c) => ({ path: `/api/reports/people/${c.w.people.learnerA.id}`, query: { org: c.w.orgA.id } }) },
  'GET /api/reports/people/:userId/transcript.csv': { web: PEOPLE_API, req: (c) => ({ path: `/api/reports/people/${c.w.people.learnerA.id}/transcript.csv`, query: { org: c.w.orgA.id } }) },
  'GET /api/reports/people/:userId/transcript.pdf': { web: PEOPLE_API, req: (c) => ({ path: `/api/reports/people/${c.w.people.learnerA.id}/transcript.pdf`, query: { org: c.w.orgA.id } }) },
  'GET /reports/saved': { web: REPORTS_PAGE, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'POST /reports/saved': { web: REPORTS_PAGE, req: (c) => ({ form: { org: c.w.orgA.id, report: 'overview', name: 'Matrix', params: 'from=2030-01-01' } }) },
  'POST /reports/saved/:id/delete': { web: REPORTS_PAGE, req: async (c) => ({ path: `/reports/saved/${await freshSavedReport(c)}/delete`, form: { org: c.w.orgA.id } }) },
  'GET /api/reports/competencies': { web: PEOPLE_API, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /api/reports/competencies.csv': { web: PEOPLE_API, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /api/reports/competencies/chart.svg': { web: PEOPLE_API, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /api/reports/competencies/people.csv': { web: PEOPLE_API, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /api/reports/provider-competencies': { web: REPORTS_API, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /api/reports/provider-competencies.csv': { web: REPORTS_API, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /api/reports/provider-competencies/chart.svg': { web: REPORTS_API, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /reports/provider-competencies': { web: REPORTS_PAGE, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /reports/competencies': { web: PEOPLE_PAGE, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /reports/people': { web: PEOPLE_PAGE, req: (c) => ({ query: { org: c.w.orgA.id } }) },
  'GET /reports/people/:userId': { web: PEOPLE_PAGE, req: (c) => ({ path: `/reports/people/${c.w.people.learnerA.id}`, query: { org: c.w.orgA.id } }) },

  // Issue 15: units, their people and managers, a manager's team.
  'GET /api/orgs/:orgId/units': { web: TEAM_API },
  'POST /api/orgs/:orgId/units': { web: UNIT_WRITE_API, req: () => ({ json: { name: `Unit ${randomUUID()}` } }) },
  'GET /api/orgs/:orgId/units/:unitId': { web: TEAM_API },
  'PATCH /api/orgs/:orgId/units/:unitId': { web: UNIT_WRITE_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/units/${await c.freshUnit()}`, json: { name: `Renamed ${randomUUID()}` } }) },
  'DELETE /api/orgs/:orgId/units/:unitId': { web: UNIT_WRITE_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/units/${await c.freshUnit()}` }) },
  'PUT /api/orgs/:orgId/units/:unitId/members/:userId': { web: UNIT_WRITE_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/units/${c.unitId}/members/${(await c.freshPerson()).id}` }) },
  'DELETE /api/orgs/:orgId/units/:unitId/members/:userId': { web: UNIT_WRITE_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/units/${c.unitId}/members/${(await c.freshUnitPerson('member')).id}` }) },
  'PUT /api/orgs/:orgId/units/:unitId/managers/:userId': { web: UNIT_WRITE_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/units/${await c.freshUnit()}/managers/${(await c.freshPerson()).id}` }) },
  'DELETE /api/orgs/:orgId/units/:unitId/managers/:userId': { web: UNIT_WRITE_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/units/${c.unitId}/managers/${(await c.freshUnitPerson('manager')).id}` }) },
  'GET /api/orgs/:orgId/team': { web: TEAM_API },
  'GET /api/orgs/:orgId/team/:userId': { web: TEAM_API },
  'GET /admin/orgs/:orgId/units': { web: UNIT_PAGE },
  'POST /admin/orgs/:orgId/units': { web: UNIT_PAGE, req: () => ({ form: { name: `Unit ${randomUUID()}` } }) },
  'POST /admin/orgs/:orgId/units/:unitId': { web: UNIT_PAGE, req: async (c) => ({ path: `/admin/orgs/${c.w.orgA.id}/units/${await c.freshUnit()}`, form: { name: `Renamed ${randomUUID()}` } }) },
  'POST /admin/orgs/:orgId/units/:unitId/delete': { web: UNIT_PAGE, req: async (c) => ({ path: `/admin/orgs/${c.w.orgA.id}/units/${await c.freshUnit()}/delete`, form: {} }) },
  'POST /admin/orgs/:orgId/units/:unitId/people': { web: UNIT_PAGE, req: async (c) => ({ form: { userId: (await c.freshPerson()).id, kind: 'member' } }) },
  'POST /admin/orgs/:orgId/units/:unitId/people/remove': { web: UNIT_PAGE, req: async (c) => ({ form: { userId: (await c.freshUnitPerson('member')).id, kind: 'member' } }) },
  'GET /team/:orgId': { web: TEAM_PAGE },
  'GET /teams': { web: SIGNED_IN_PAGE },
  // Issue 15: role profiles (everyone of the organization reads; its administrators write).
  // Issue 15: goals (administrators; managers for their units, the matrix unit among them).
  'GET /api/orgs/:orgId/goals': { web: TEAM_API },
  'POST /api/orgs/:orgId/goals': { web: TEAM_API, req: (c) => ({ json: { title: 'Matrix goal', courseId: c.playable.id, dueDate: '2099-01-31', unitId: c.unitId } }) },
  'GET /api/orgs/:orgId/goals/:goalId': { web: TEAM_API },
  'DELETE /api/orgs/:orgId/goals/:goalId': { web: TEAM_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/goals/${await c.freshGoal()}` }) },
  'GET /api/orgs/:orgId/goals/:goalId/export': { web: TEAM_API },
  'GET /orgs/:orgId/goals': { web: TEAM_PAGE },
  'POST /orgs/:orgId/goals': { web: TEAM_PAGE, req: (c) => ({ form: { title: 'Matrix goal', courseId: c.playable.id, dueDate: '2099-01-31', unitId: c.unitId } }) },
  'GET /orgs/:orgId/goals/:goalId': { web: TEAM_PAGE },
  'POST /orgs/:orgId/goals/:goalId/delete': { web: TEAM_PAGE, req: async (c) => ({ path: `/orgs/${c.w.orgA.id}/goals/${await c.freshGoal()}/delete`, form: {} }) },
  // Issue 15 part 2: career plans (every member, their own), a plan shared with the manager, compare, heat map, provider gaps.
  'GET /api/orgs/:orgId/career-plan': { web: ORG_MEMBER_API },
  'PUT /api/orgs/:orgId/career-plan/target': { web: ORG_MEMBER_API, req: (c) => ({ json: { profileId: c.profileId } }) },
  'POST /api/orgs/:orgId/career-plan/items': { web: ORG_MEMBER_API, req: (c) => ({ json: { entryId: c.playable.id } }) },
  // An item of nobody's plan: not found for everyone signed in.
  'DELETE /api/orgs/:orgId/career-plan/items/:itemId': { web: row(401, 404, 404, 404, 404, 404, 404, 404) },
  'PUT /api/orgs/:orgId/career-plan/share': { web: ORG_MEMBER_API, req: () => ({ json: { shared: true } }) },
  'GET /api/orgs/:orgId/career-plan/compare': { web: ORG_MEMBER_API, req: (c) => ({ path: `/api/orgs/${c.w.orgA.id}/career-plan/compare?a=me&b=${c.profileId}` }) },
  // LearnerA's plan, shared: learnerA and the manager of their unit; nobody else (administrators neither).
  'GET /api/orgs/:orgId/people/:userId/career-plan': { web: row(401, 'allow', 404, 404, 404, 404, 404, 'allow'), req: sharedPlanOfLearnerA('api') },
  'GET /api/orgs/:orgId/heat-map': { web: TEAM_API },
  'GET /api/orgs/:orgId/heat-map.csv': { web: TEAM_API },
  'GET /api/orgs/:orgId/heat-map.png': { web: TEAM_API },
  'GET /api/orgs/:orgId/heat-map/cell': { web: TEAM_API, req: (c) => ({ path: `/api/orgs/${c.w.orgA.id}/heat-map/cell?competencyId=https%3A%2F%2Fexample.org%2Fc` }) },
  // A is a provider too (kind both): its administrators and analysts see member organizations' aggregated gaps.
  'GET /api/orgs/:orgId/member-gaps': { web: row(401, 403, 403, 'allow', 'allow', 404, 'allow', 403) },
  'GET /orgs/:orgId/career-plan': { web: ORG_MEMBER_PAGE },
  'POST /orgs/:orgId/career-plan/target': { web: ORG_MEMBER_PAGE, req: (c) => ({ form: { profileId: c.profileId } }) },
  'POST /orgs/:orgId/career-plan/items': { web: ORG_MEMBER_PAGE, req: (c) => ({ form: { entryId: c.playable.id } }) },
  'POST /orgs/:orgId/career-plan/items/:itemId/delete': { web: row('signin', 404, 404, 404, 404, 404, 404, 404), req: () => ({ form: {} }) },
  'POST /orgs/:orgId/career-plan/share': { web: ORG_MEMBER_PAGE, req: () => ({ form: { shared: 'true' } }) },
  'GET /orgs/:orgId/career-plan/compare': { web: ORG_MEMBER_PAGE },
  'GET /orgs/:orgId/people/:userId/career-plan': { web: row('signin', 'allow', 404, 404, 404, 404, 404, 'allow'), req: sharedPlanOfLearnerA('page') },
  'GET /orgs/:orgId/heat-map': { web: TEAM_PAGE },
  'GET /orgs/:orgId/heat-map/cell': { web: TEAM_PAGE, req: (c) => ({ path: `/orgs/${c.w.orgA.id}/heat-map/cell?competencyId=https%3A%2F%2Fexample.org%2Fc` }) },
  'GET /orgs/:orgId/member-gaps': { web: row('signin', 403, 403, 'allow', 'allow', 404, 'allow', 403) },
  'GET /api/role-profiles/shared': { web: SIGNED_IN_API },
  'GET /api/orgs/:orgId/role-profiles': { web: ORG_MEMBER_API },
  'POST /api/orgs/:orgId/role-profiles': { web: ORG_ADMIN_API, req: () => ({ json: { name: `Role ${randomUUID()}` } }) },
  'GET /api/orgs/:orgId/role-profiles/export': { web: ORG_MEMBER_API },
  'POST /api/orgs/:orgId/role-profiles/import': { web: ORG_ADMIN_API, req: () => ({ json: { csv: csvOf(`Role ${randomUUID()}`) } }) },
  'POST /api/orgs/:orgId/role-profiles/adopt': { web: ORG_ADMIN_API, req: (c) => ({ json: { sourceId: c.sharedOfB, name: `Adopted ${randomUUID()}` } }) },
  'GET /api/orgs/:orgId/role-profiles/:profileId': { web: ORG_MEMBER_API },
  'PUT /api/orgs/:orgId/role-profiles/:profileId': { web: ORG_ADMIN_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/role-profiles/${await c.freshProfile()}`, json: { name: `Role ${randomUUID()}` } }) },
  'DELETE /api/orgs/:orgId/role-profiles/:profileId': { web: ORG_ADMIN_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/role-profiles/${await c.freshProfile()}` }) },
  'GET /api/orgs/:orgId/people/:userId/role-profiles': { web: PERSON_PROFILES_API },
  'PUT /api/orgs/:orgId/people/:userId/role-profiles/:profileId': { web: ORG_ADMIN_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/people/${(await c.freshPerson()).id}/role-profiles/${c.profileId}` }) },
  'DELETE /api/orgs/:orgId/people/:userId/role-profiles/:profileId': { web: ORG_ADMIN_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/people/${(await c.freshHolder()).id}/role-profiles/${c.profileId}` }) },
  'GET /orgs/:orgId/role-profiles': { web: ORG_MEMBER_PAGE },
  'POST /orgs/:orgId/role-profiles': { web: ORG_ADMIN_PAGE, req: () => ({ form: { name: `Role ${randomUUID()}`, competencies: '' } }) },
  'POST /orgs/:orgId/role-profiles/import': { web: ORG_ADMIN_PAGE, req: () => ({ form: { csv: csvOf(`Role ${randomUUID()}`) } }) },
  // Each adoption copies under the source's name: a fresh shared profile of B per cell.
  'POST /orgs/:orgId/role-profiles/adopt': { web: ORG_ADMIN_PAGE, req: async (c) => ({ form: { sourceId: await c.freshSharedOfB() } }) },
  'GET /orgs/:orgId/role-profiles/:profileId': { web: ORG_MEMBER_PAGE },
  'POST /orgs/:orgId/role-profiles/:profileId': { web: ORG_ADMIN_PAGE, req: async (c) => ({ path: `/orgs/${c.w.orgA.id}/role-profiles/${await c.freshProfile()}`, form: { name: `Role ${randomUUID()}`, competencies: '' } }) },
  'POST /orgs/:orgId/role-profiles/:profileId/delete': { web: ORG_ADMIN_PAGE, req: async (c) => ({ path: `/orgs/${c.w.orgA.id}/role-profiles/${await c.freshProfile()}/delete`, form: {} }) },
  'POST /orgs/:orgId/role-profiles/:profileId/holders': { web: ORG_ADMIN_PAGE, req: async (c) => ({ form: { userId: (await c.freshPerson()).id } }) },
  'POST /orgs/:orgId/role-profiles/:profileId/holders/remove': { web: ORG_ADMIN_PAGE, req: async (c) => ({ form: { userId: (await c.freshHolder()).id } }) },
  'GET /team/:orgId/people/:userId': { web: TEAM_PAGE },

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

  // Competencies (issue 14): frameworks are publications every signed-in person reads; authors and
  // administrators of the owning organization import and align; administrators confirm and revoke.
  'GET /api/competency/frameworks': { web: SIGNED_IN_API },
  'POST /api/orgs/:orgId/competency/frameworks/csv': { web: COMP_AUTHOR_API, req: () => ({ json: { title: `Sheet ${randomUUID()}`, csv: 'parent,code,full_statement\n,A,Does a\n' } }) },
  'POST /api/orgs/:orgId/competency/frameworks': { web: COMP_AUTHOR_API, req: (c) => ({ json: c.comp.casePackage() }) },
  'GET /api/competency/frameworks/:id': { web: SIGNED_IN_API, req: (c) => ({ path: `/api/competency/frameworks/${c.comp.frameworkId}` }) },
  'GET /api/competency/frameworks/:id/case': { web: SIGNED_IN_API, req: (c) => ({ path: `/api/competency/frameworks/${c.comp.frameworkId}/case` }) },
  'GET /api/competency/frameworks/:id/items/:identifier': { web: SIGNED_IN_API, req: (c) => ({ path: `/api/competency/frameworks/${c.comp.frameworkId}/items/${c.comp.itemId}` }) },
  'GET /api/orgs/:orgId/competency/alignments': { web: ORG_MEMBER_API },
  'POST /api/orgs/:orgId/competency/alignments': {
    web: COMP_AUTHOR_API,
    req: (c) => ({ json: { frameworkId: c.comp.frameworkId, itemIdentifier: c.comp.itemId, target: { kind: 'activity', activityId: `https://tool.example.org/${randomUUID()}` }, level: 1, rule: { kind: 'completed' } } }),
  },
  'DELETE /api/competency/alignments/:id': { web: COMP_AUTHOR_API, req: async (c) => ({ path: `/api/competency/alignments/${await c.comp.freshAlignment()}` }) },
  'GET /api/me/competencies': { web: SIGNED_IN_API },
  'GET /api/me/competencies.csv': { web: SIGNED_IN_API },
  // A self-assessment is in one of your own organizations: not a member of A, not found.
  'PUT /api/me/competencies/self': { web: row(401, 'allow', 'allow', 'allow', 'allow', 404, 404), req: (c) => ({ json: { orgId: c.w.orgA.id, frameworkId: c.comp.frameworkId, itemIdentifier: c.comp.itemId, level: 1 } }) },
  // Managers list their people's self-assessments (issue 15), and confirm them: a fresh person outside their units is not found.
  'GET /api/orgs/:orgId/competency/self-assessments': { web: row(401, 403, 403, 403, 'allow', 404, 'allow', 'allow') },
  'POST /api/orgs/:orgId/competency/confirmations': {
    web: row(401, 403, 403, 403, 'allow', 404, 'allow', 404),
    req: async (c) => ({ json: { userId: await c.comp.freshSelfAssessed(), frameworkId: c.comp.frameworkId, itemIdentifier: c.comp.itemId } }),
  },
  'POST /api/orgs/:orgId/badges': { web: COMP_AUTHOR_API, req: (c) => ({ json: { name: 'B', description: 'd', criteria: 'c', frameworkId: c.comp.frameworkId, itemIdentifier: c.comp.itemId, level: 1 } }) },
  'GET /api/orgs/:orgId/badges': { web: ORG_MEMBER_API },
  'GET /api/orgs/:orgId/ob/credentials': { web: ORG_ADMIN_API },
  'POST /api/orgs/:orgId/ob/credentials/:id/revoke': { web: ORG_ADMIN_API, req: async (c) => ({ path: `/api/orgs/${c.w.orgA.id}/ob/credentials/${await c.comp.freshCredentialUuid()}/revoke`, json: { reason: 'matrix' } }) },
  'POST /api/orgs/:orgId/ob/keys/rotate': { web: ORG_ADMIN_API },
  'GET /api/me/badges': { web: SIGNED_IN_API },
  // Learner A's credential: only learner A may download it.
  'GET /api/me/badges/:file': { web: row(401, 'allow', 404, 404, 404, 404, 404, 404), req: (c) => ({ path: `/api/me/badges/${c.comp.credentialUuid}.jwt` }) },
  'POST /api/ob/verify': { web: PUBLIC, req: () => ({ json: { jwt: 'a.b.c' } }) },
  'GET /ob/issuers/:orgId': { web: PUBLIC },
  'GET /ob/issuers/:orgId/jwks': { web: PUBLIC },
  'GET /ob/issuers/:orgId/keys/:kid': { web: PUBLIC, req: (c) => ({ path: `/ob/issuers/${c.w.orgA.id}/keys/${c.comp.kid}` }) },
  'GET /ob/achievements/:id': { web: PUBLIC, req: (c) => ({ path: `/ob/achievements/${c.comp.badgeId}` }) },
  'GET /ob/achievements/:id/image': { web: PUBLIC, req: (c) => ({ path: `/ob/achievements/${c.comp.badgeId}/image` }) },
  'GET /ob/credentials/:id/status': { web: PUBLIC, req: (c) => ({ path: `/ob/credentials/${c.comp.credentialUuid}/status` }) },
  'GET /competencies': { web: SIGNED_IN_PAGE },
  'POST /competencies/import': { web: COMP_AUTHOR_PAGE, req: (c) => ({ form: { orgId: c.w.orgA.id, format: 'csv', title: `Sheet ${randomUUID()}`, text: 'parent,code,full_statement\n,A,Does a\n' } }) },
  'GET /competencies/:fid': { web: SIGNED_IN_PAGE, req: (c) => ({ path: `/competencies/${c.comp.frameworkId}` }) },
  'GET /competencies/:fid/items/:identifier': { web: SIGNED_IN_PAGE, req: (c) => ({ path: `/competencies/${c.comp.frameworkId}/items/${c.comp.itemId}` }) },
  'POST /competencies/:fid/items/:identifier/self': {
    web: row('signin', 'allow', 'allow', 'allow', 'allow', 404, 404),
    req: (c) => ({ path: `/competencies/${c.comp.frameworkId}/items/${c.comp.itemId}/self`, form: { orgId: c.w.orgA.id, level: '1' } }),
  },
  'POST /competencies/:fid/items/:identifier/align': {
    web: COMP_AUTHOR_PAGE,
    req: (c) => ({ path: `/competencies/${c.comp.frameworkId}/items/${c.comp.itemId}/align`, form: { orgId: c.w.orgA.id, courseId: '', activityId: `https://tool.example.org/${randomUUID()}`, level: '1', rule: 'completed' } }),
  },
  'GET /me/competencies': { web: SIGNED_IN_PAGE },
  'GET /me/badges': { web: SIGNED_IN_PAGE },
  'GET /ob/verify': { web: PUBLIC },
  'POST /ob/verify': { web: PUBLIC, req: () => ({ form: { jwt: 'a.b.c' } }) },
  'GET /me/competencies/statements/:id': { web: row('signin', 404, 404, 404, 404, 404, 404), req: (c) => ({ path: `/me/competencies/statements/${c.statementOfA}` }) },
  // A manager's page lists their people's self-assessments only; a fresh person outside their units is not found.
  'GET /admin/competency/:orgId': { web: row('signin', 403, 403, 403, 'allow', 404, 'allow', 'allow') },
  // The badge page follows the badge API's rule (authors and administrators of A); the matrix sends no form, so an allowed POST is a 400.
  'GET /admin/competency/:orgId/badges': { web: COMP_AUTHOR_PAGE },
  'POST /admin/competency/:orgId/badges': { web: COMP_AUTHOR_PAGE },
  'POST /admin/competency/:orgId/confirm': {
    web: row('signin', 403, 403, 403, 'allow', 404, 'allow', 404),
    req: async (c) => ({ form: { userId: await c.comp.freshSelfAssessed(), frameworkId: c.comp.frameworkId, itemIdentifier: c.comp.itemId } }),
  },

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
    .replace(':unitId', c.unitId)
    .replace(':profileId', c.profileId)
    .replace(':goalId', c.goalId)
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
let managerA: User;

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
  // Issue 15: managerA manages a unit of A with learnerA in it.
  managerA = await w.person([{ orgId: w.orgA.id, role: 'learner' }, { orgId: w.orgA.id, role: 'manager' }]);
  const unitId = randomUUID();
  const at = new Date().toISOString();
  await w.store.careers.insertUnit({ id: unitId, orgId: w.orgA.id, name: 'Matrix unit', createdAt: at });
  await w.store.careers.insertUnitPerson({ orgId: w.orgA.id, unitId, userId: managerA.id, kind: 'manager', createdAt: at });
  await w.store.careers.insertUnitPerson({ orgId: w.orgA.id, unitId, userId: w.people.learnerA.id, kind: 'member', createdAt: at });
  const newProfile = async (orgId: string, shared: boolean): Promise<string> => {
    const id = randomUUID();
    await w.store.careers.insertRoleProfile({ id, orgId, name: `Role ${id}`, description: '', competencies: [{ competencyId: 'https://example.org/c/x', targetLevel: 2 }], shared, createdAt: at, updatedAt: at });
    return id;
  };
  const profileId = await newProfile(w.orgA.id, false);
  const newGoal = async (): Promise<string> => {
    const id = randomUUID();
    await w.store.careers.insertGoal({ id, orgId: w.orgA.id, unitId, title: 'Matrix goal', kind: 'course-completion', courseId: playable.id, dueDate: '2099-01-31', targetPercent: 100, createdBy: w.people.orgAdminA.id, createdAt: at });
    return id;
  };
  const goalId = await newGoal();
  const sharedOfB = await newProfile(w.orgB.id, true);
  const [statementOfA] = await postStatements(w.app, w.creds.orgA, [stmt(agentOf(w.people.learnerA), { registration: randomUUID() })]);
  ctx = {
    w,
    course,
    playable,
    statementOfA: statementOfA!,
    unitId,
    profileId,
    sharedOfB,
    goalId,
    freshGoal: newGoal,
    freshProfile: () => newProfile(w.orgA.id, false),
    freshSharedOfB: () => newProfile(w.orgB.id, true),
    async freshHolder() {
      const p = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
      await w.store.careers.insertPersonRoleProfile({ orgId: w.orgA.id, userId: p.id, profileId, since: new Date().toISOString() });
      return p;
    },
    async freshUnit() {
      const id = randomUUID();
      await w.store.careers.insertUnit({ id, orgId: w.orgA.id, name: `Unit ${id}`, createdAt: new Date().toISOString() });
      return id;
    },
    async freshUnitPerson(kind) {
      const p = await w.person([{ orgId: w.orgA.id, role: 'learner' }, ...(kind === 'manager' ? [{ orgId: w.orgA.id, role: 'manager' as const }] : [])]);
      await w.store.careers.insertUnitPerson({ orgId: w.orgA.id, unitId, userId: p.id, kind, createdAt: new Date().toISOString() });
      return p;
    },
    comp: await competencyCells(w),
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
    orgAdminA: w.people.orgAdminA, orgAdminB: w.people.orgAdminB, siteAdmin: w.people.siteAdmin, managerA,
  });

  // One test per actor: some 60 routes each, a request or three per cell — each gets its own
  // timeout, so a loaded machine (or MongoDB) stretches no single test past minutes.
  it.each(WEB.map((a) => [a]))('answers %s as the matrix says on every route', async (actor) => {
    const mismatches: string[] = [];
    for (const route of routes) {
      const entry = MATRIX[route];
      if (!entry?.web) continue;
      const r = { ...baseRequest(route, ctx), ...(entry.req ? await entry.req(ctx) : {}) };
      const session = actor === 'anon' ? undefined : await w.session(users()[actor]);
      const res = await send(r, session ? { cookie: session.cookie, csrf: session.csrf } : {}, entry.publicForm === true);
      const expected = entry.web[actor];
      const got = outcomeOf(res.status, res.headers['location'] as string | undefined, expected);
      if (got !== String(expected)) mismatches.push(`${route} as ${actor}: expected ${expected}, got ${got}`);
    }
    expect(mismatches).toEqual([]);
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
