import { badRequest } from '../../errors';

/** Response format of GET /statements (Communication 2.1.3). */
export type StatementFormat = 'exact' | 'ids' | 'canonical';

/** The filters of a statement query, as the client sent them (agent still as JSON text). */
export interface StatementFilter {
  readonly agent?: string;
  readonly verb?: string;
  readonly activity?: string;
  readonly registration?: string;
  readonly relatedActivities: boolean;
  readonly relatedAgents: boolean;
  /** ISO 8601 UTC with milliseconds. */
  readonly since?: string;
  readonly until?: string;
}

/** What a GET (or HEAD) /statements asks for. */
export type StatementsRequest =
  | { readonly kind: 'single'; readonly id: string; readonly voided: boolean; readonly format: StatementFormat; readonly attachments: boolean }
  | { readonly kind: 'more'; readonly token: string }
  | {
      readonly kind: 'query';
      readonly filter: StatementFilter;
      readonly format: StatementFormat;
      readonly attachments: boolean;
      /** 0 = the server maximum. */
      readonly limit: number;
      readonly ascending: boolean;
    };

const QUERY_PARAMS = new Set([
  'agent', 'verb', 'activity', 'registration', 'related_activities', 'related_agents',
  'since', 'until', 'limit', 'format', 'attachments', 'ascending',
]);
const SINGLE_EXTRA = new Set(['format', 'attachments']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// RFC 3339 date-time; xAPI requires the zone on query timestamps so they are unambiguous.
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** True for an RFC 4122 UUID in its canonical hex-and-dashes form (any case). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

function single(q: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badRequest(`query parameter ${name} must be given once`);
  return v;
}

function bool(q: Readonly<Record<string, unknown>>, name: string): boolean {
  const v = single(q, name);
  if (v === undefined) return false;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw badRequest(`query parameter ${name} must be true or false, got "${v}"`);
}

function format(q: Readonly<Record<string, unknown>>): StatementFormat {
  const v = single(q, 'format');
  if (v === undefined) return 'exact';
  if (v === 'exact' || v === 'ids' || v === 'canonical') return v;
  throw badRequest(`query parameter format must be ids, exact or canonical, got "${v}"`);
}

/** Parses an ISO 8601 timestamp with a zone into ISO UTC milliseconds; 400 otherwise. */
export function parseQueryTime(value: string, name: string): string {
  const ms = ISO_WITH_ZONE.test(value) ? Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
  if (Number.isNaN(ms)) throw badRequest(`query parameter ${name} must be an ISO 8601 timestamp with a time zone, got "${value}"`);
  return new Date(ms).toISOString();
}

function iri(q: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const v = single(q, name);
  if (v === undefined) return undefined;
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(v)) throw badRequest(`query parameter ${name} must be an IRI, got "${v}"`);
  return v;
}

/**
 * Reads the query string of GET /statements. Parameter names are case-sensitive; unknown ones,
 * repeated ones and malformed values are refused with 400 (Communication 2.1.3). statementId and
 * voidedStatementId admit only format and attachments beside them; `more` stands alone.
 */
export function parseStatementsQuery(q: Readonly<Record<string, unknown>>): StatementsRequest {
  const names = Object.keys(q);
  if (names.includes('more')) {
    const token = single(q, 'more') ?? '';
    if (names.length > 1) throw badRequest('query parameter more cannot be combined with other parameters');
    return { kind: 'more', token };
  }
  const sid = single(q, 'statementId');
  const vid = single(q, 'voidedStatementId');
  if (sid !== undefined || vid !== undefined) {
    if (sid !== undefined && vid !== undefined) throw badRequest('statementId and voidedStatementId cannot be used together');
    const name = sid !== undefined ? 'statementId' : 'voidedStatementId';
    for (const n of names) {
      if (n !== name && !SINGLE_EXTRA.has(n)) throw badRequest(`query parameter ${n} cannot be used with ${name} (only format and attachments can)`);
    }
    const id = (sid ?? vid)!;
    if (!isUuid(id)) throw badRequest(`${name} must be a UUID, got "${id}"`);
    return { kind: 'single', id: id.toLowerCase(), voided: vid !== undefined, format: format(q), attachments: bool(q, 'attachments') };
  }
  for (const n of names) if (!QUERY_PARAMS.has(n)) throw badRequest(`unknown query parameter "${n}" for GET /statements`);

  const registration = single(q, 'registration');
  if (registration !== undefined && !isUuid(registration)) throw badRequest(`query parameter registration must be a UUID, got "${registration}"`);
  const limitRaw = single(q, 'limit');
  let limit = 0;
  if (limitRaw !== undefined) {
    if (!/^\d{1,9}$/.test(limitRaw)) throw badRequest(`query parameter limit must be a whole number >= 0, got "${limitRaw}"`);
    limit = Number(limitRaw);
  }
  const since = single(q, 'since');
  const until = single(q, 'until');
  const agent = single(q, 'agent');
  const verb = iri(q, 'verb');
  const activity = iri(q, 'activity');
  const filter: StatementFilter = {
    ...(agent !== undefined ? { agent } : {}),
    ...(verb !== undefined ? { verb } : {}),
    ...(activity !== undefined ? { activity } : {}),
    ...(registration !== undefined ? { registration: registration.toLowerCase() } : {}),
    relatedActivities: bool(q, 'related_activities'),
    relatedAgents: bool(q, 'related_agents'),
    ...(since !== undefined ? { since: parseQueryTime(since, 'since') } : {}),
    ...(until !== undefined ? { until: parseQueryTime(until, 'until') } : {}),
  };
  return { kind: 'query', filter, format: format(q), attachments: bool(q, 'attachments'), limit, ascending: bool(q, 'ascending') };
}

/**
 * Language ranges of an Accept-Language header, best first (q=0 dropped, ties keep header order).
 * An absent or empty header gives [].
 */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  const items: { tag: string; q: number; i: number }[] = [];
  header.split(',').forEach((raw, i) => {
    const [tagPart, ...params] = raw.trim().split(';');
    const tag = (tagPart ?? '').trim();
    if (!tag) return;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    if (q > 0 && !Number.isNaN(q)) items.push({ tag, q, i });
  });
  items.sort((a, b) => b.q - a.q || a.i - b.i);
  return items.map((x) => x.tag);
}
