import { badRequest, notFound } from '../../errors';
import type { AttachmentContent, StatementPage } from '../../store/ports';
import type { AuthContext } from '../auth/auth-context';
import { readRestrictionRefs } from '../auth/restriction';
import type { XapiDeps } from '../deps';
import { isJsonObject, type JsonObject, type JsonValue, type XapiVersion } from '../model/types';
import { attachmentDeclarations } from './attachments-check';
import type { CursorCodec, QueryCursor } from './cursor';
import { agentKey, parseAgentParam, toCanonicalFormat, toIdsFormat } from './model-facade';
import { jsonEqual } from './model-fallbacks';
import type { StatementFilter, StatementFormat } from './query-params';

/** A statement answer before serialisation. */
export interface ReadResult {
  /** The body: one statement (single) or a StatementResult. */
  readonly body: JsonObject;
  readonly statements: readonly JsonObject[];
  /** For Last-Modified. */
  readonly lastModified?: string;
  readonly attachments: boolean;
}

/** Who reads and how far their scope reaches. */
export interface Reader {
  readonly auth: AuthContext;
  readonly scope: 'all' | 'mine';
  readonly version: XapiVersion;
  readonly languages: readonly string[];
}

function wroteIt(stmt: Readonly<Record<string, unknown>>, auth: AuthContext): boolean {
  const a = stmt['authority'];
  const ka = agentKey(a);
  const kb = agentKey(auth.authority);
  return ka !== undefined && kb !== undefined ? ka === kb : jsonEqual(a, auth.authority);
}

/**
 * GET ?statementId / ?voidedStatementId (Communication 2.1.3): a voided statement is only found
 * by voidedStatementId, and voidedStatementId only finds voided statements (404 otherwise).
 * Under statements/read/mine a statement written by another credential is 404 too.
 */
export async function readSingle(
  deps: XapiDeps, reader: Reader, id: string, voided: boolean, format: StatementFormat, attachments: boolean,
): Promise<ReadResult> {
  const [found] = await deps.store.statements.findStatementsByIds([id]);
  // Issue 4: outside the caller's organization or launch restriction is "not found" too, so ids cannot be probed.
  const restricted = readRestrictionRefs(reader.auth);
  const inside = !found || restricted.length === 0 || (await deps.store.statements.findStatementIdsWithRefs([id], restricted)).length === 1;
  if (!found || !inside || found.voided !== voided || (reader.scope === 'mine' && !wroteIt(found.statement, reader.auth))) {
    throw notFound(voided ? `no voided statement with id ${id}` : `no statement with id ${id}`);
  }
  const [out] = await formatStatements(deps, [found.statement as JsonObject], format, reader.languages);
  return { body: out!, statements: [out!], lastModified: found.stored, attachments };
}

/** The index keys of a query's filters (without the credential restriction). */
export function filterRefs(filter: StatementFilter, version: XapiVersion): string[] {
  const refs: string[] = [];
  if (filter.agent !== undefined) {
    const { key } = parseAgentParam(filter.agent, version);
    refs.push(`${filter.relatedAgents ? 'a' : 'A'}|${key}`);
  }
  if (filter.verb !== undefined) refs.push(`v|${filter.verb}`);
  if (filter.activity !== undefined) refs.push(`${filter.relatedActivities ? 'o' : 'O'}|${filter.activity}`);
  if (filter.registration !== undefined) refs.push(`r|${filter.registration}`);
  return refs;
}

/**
 * One page of a statement query (a fresh query or a `more` continuation). `more` is an absolute
 * path on this host ("<base>/statements?more=<token>"), empty when this is the last page.
 */
export async function readPage(
  deps: XapiDeps, reader: Reader, cursor: Omit<QueryCursor, 'afterSeq'> & { afterSeq?: number }, codec: CursorCodec, basePath: string,
): Promise<ReadResult> {
  // Restrictions (issue 4: organization, launch token) are re-applied on every page, never read from the token.
  const allRefs = [...cursor.refs, ...readRestrictionRefs(reader.auth), ...(reader.scope === 'mine' ? [`k|${reader.auth.credentialKey}`] : [])];
  const page: StatementPage = await deps.store.statements.findStatements({
    allRefs,
    ...(cursor.since !== undefined ? { since: cursor.since } : {}),
    ...(cursor.until !== undefined ? { until: cursor.until } : {}),
    ascending: cursor.ascending,
    limit: cursor.limit,
    ...(cursor.afterSeq !== undefined ? { afterSeq: cursor.afterSeq } : {}),
  });
  const statements = await formatStatements(deps, page.statements.map((s) => s.statement as JsonObject), cursor.format, reader.languages);
  const more = page.nextAfterSeq !== undefined
    ? `${basePath}/statements?more=${codec.encode({ ...cursor, afterSeq: page.nextAfterSeq })}`
    : '';
  let lastModified: string | undefined;
  for (const s of page.statements) if (lastModified === undefined || s.stored > lastModified) lastModified = s.stored;
  return { body: { statements, more }, statements, ...(lastModified !== undefined ? { lastModified } : {}), attachments: cursor.attachments };
}

/** Decodes a `more` token and checks it belongs to this caller. */
export function continueCursor(codec: CursorCodec, token: string, auth: AuthContext): QueryCursor {
  const c = codec.decode(token);
  if (c.credentialKey !== auth.credentialKey) throw badRequest('query parameter more was issued to another credential');
  return c;
}

/** Applies format=ids|exact|canonical; canonical uses the LRS's canonical activity definitions. */
async function formatStatements(deps: XapiDeps, list: JsonObject[], format: StatementFormat, languages: readonly string[]): Promise<JsonObject[]> {
  if (format === 'exact') return list;
  if (format === 'ids') return list.map((s) => toIdsFormat(s));
  const ids = new Set<string>();
  for (const s of list) forEachActivity(s, (a) => { ids.add(a['id'] as string); return a; });
  const defs = ids.size > 0 ? new Map((await deps.store.activities.findActivities([...ids])).map((r) => [r.id, r.definition])) : new Map();
  return list.map((s) => {
    const withCanon = defs.size > 0
      ? forEachActivity(structuredClone(s), (a) => {
          const d = defs.get(a['id'] as string);
          return d ? { ...a, definition: d as JsonObject } : a;
        })
      : s;
    return toCanonicalFormat(withCanon, languages);
  });
}

/** Visits (and may replace) every Activity of a statement: object, context activities, SubStatement. */
function forEachActivity(s: JsonObject, fn: (a: JsonObject) => JsonObject): JsonObject {
  const isAct = (v: JsonValue | undefined): v is JsonObject =>
    isJsonObject(v) && typeof v['id'] === 'string' && (v['objectType'] === undefined || v['objectType'] === 'Activity');
  const o = s['object'];
  if (isJsonObject(o) && o['objectType'] === 'SubStatement') forEachActivity(o, fn);
  else if (isAct(o)) s['object'] = fn(o);
  const ctx = s['context'];
  if (isJsonObject(ctx) && isJsonObject(ctx['contextActivities'])) {
    const ca = ctx['contextActivities'];
    for (const [k, v] of Object.entries(ca)) {
      if (Array.isArray(v)) ca[k] = v.map((a) => (isAct(a) ? fn(a) : a));
      else if (isAct(v)) ca[k] = fn(v);
    }
  }
  return s;
}

/** The stored contents of every attachment the statements declare (distinct by sha2). */
export async function attachmentContents(deps: XapiDeps, statements: readonly JsonObject[]): Promise<AttachmentContent[]> {
  const shas = new Set<string>();
  for (const s of statements) {
    for (const { att } of attachmentDeclarations(s, '')) if (typeof att['sha2'] === 'string') shas.add(att['sha2'].toLowerCase());
  }
  return shas.size > 0 ? deps.store.statements.findAttachments([...shas]) : [];
}
