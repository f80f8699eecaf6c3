/**
 * What a forwarding target receives, and how (issue 13). LRS targets: the matching statements as
 * stored, POSTed in one request per batch to `<endpoint>statements` with the target's Basic
 * credentials. Webhooks: one small JSON event per match, signed with HMAC-SHA256.
 */
import { createHmac } from 'node:crypto';
import type { Config } from '../config';
import type { ForwardTarget, ProgressRecord, Store, StoredStatement, WebhookEvent } from '../store/ports';
import { postJson } from './http-post';
import { openSecret } from './secrets';
import { checkTargetUrl } from './ssrf';

/** Per request to a target (ms): a slow target holds only its own queue, and never for long. */
export const TARGET_TIMEOUT_MS = 10_000;

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

const verbOf = (s: Readonly<Record<string, unknown>>): string => String(obj(s['verb'])?.['id'] ?? '');
const objectIdOf = (s: Readonly<Record<string, unknown>>): string | undefined => {
  const o = obj(s['object']);
  return o && (o['objectType'] === undefined || o['objectType'] === 'Activity') && typeof o['id'] === 'string' ? o['id'] : undefined;
};
const registrationOf = (s: Readonly<Record<string, unknown>>): string | undefined => {
  const r = obj(s['context'])?.['registration'];
  return typeof r === 'string' ? r.toLowerCase() : undefined;
};

/** True when the target's filter takes the statement (verbs and activity prefixes; empty = any). */
export function matchesFilter(t: ForwardTarget, s: Readonly<Record<string, unknown>>): boolean {
  if (t.filter.verbs.length > 0 && !t.filter.verbs.includes(verbOf(s))) return false;
  if (t.filter.activityPrefixes.length > 0) {
    const id = objectIdOf(s);
    if (id === undefined || !t.filter.activityPrefixes.some((p) => id.startsWith(p))) return false;
  }
  return true;
}

/** One webhook delivery. */
export interface WebhookDelivery {
  readonly type: WebhookEvent;
  readonly statement: StoredStatement;
  /** The registration's progress track (course events). */
  readonly track?: ProgressRecord;
}

const COMPLETED = new Set(['http://adlnet.gov/expapi/verbs/completed']);
const PASSED = new Set(['http://adlnet.gov/expapi/verbs/passed']);

/** The webhook events of statements, in order: each matching statement, and course completions and passes. */
export async function webhookEvents(store: Store, t: ForwardTarget, statements: readonly StoredStatement[]): Promise<WebhookDelivery[]> {
  const wantsCourse = t.events.includes('course.completed') || t.events.includes('course.passed');
  const regs = wantsCourse ? [...new Set(statements.flatMap((s) => registrationOf(s.statement) ?? []))] : [];
  const tracks = new Map<string, ProgressRecord>(regs.length > 0 ? (await store.progress.findProgressTracks(regs)).map((p) => [p.registration, p]) : []);
  const out: WebhookDelivery[] = [];
  for (const s of statements) {
    if (t.events.includes('statement') && matchesFilter(t, s.statement)) out.push({ type: 'statement', statement: s });
    const reg = registrationOf(s.statement);
    const track = reg !== undefined ? tracks.get(reg) : undefined;
    const objectId = objectIdOf(s.statement);
    if (!track || objectId === undefined || !track.courseActivityIds.includes(objectId)) continue;
    const verb = verbOf(s.statement);
    const result = obj(s.statement['result']) ?? {};
    if (t.events.includes('course.completed') && (COMPLETED.has(verb) || result['completion'] === true)) out.push({ type: 'course.completed', statement: s, track });
    if (t.events.includes('course.passed') && (PASSED.has(verb) || result['success'] === true)) out.push({ type: 'course.passed', statement: s, track });
  }
  return out;
}

/** The event body a webhook receives (small: ids, not the statement). */
export function webhookBody(t: ForwardTarget, d: WebhookDelivery): Record<string, unknown> {
  const registration = d.track;
  const s = d.statement;
  return {
    id: `${s.id}:${d.type}`,
    type: d.type,
    orgId: t.orgId,
    stored: s.stored,
    statementId: s.id,
    verb: verbOf(s.statement),
    ...(objectIdOf(s.statement) !== undefined ? { objectId: objectIdOf(s.statement) } : {}),
    ...(registrationOf(s.statement) !== undefined ? { registration: registrationOf(s.statement) } : {}),
    ...(registration ? { courseId: registration.courseId, userId: registration.userId } : {}),
  };
}

/** The signature header of a webhook body: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signWebhook(secret: string, body: string, at = Math.floor(Date.now() / 1000)): string {
  return `t=${at},v1=${createHmac('sha256', secret).update(`${at}.${body}`).digest('hex')}`;
}

function failure(status: number, text: string): Error {
  return new Error(`the target answered ${status}${text ? `: ${text.slice(0, 300)}` : ''}`);
}

/** POSTs statements to a target LRS; throws when it does not take them. */
export async function postStatements(config: Config, t: ForwardTarget, statements: readonly StoredStatement[]): Promise<void> {
  if (statements.length === 0) return;
  const base = checkTargetUrl(t.url, config.allowPrivateTargets);
  if (typeof base === 'string') throw new Error(`the target URL ${base}`);
  const url = new URL('statements', base.href.endsWith('/') ? base : new URL(`${base.href}/`));
  const auth = `Basic ${Buffer.from(openSecret(config, t.secret), 'utf8').toString('base64')}`;
  const res = await postJson(url, JSON.stringify(statements.map((s) => s.statement)), { Authorization: auth, 'X-Experience-API-Version': '1.0.3' }, { allowPrivate: config.allowPrivateTargets, timeoutMs: TARGET_TIMEOUT_MS });
  if (res.status !== 200 && res.status !== 204) throw failure(res.status, res.body);
}

/** POSTs one signed webhook event; throws unless the receiver answers 2xx. */
export async function postWebhook(config: Config, t: ForwardTarget, d: WebhookDelivery): Promise<void> {
  const url = checkTargetUrl(t.url, config.allowPrivateTargets);
  if (typeof url === 'string') throw new Error(`the webhook URL ${url}`);
  const body = JSON.stringify(webhookBody(t, d));
  const res = await postJson(url, body, { 'X-LearnHQ-Signature': signWebhook(openSecret(config, t.secret), body), 'X-LearnHQ-Event': d.type }, { allowPrivate: config.allowPrivateTargets, timeoutMs: TARGET_TIMEOUT_MS });
  if (res.status < 200 || res.status > 299) throw failure(res.status, res.body);
}
