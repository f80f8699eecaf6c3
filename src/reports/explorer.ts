/**
 * The statement explorer (issue 16): xAPI filters over the statement log (the only report that
 * reads statements, through the store's indexed query, never a scan), results in plain language
 * with the raw JSON beside, paged with an opaque `more` cursor, and a streamed CSV/NDJSON export of
 * the whole result with flat memory (one page of 1,000 in memory at a time).
 *
 * Access: statements are per person, so a lens with an organization sees the statements filed
 * under that organization (`g|<org>`: its people's, and those its credentials wrote), as an
 * organization credential of the LRS does; the site lens sees everything. The restriction is
 * applied to every page from the session, never carried in the cursor.
 */
import { badRequest, notFound } from '../errors';
import type { StatementQuery, StatementText, Store, StoredStatement } from '../store/ports';
import { durationMs } from '../launch/progress/derive';
import { isJsonObject, type JsonObject } from '../xapi/model/types';
import type { ReportLens } from './access';
import { verbWord } from './facts';

export interface ExplorerQuery {
  /** A LearnHQ person (user id), as the agent filter. */
  readonly person?: string;
  readonly verb?: string;
  readonly activity?: string;
  readonly registration?: string;
  readonly relatedActivities: boolean;
  readonly relatedAgents: boolean;
  /** ISO UTC (statements stored strictly after). */
  readonly since?: string;
  /** ISO UTC (stored at or before). */
  readonly until?: string;
  /** Continue after this seq (from `more`). */
  readonly afterSeq?: number;
  readonly limit: number;
}

export interface ExplorerRow {
  readonly id: string;
  readonly stored: string;
  readonly timestamp: string;
  /** "Sam Staff passed The Reference Interview — 92 %, 12 min" */
  readonly text: string;
  readonly statement: Readonly<Record<string, unknown>>;
}

export interface ExplorerPage {
  readonly rows: readonly ExplorerRow[];
  /** Opaque token of the next page; '' on the last page. */
  readonly more: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IRI = /^[a-z][a-z0-9+.-]*:\S+$/i;

function time(v: string, name: string, endOfDay: boolean): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const ms = Date.parse(day ? `${v}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z` : v);
  if (Number.isNaN(ms) || (!day && !/(Z|[+-]\d{2}:?\d{2})$/i.test(v))) throw badRequest(`${name} must be a date YYYY-MM-DD or an ISO 8601 time with a zone`);
  return new Date(ms).toISOString();
}

/** Parses the explorer's parameters (the same filters as GET /xapi/statements, agent as a person). */
export function parseExplorerQuery(q: Record<string, unknown>, maxLimit = 100): ExplorerQuery {
  const str = (k: string): string | undefined => {
    const v = q[k];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') throw badRequest(`${k} must be given once`);
    return v.trim();
  };
  const verb = str('verb');
  const activity = str('activity');
  const registration = str('registration');
  if (verb !== undefined && !IRI.test(verb)) throw badRequest('verb must be an IRI');
  if (activity !== undefined && !IRI.test(activity)) throw badRequest('activity must be an IRI');
  if (registration !== undefined && !UUID.test(registration)) throw badRequest('registration must be a UUID');
  const since = str('since');
  const until = str('until');
  const more = str('more');
  let afterSeq: number | undefined;
  if (more !== undefined) {
    const text = Buffer.from(more, 'base64url').toString('utf8');
    const n = Number(text);
    if (!/^\d{1,15}$/.test(text) || !Number.isSafeInteger(n)) throw badRequest('more is not a token this explorer gave');
    afterSeq = n;
  }
  const limitRaw = str('limit');
  const limit = limitRaw === undefined ? 25 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw badRequest(`limit must be 1 to ${maxLimit}`);
  const person = str('person');
  return {
    ...(person ? { person } : {}), ...(verb ? { verb } : {}), ...(activity ? { activity } : {}),
    ...(registration ? { registration: registration.toLowerCase() } : {}),
    relatedActivities: str('related_activities') === 'true', relatedAgents: str('related_agents') === 'true',
    ...(since ? { since: time(since, 'since', false) } : {}), ...(until ? { until: time(until, 'until', true) } : {}),
    ...(afterSeq !== undefined ? { afterSeq } : {}), limit,
  };
}

/** The people the lens may pick as the agent filter (id and name), by name. */
export async function pickablePeople(store: Store, lens: ReportLens): Promise<{ id: string; name: string }[]> {
  if (lens.orgId === undefined) return [];
  const ids = [...new Set((await store.accounts.findMemberships({ orgId: lens.orgId })).map((m) => m.userId))];
  return (await store.accounts.findUsers(ids)).filter((u) => u.disabledAt === undefined).map((u) => ({ id: u.id, name: u.name })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The store query of an explorer query through a lens; 404 for a person the lens may not name. */
export async function storeQuery(store: Store, publicUrl: string, lens: ReportLens, q: ExplorerQuery, limit: number): Promise<StatementQuery> {
  const refs: string[] = lens.orgId !== undefined && lens.view !== 'site' ? [`g|${lens.orgId}`] : [];
  if (q.person !== undefined) {
    if (lens.orgId !== undefined) {
      const member = (await store.accounts.findMemberships({ userId: q.person })).some((m) => m.orgId === lens.orgId);
      if (!member) throw notFound(`no person ${q.person}`);
    } else if (!(await store.accounts.findUser(q.person))) {
      throw notFound(`no person ${q.person}`);
    }
    refs.push(`${q.relatedAgents ? 'a' : 'A'}|account:${publicUrl}|${q.person}`);
  }
  if (q.verb !== undefined) refs.push(`v|${q.verb}`);
  if (q.activity !== undefined) refs.push(`${q.relatedActivities ? 'o' : 'O'}|${q.activity}`);
  if (q.registration !== undefined) refs.push(`r|${q.registration}`);
  return {
    allRefs: refs, ascending: false, limit,
    ...(q.since !== undefined ? { since: q.since } : {}), ...(q.until !== undefined ? { until: q.until } : {}),
    ...(q.afterSeq !== undefined ? { afterSeq: q.afterSeq } : {}),
  };
}

const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
function firstText(map: unknown): string | undefined {
  if (!isJsonObject(map)) return undefined;
  for (const k of ['en-US', 'en-GB', 'en', 'und']) if (typeof map[k] === 'string') return map[k] as string;
  const v = Object.values(map).find((x) => typeof x === 'string');
  return typeof v === 'string' ? v : undefined;
}

/** Names of the LearnHQ people the statements name by account, for plain language. */
export async function peopleNames(store: Store, publicUrl: string, list: readonly StoredStatement[]): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const s of list) {
    const acc = obj(obj(s.statement['actor'])['account']);
    if (acc['homePage'] === publicUrl && typeof acc['name'] === 'string') ids.add(acc['name']);
  }
  if (ids.size === 0) return new Map();
  return new Map((await store.accounts.findUsers([...ids])).map((u) => [u.id, u.name]));
}

function minutes(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  const h = Math.floor(ms / 3_600_000);
  return `${h} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
}

/** One statement in plain language: "Sam Staff passed The Reference Interview — 92 %, 12 min". */
export function plainLanguage(s: Readonly<Record<string, unknown>>, names: ReadonlyMap<string, string>, publicUrl: string): string {
  const actor = obj(s['actor']);
  const acc = obj(actor['account']);
  const person = acc['homePage'] === publicUrl && typeof acc['name'] === 'string' ? names.get(acc['name']) : undefined;
  const who = person ?? (typeof actor['name'] === 'string' ? actor['name'] : typeof actor['mbox'] === 'string' ? String(actor['mbox']).replace(/^mailto:/i, '') : 'Someone');
  const verb = obj(s['verb']);
  const verbText = firstText(verb['display']) ?? verbWord(typeof verb['id'] === 'string' ? verb['id'] : 'did');
  const object = obj(s['object']);
  const what = object['objectType'] === 'StatementRef' ? `statement ${String(object['id'])}`
    : firstText(obj(object['definition'])['name']) ?? (typeof object['name'] === 'string' ? object['name'] : String(object['id'] ?? 'something'));
  const result = obj(s['result']);
  const details: string[] = [];
  const score = obj(result['score']);
  if (typeof score['scaled'] === 'number') details.push(`${Math.round(score['scaled'] * 100)} %`);
  else if (typeof score['raw'] === 'number') details.push(`score ${score['raw']}${typeof score['max'] === 'number' ? ` of ${score['max']}` : ''}`);
  if (typeof result['response'] === 'string' && result['response'] !== '') details.push(`answered “${result['response']}”${result['success'] === true ? ' (correct)' : result['success'] === false ? ' (wrong)' : ''}`);
  if (typeof result['duration'] === 'string') {
    const ms = durationMs(result['duration']);
    if (ms > 0) details.push(minutes(ms));
  }
  return `${who} ${verbText} ${what}${details.length > 0 ? ` — ${details.join(', ')}` : ''}`;
}

/** One page of the explorer. */
export async function explorerPage(store: Store, publicUrl: string, lens: ReportLens, q: ExplorerQuery): Promise<ExplorerPage> {
  const page = await store.statements.findStatements(await storeQuery(store, publicUrl, lens, q, q.limit));
  const names = await peopleNames(store, publicUrl, page.statements);
  return {
    rows: page.statements.map((s) => ({
      id: s.id, stored: s.stored, timestamp: typeof s.statement['timestamp'] === 'string' ? s.statement['timestamp'] : s.stored,
      text: plainLanguage(s.statement, names, publicUrl), statement: s.statement,
    })),
    more: page.nextAfterSeq !== undefined ? Buffer.from(String(page.nextAfterSeq), 'utf8').toString('base64url') : '',
  };
}

export const EXPORT_PAGE = 1000;

/**
 * The whole result, page by page (newest first): each yielded chunk is one page rendered by
 * `render`, so memory holds one page at a time whatever the size of the result.
 */
export async function* exportPages(store: Store, publicUrl: string, lens: ReportLens, q: ExplorerQuery): AsyncGenerator<{ statements: readonly StoredStatement[]; names: Map<string, string> }> {
  let afterSeq = q.afterSeq;
  for (;;) {
    const page = await store.statements.findStatements(await storeQuery(store, publicUrl, lens, { ...q, ...(afterSeq !== undefined ? { afterSeq } : {}) }, EXPORT_PAGE));
    if (page.statements.length > 0) yield { statements: page.statements, names: await peopleNames(store, publicUrl, page.statements) };
    if (page.nextAfterSeq === undefined) return;
    afterSeq = page.nextAfterSeq;
  }
}

/**
 * The whole result as stored JSON text, page by page (newest first), for an export that writes
 * statements as they are (NDJSON): no parsing, no names, the same pages as exportPages.
 */
export async function* exportTextPages(store: Store, publicUrl: string, lens: ReportLens, q: ExplorerQuery): AsyncGenerator<readonly StatementText[]> {
  let afterSeq = q.afterSeq;
  for (;;) {
    const page = await store.statements.findStatementTexts(await storeQuery(store, publicUrl, lens, { ...q, ...(afterSeq !== undefined ? { afterSeq } : {}) }, EXPORT_PAGE));
    if (page.statements.length > 0) yield page.statements;
    if (page.nextAfterSeq === undefined) return;
    afterSeq = page.nextAfterSeq;
  }
}
