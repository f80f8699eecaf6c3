/**
 * Statement forwarding targets and webhooks of an organization (issue 13): organization
 * administrators (and the site administrator) add, list and delete them, see dead letters and
 * resend them. Secrets are sealed at rest and never returned: a target LRS's password is only
 * ever sent by the caller, and a webhook's signing key is shown once, in the answer that creates it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { recordAudit } from '../accounts/audit';
import type { UserContext } from '../accounts/user-context';
import type { AppServices } from '../deps';
import { AppError, badRequest, notFound } from '../errors';
import type { DeadLetter, ForwardTarget, WebhookEvent } from '../store/ports';
import { sealSecret } from './secrets';
import { checkTargetUrl } from './ssrf';
import { deliver, forwardName } from './subscriber';

const EVENTS: readonly WebhookEvent[] = ['statement', 'course.completed', 'course.passed'];
const MAX_LIST = 50;

/** A target as its organization's administrators see it (never its secret). */
export interface TargetView {
  readonly id: string;
  readonly orgId: string;
  readonly kind: 'lrs' | 'webhook';
  readonly name: string;
  readonly url: string;
  readonly filter: ForwardTarget['filter'];
  readonly events: readonly WebhookEvent[];
  readonly createdAt: string;
  /** LRS targets: the Basic user name (the password is never shown again). */
  readonly username?: string;
  readonly deadLetters: number;
  readonly cursor: number;
  readonly lastError?: string;
  readonly failures: number;
}

function strings(v: unknown, name: string): string[] {
  if (v === undefined || v === null || v === '') return [];
  const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/\s+/) : undefined;
  if (!list || !list.every((x) => typeof x === 'string')) throw badRequest(`${name} must be a list of strings`);
  const out = (list as string[]).map((x) => x.trim()).filter((x) => x !== '');
  if (out.length > MAX_LIST) throw badRequest(`${name} takes at most ${MAX_LIST} entries`);
  if (out.some((x) => x.length > 500)) throw badRequest(`${name}: an entry is longer than 500 characters`);
  return out;
}

function text(v: unknown, name: string, max: number): string {
  if (typeof v !== 'string' || v.trim() === '') throw badRequest(`${name} is required`);
  if (v.length > max) throw badRequest(`${name} is longer than ${max} characters`);
  return v.trim();
}

async function view(s: AppServices, t: ForwardTarget, username?: string): Promise<TargetView> {
  const [letters, cursor] = await Promise.all([s.store.forwarding.findDeadLetters(t.id, 10_000), s.store.pipeline.findCursor(forwardName(t.id))]);
  return {
    id: t.id, orgId: t.orgId, kind: t.kind, name: t.name, url: t.url, filter: t.filter, events: t.events, createdAt: t.createdAt,
    ...(username !== undefined ? { username } : {}),
    deadLetters: letters.length, cursor: cursor?.seq ?? 0, failures: cursor?.failures ?? 0,
    ...(cursor?.lastError !== undefined ? { lastError: cursor.lastError } : {}),
  };
}

/** The organization's target `id`; 404 when it is unknown or another organization's. */
async function targetOf(s: AppServices, orgId: string, id: string): Promise<ForwardTarget> {
  const t = await s.store.forwarding.findForwardTarget(id);
  if (!t || t.orgId !== orgId) throw notFound(`no forwarding target ${id} in this organization`);
  return t;
}

/** Adds a target. Returns its view and, for a webhook, its signing key (shown this once). */
export async function createTarget(s: AppServices, actor: UserContext, orgId: string, body: Readonly<Record<string, unknown>>): Promise<{ target: TargetView; signingSecret?: string }> {
  if (!(await s.store.accounts.findOrganization(orgId))) throw notFound(`no organization ${orgId}`);
  const kind = body['kind'] === 'webhook' ? 'webhook' : body['kind'] === 'lrs' || body['kind'] === undefined ? 'lrs' : undefined;
  if (!kind) throw badRequest('kind must be "lrs" or "webhook"');
  const name = text(body['name'], 'name', 100);
  const url = checkTargetUrl(text(body['url'], 'url', 2000), s.config.allowPrivateTargets);
  if (typeof url === 'string') throw badRequest(`url ${url}`);
  const filter = { verbs: strings(body['verbs'], 'verbs'), activityPrefixes: strings(body['activityPrefixes'], 'activityPrefixes') };
  let events: WebhookEvent[] = [];
  let plain: string;
  let signingSecret: string | undefined;
  let username: string | undefined;
  if (kind === 'lrs') {
    username = text(body['username'], 'username', 200);
    if (username.includes(':')) throw badRequest('username must not contain ":" (Basic authentication)');
    plain = `${username}:${text(body['password'], 'password', 500)}`;
  } else {
    events = strings(body['events'], 'events') as WebhookEvent[];
    if (events.length === 0) events = ['statement'];
    const wrong = events.find((e) => !EVENTS.includes(e));
    if (wrong !== undefined) throw badRequest(`events: "${wrong}" is not one of ${EVENTS.join(', ')}`);
    signingSecret = randomBytes(32).toString('base64url');
    plain = signingSecret;
  }
  const target: ForwardTarget = {
    id: randomUUID(), orgId, kind, name, url: url.href, filter, events, secret: sealSecret(s.config, plain),
    createdAt: s.now().toISOString(), createdBy: actor.userId,
  };
  // A new target gets what is stored from now on, not the organization's history.
  await s.store.pipeline.updateCursor(forwardName(target.id), { seq: await s.store.statements.findVisibleSeq(), at: target.createdAt });
  await s.store.forwarding.insertForwardTarget(target);
  await recordAudit(s, actor, { action: kind === 'lrs' ? 'forwarding.create' : 'webhook.create', orgId, target: target.id, details: { name, url: url.href } });
  await s.forwardingSync?.();
  return { target: await view(s, target, username), ...(signingSecret !== undefined ? { signingSecret } : {}) };
}

/** The organization's targets, oldest first. */
export async function listTargets(s: AppServices, orgId: string): Promise<TargetView[]> {
  return Promise.all((await s.store.forwarding.findForwardTargets(orgId)).map((t) => view(s, t)));
}

export async function deleteTarget(s: AppServices, actor: UserContext, orgId: string, id: string): Promise<void> {
  const t = await targetOf(s, orgId, id);
  await s.store.forwarding.deleteForwardTarget(t.id);
  await recordAudit(s, actor, { action: t.kind === 'lrs' ? 'forwarding.delete' : 'webhook.delete', orgId, target: t.id, details: { name: t.name } });
  await s.forwardingSync?.();
}

export async function listDeadLetters(s: AppServices, orgId: string, id: string): Promise<DeadLetter[]> {
  const t = await targetOf(s, orgId, id);
  return s.store.forwarding.findDeadLetters(t.id, 1000);
}

/** Sends the target's dead letters again, in seq order; those it takes are removed. */
export async function resendDeadLetters(s: AppServices, actor: UserContext, orgId: string, id: string): Promise<{ resent: number }> {
  const t = await targetOf(s, orgId, id);
  const letters = await s.store.forwarding.findDeadLetters(t.id, 500);
  if (letters.length === 0) return { resent: 0 };
  const found = new Map((await s.store.statements.findStatementsByIds([...new Set(letters.map((l) => l.statementId))])).map((x) => [x.id, x]));
  const statements = [...new Map(letters.flatMap((l) => (found.has(l.statementId) ? [[l.statementId, found.get(l.statementId)!] as const] : []))).values()];
  try {
    await deliver(s, t, statements);
  } catch (err) {
    throw new AppError('unavailable', `the target did not take the dead letters: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Letters of statements erased since are simply dropped.
  const n = await s.store.forwarding.deleteDeadLetters(t.id, letters.map((l) => l.id));
  await recordAudit(s, actor, { action: 'forwarding.resend', orgId, target: t.id, details: { statements: statements.length } });
  return { resent: n };
}
