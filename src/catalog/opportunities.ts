/**
 * Learning beyond packages (issue 18, ADR 0019): webinars, workshops, conference sessions,
 * external courses and reading/video links published by an organization's authors as catalog
 * entries; registration; attendance recorded by organizers (a checklist or a CSV with a row-level
 * report); self-reported learning approved by the person's organization administrator. Each step
 * writes an xAPI statement to the LRS (registered, attended, completed; self-reported ones carry
 * a context extension saying so).
 */
import { randomUUID } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { recordAudit } from '../accounts/audit';
import { xapiActor } from '../accounts/identity';
import { hasRole, type UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import type { AttendanceState, CatalogEntry, CatalogKind, OpportunityRegistration, SelfReport, User } from '../store/ports';
import type { AuthContext } from '../xapi/auth/auth-context';
import { storeStatements } from '../xapi/statements/write-service';
import { assignerChecks } from './extension-points';
import { viewerOf, visibleTo } from './visibility';

export const OPPORTUNITY_KINDS: readonly CatalogKind[] = ['webinar', 'workshop', 'conference', 'external', 'link'];
const VERB = {
  registered: 'http://adlnet.gov/expapi/verbs/registered',
  attended: 'http://adlnet.gov/expapi/verbs/attended',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
} as const;
/** Context extension marking learning the person reported themselves. */
export const SELF_REPORTED_EXT = 'https://learnhq.dev/xapi/extensions/self-reported';
const ACTIVITY_TYPE: Record<string, string> = {
  webinar: 'http://id.tincanapi.com/activitytype/webinar',
  workshop: 'http://id.tincanapi.com/activitytype/workshop',
  conference: 'http://id.tincanapi.com/activitytype/conference-session',
  external: 'http://adlnet.gov/expapi/activities/course',
  link: 'http://adlnet.gov/expapi/activities/media',
};

function lmsAuth(s: AppServices, orgId: string): AuthContext {
  return {
    credentialKey: 'learnhq:catalog',
    name: 'LearnHQ catalog',
    scopes: new Set(['statements/write']),
    authority: { objectType: 'Agent', name: 'LearnHQ catalog', account: { homePage: s.config.publicUrl, name: 'learnhq-catalog' } },
    orgId,
    lmsWriter: true,
  };
}

function activityOf(s: AppServices, id: string, title: string, kind: string): Record<string, unknown> {
  return {
    objectType: 'Activity',
    id: `${s.config.publicUrl.replace(/\/$/, '')}/opportunities/${encodeURIComponent(id)}`,
    definition: { name: { und: title }, type: ACTIVITY_TYPE[kind] ?? ACTIVITY_TYPE['external'] },
  };
}

/** Writes statements about a person to the LRS, owned by the organization. */
async function record(s: AppServices, orgId: string, statements: Record<string, unknown>[]): Promise<void> {
  await storeStatements(s, { body: { json: statements as never, parts: new Map(), multipart: false }, version: '2.0.0', auth: lmsAuth(s, orgId) });
}

function statement(s: AppServices, person: Pick<User, 'id' | 'name'>, verb: keyof typeof VERB, object: Record<string, unknown>, at: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: randomUUID(), actor: xapiActor(person, s.config), verb: { id: VERB[verb], display: { en: verb } }, object, timestamp: at, ...extra };
}

export const str = (b: Record<string, unknown>, name: string, max: number, required = false): string | undefined => {
  const v = b[name];
  if (v === undefined || v === null || v === '') {
    if (required) throw badRequest(`${name}: required`);
    return undefined;
  }
  if (typeof v !== 'string' || v.length > max) throw badRequest(`${name}: text of at most ${max} characters`);
  return v.trim();
};
export const num = (b: Record<string, unknown>, name: string, max: number): number | undefined => {
  const v = b[name];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > max) throw badRequest(`${name}: a number from 0 to ${max}`);
  return n;
};
export const date = (b: Record<string, unknown>, name: string): string | undefined => {
  const v = str(b, name, 40);
  if (v === undefined) return undefined;
  if (!/^\d{4}-\d\d-\d\d/.test(v) || Number.isNaN(Date.parse(v))) throw badRequest(`${name}: an ISO 8601 date-time`);
  return new Date(v).toISOString();
};
export const httpUrl = (b: Record<string, unknown>, name: string): string | undefined => {
  const v = str(b, name, 2000);
  if (v === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw badRequest(`${name}: an http(s) URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw badRequest(`${name}: an http(s) URL`);
  return u.toString();
};

/** Publishes an opportunity of `orgId` (authors and administrators of it). */
export async function createOpportunity(s: AppServices, user: UserContext, orgId: string, body: unknown): Promise<CatalogEntry> {
  const member = user.isSiteAdmin || (user.roles.get(orgId)?.size ?? 0) > 0;
  const org = member ? await s.store.accounts.findOrganization(orgId) : undefined;
  if (!org) throw notFound(`no organization ${orgId}`);
  if (!hasRole(user, orgId, 'author', 'orgAdmin')) throw forbidden(`this needs the role author in organization ${orgId}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body must be an object');
  const b = body as Record<string, unknown>;
  const kind = b['kind'];
  if (typeof kind !== 'string' || !(OPPORTUNITY_KINDS as readonly string[]).includes(kind)) throw badRequest(`kind: one of ${OPPORTUNITY_KINDS.join(', ')}`);
  const visibility = b['visibility'] ?? 'org';
  if (visibility !== 'org' && visibility !== 'all') throw badRequest('visibility: org or all (select organizations afterwards with PUT /api/catalog/entries/:id/visibility)');
  const at = s.now().toISOString();
  const startsAt = date(b, 'startsAt');
  const endsAt = date(b, 'endsAt');
  if (startsAt && endsAt && endsAt < startsAt) throw badRequest('endsAt: before startsAt');
  const capacity = num(b, 'capacity', 100000);
  const e: CatalogEntry = {
    id: randomUUID(), kind: kind as CatalogKind, orgId, provider: str(b, 'provider', 200) ?? org.name,
    title: str(b, 'title', 200, true)!, description: str(b, 'description', 10000) ?? '', keywords: [], competencies: [],
    language: str(b, 'language', 35) ?? 'en', format: str(b, 'format', 40) ?? (str(b, 'location', 500) ? 'in person' : 'online'),
    ...(num(b, 'durationMinutes', 100000) !== undefined ? { durationMinutes: num(b, 'durationMinutes', 100000)! } : {}),
    ...(num(b, 'ceCredits', 1000) !== undefined ? { ceCredits: num(b, 'ceCredits', 1000)! } : {}),
    ...(startsAt ? { startsAt } : {}), ...(endsAt ? { endsAt } : {}),
    ...(str(b, 'location', 500) ? { location: str(b, 'location', 500)! } : {}),
    ...(httpUrl(b, 'joinUrl') ? { joinUrl: httpUrl(b, 'joinUrl')! } : {}),
    ...(httpUrl(b, 'url') ? { url: httpUrl(b, 'url')! } : {}),
    ...(capacity !== undefined ? { capacity: Math.floor(capacity) } : {}),
    state: 'published', visibility, visibleOrgIds: [], createdAt: at, updatedAt: at,
  };
  await s.store.catalog.upsertCatalogEntry(e);
  await recordAudit(s, user, { action: 'opportunity.create', orgId, target: e.id, details: { kind: e.kind, title: e.title } });
  return e;
}

/** An opportunity the person may see; 404 otherwise (and for courses: they have their own page). */
export async function visibleOpportunity(s: AppServices, user: UserContext, id: string): Promise<CatalogEntry> {
  const e = await s.store.catalog.findCatalogEntry(id);
  const member = e !== undefined && (user.isSiteAdmin || (user.roles.get(e.orgId)?.size ?? 0) > 0);
  if (!e || e.kind === 'course' || !(member || visibleTo(viewerOf(user), e))) throw notFound(`no opportunity ${id}`);
  return e;
}

/** Registers the person (idempotent); 409 when full. Writes `registered`. */
export async function registerFor(s: AppServices, user: UserContext, id: string): Promise<OpportunityRegistration> {
  const e = await visibleOpportunity(s, user, id);
  if (e.state !== 'published') throw conflict(`${e.title} was withdrawn`);
  const regs = await s.store.learning.findOpportunityRegistrations({ entryId: id });
  const mine = regs.find((r) => r.userId === user.userId);
  if (mine && mine.state !== 'cancelled') return mine;
  const taken = regs.filter((r) => r.state === 'registered' || r.state === 'attended').length;
  if (e.capacity !== undefined && taken >= e.capacity) throw conflict(`${e.title} is full (${e.capacity} places)`);
  const at = s.now().toISOString();
  const r: OpportunityRegistration = { entryId: id, userId: user.userId, state: 'registered', registeredAt: at, updatedAt: at };
  await s.store.learning.upsertOpportunityRegistration(r);
  await record(s, e.orgId, [statement(s, { id: user.userId, name: user.name }, 'registered', activityOf(s, e.id, e.title, e.kind), at)]);
  return r;
}

export async function cancelRegistration(s: AppServices, user: UserContext, id: string): Promise<void> {
  await visibleOpportunity(s, user, id);
  const mine = (await s.store.learning.findOpportunityRegistrations({ entryId: id, userId: user.userId }))[0];
  if (!mine || mine.state !== 'registered') throw notFound('you are not registered');
  await s.store.learning.upsertOpportunityRegistration({ ...mine, state: 'cancelled', updatedAt: s.now().toISOString() });
}

/** 404 unless the person may see the entry; 403 unless they organize it (author or administrator of its organization). */
export async function organizedBy(s: AppServices, user: UserContext, id: string): Promise<CatalogEntry> {
  const e = await visibleOpportunity(s, user, id);
  if (!hasRole(user, e.orgId, 'author', 'orgAdmin')) throw forbidden(`this needs the role author in organization ${e.orgId}`);
  return e;
}

export interface RosterLine { readonly userId: string; readonly name: string; readonly email: string; readonly state: AttendanceState }

/** Who registered (organizers). */
export async function roster(s: AppServices, user: UserContext, id: string): Promise<RosterLine[]> {
  await organizedBy(s, user, id);
  const out: RosterLine[] = [];
  for (const r of await s.store.learning.findOpportunityRegistrations({ entryId: id })) {
    const u = await s.store.accounts.findUser(r.userId);
    if (u) out.push({ userId: u.id, name: u.name, email: u.email, state: r.state });
  }
  return out;
}

export interface AttendanceRowReport { readonly row: number; readonly who: string; readonly outcome: 'attended' | 'absent' | 'error'; readonly message?: string }

/**
 * Records attendance. `marks` name people by user id or email; each must be registered. Attended
 * people get `attended` and `completed` statements (with the duration when known); absent ones
 * are marked. Returns a report per row; rows in error change nothing.
 */
export async function recordAttendance(s: AppServices, user: UserContext, id: string, marks: readonly { who: string; attended: boolean }[]): Promise<AttendanceRowReport[]> {
  const e = await organizedBy(s, user, id);
  const regs = await s.store.learning.findOpportunityRegistrations({ entryId: id });
  const at = s.now().toISOString();
  const report: AttendanceRowReport[] = [];
  const statements: Record<string, unknown>[] = [];
  for (const [i, m] of marks.entries()) {
    const row = i + 1;
    const person = m.who.includes('@') ? await s.store.accounts.findUserByEmail(m.who.trim().toLowerCase()) : await s.store.accounts.findUser(m.who);
    const reg = person ? regs.find((r) => r.userId === person.id && r.state !== 'cancelled') : undefined;
    if (!person || !reg) {
      report.push({ row, who: m.who, outcome: 'error', message: 'not registered for this opportunity' });
      continue;
    }
    const state: AttendanceState = m.attended ? 'attended' : 'absent';
    await s.store.learning.upsertOpportunityRegistration({ ...reg, state, updatedAt: at });
    if (m.attended && reg.state !== 'attended') {
      const object = activityOf(s, e.id, e.title, e.kind);
      statements.push(statement(s, person, 'attended', object, at));
      statements.push(statement(s, person, 'completed', object, at, {
        result: { completion: true, ...(e.durationMinutes !== undefined ? { duration: `PT${e.durationMinutes}M` } : {}) },
      }));
    }
    report.push({ row, who: m.who, outcome: state });
  }
  if (statements.length > 0) await record(s, e.orgId, statements);
  await recordAudit(s, user, { action: 'opportunity.attendance', orgId: e.orgId, target: id, details: { rows: report.length, errors: report.filter((r) => r.outcome === 'error').length } });
  return report;
}

/** Parses an attendance CSV: a header with `email` (or `user`) and `attended` (yes/no, true/false, 1/0). */
export function parseAttendanceCsv(text: string): { who: string; attended: boolean }[] {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (err) {
    throw badRequest(`the CSV cannot be read: ${(err as Error).message}`);
  }
  if (rows.length > 5000) throw badRequest('at most 5,000 rows');
  return rows.map((r) => ({
    who: r['email'] ?? r['user'] ?? '',
    attended: /^(y|yes|true|1|x|attended)$/i.test(r['attended'] ?? ''),
  }));
}

/** Parses a self-report: `{ orgId, title, provider, kind?, completedOn, hours?, ceCredits?, note }`. */
export function parseSelfReport(body: unknown): Omit<SelfReport, 'id' | 'userId' | 'state' | 'createdAt'> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body must be an object');
  const b = body as Record<string, unknown>;
  const kind = (b['kind'] ?? 'external') as string;
  if (!(OPPORTUNITY_KINDS as readonly string[]).includes(kind)) throw badRequest(`kind: one of ${OPPORTUNITY_KINDS.join(', ')}`);
  const completedOn = str(b, 'completedOn', 10, true)!;
  if (!/^\d{4}-\d\d-\d\d$/.test(completedOn) || Number.isNaN(Date.parse(completedOn))) throw badRequest('completedOn: a date YYYY-MM-DD');
  const hours = num(b, 'hours', 1000);
  const ceCredits = num(b, 'ceCredits', 1000);
  return {
    orgId: str(b, 'orgId', 200, true)!, title: str(b, 'title', 200, true)!, provider: str(b, 'provider', 200, true)!, kind: kind as CatalogKind,
    completedOn, ...(hours !== undefined ? { hours } : {}), ...(ceCredits !== undefined ? { ceCredits } : {}), note: str(b, 'note', 4000) ?? '',
  };
}

/** A person reports external learning in one of their organizations; it waits for approval. */
export async function submitSelfReport(s: AppServices, user: UserContext, input: ReturnType<typeof parseSelfReport>): Promise<SelfReport> {
  if ((user.roles.get(input.orgId)?.size ?? 0) === 0) throw badRequest(`orgId: you are not a member of organization ${input.orgId}`);
  const r: SelfReport = { ...input, id: randomUUID(), userId: user.userId, state: 'pending', createdAt: s.now().toISOString() };
  await s.store.learning.insertSelfReport(r);
  return r;
}

/** Whether the person may decide the report: an administrator of its organization, or the reporter's manager. */
export async function mayApprove(s: AppServices, user: UserContext, r: SelfReport): Promise<boolean> {
  if (hasRole(user, r.orgId, 'orgAdmin')) return true;
  for (const check of assignerChecks()) if (await check(s, user, r.orgId, { kind: 'person', userId: r.userId })) return true;
  return false;
}

/** Self-reports waiting in organizations the person administers. */
export async function pendingSelfReports(s: AppServices, user: UserContext, orgId: string): Promise<SelfReport[]> {
  const member = user.isSiteAdmin || (user.roles.get(orgId)?.size ?? 0) > 0;
  if (!member) throw notFound(`no organization ${orgId}`);
  if (!hasRole(user, orgId, 'orgAdmin')) throw forbidden(`this needs the role orgAdmin in organization ${orgId}`);
  return (await s.store.learning.findSelfReports({ orgIds: [orgId] })).filter((r) => r.state === 'pending');
}

/** Whether the person decides self-reports anywhere: site administrators, administrators and managers. */
export function decidesSelfReports(user: UserContext): boolean {
  return user.isSiteAdmin || [...user.roles.values()].some((r) => r.has('orgAdmin') || r.has('manager'));
}

/**
 * Pending self-reports the person may decide, over every organization where they administer or
 * manage: each report passes mayApprove (administrators: their organization; managers: the people
 * of their units and below), never their own. Oldest first, so the queue is worked in order.
 */
export async function approvableSelfReports(s: AppServices, user: UserContext): Promise<SelfReport[]> {
  const orgIds = [...user.roles.entries()].filter(([, r]) => r.has('orgAdmin') || r.has('manager')).map(([id]) => id);
  if (orgIds.length === 0) return [];
  const out: SelfReport[] = [];
  for (const r of await s.store.learning.findSelfReports({ orgIds })) {
    if (r.state === 'pending' && r.userId !== user.userId && (await mayApprove(s, user, r))) out.push(r);
  }
  return out.reverse();
}

/** Approves or rejects once; approval writes a `completed` statement marked self-reported. */
export async function decideSelfReport(s: AppServices, user: UserContext, id: string, approve: boolean, reason?: string): Promise<SelfReport> {
  const r = await s.store.learning.findSelfReport(id);
  const member = r !== undefined && (user.isSiteAdmin || (user.roles.get(r.orgId)?.size ?? 0) > 0);
  if (!r || !member) throw notFound(`no self-report ${id}`);
  if (r.userId === user.userId && !user.isSiteAdmin) throw forbidden('you cannot approve your own report');
  if (!(await mayApprove(s, user, r))) throw forbidden(`this needs the role orgAdmin in organization ${r.orgId}`);
  const at = s.now().toISOString();
  const why = reason?.trim();
  const next: SelfReport = { ...r, state: approve ? 'approved' : 'rejected', decidedBy: user.userId, decidedAt: at, ...(!approve && why ? { decisionReason: why.slice(0, 2000) } : {}) };
  if (!(await s.store.learning.decideSelfReport(next))) throw conflict(`self-report ${id} was already ${r.state}`);
  if (approve) {
    const person = await s.store.accounts.findUser(r.userId);
    if (person) {
      await record(s, r.orgId, [statement(s, person, 'completed', activityOf(s, `self-report/${r.id}`, r.title, r.kind), `${r.completedOn}T12:00:00.000Z`, {
        result: { completion: true, ...(r.hours !== undefined ? { duration: `PT${Math.round(r.hours * 60)}M` } : {}) },
        context: { extensions: { [SELF_REPORTED_EXT]: { provider: r.provider, approvedBy: user.userId, ...(r.ceCredits !== undefined ? { ceCredits: r.ceCredits } : {}) } } },
      })]);
    }
  }
  await recordAudit(s, user, { action: approve ? 'self-report.approve' : 'self-report.reject', orgId: r.orgId, target: id });
  return next;
}
