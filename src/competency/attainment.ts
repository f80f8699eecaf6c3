/**
 * Attainments written to the LRS: each piece of evidence (and each confirmed self-assessment)
 * becomes an xAPI statement about the competency, with its CASE URI as the activity id, so the
 * LRS stays the record of truth and outside tools see it. Ids are derived from what they stand
 * for, so writing the same attainment again (a projection rebuild) stores nothing new.
 */
import type { AppServices } from '../deps';
import type { Evidence } from '../store/ports';
import type { AuthContext } from '../xapi/auth/auth-context';
import type { JsonObject } from '../xapi/model/types';
import { storeStatements } from '../xapi/statements/write-service';
import { nameUuid } from './csv-framework';
import { COMPETENCY_IRI } from './vocab';

/** LearnHQ's competency engine as an LRS caller, filing statements under the evidence's organization. */
function writerAuth(s: Pick<AppServices, 'config'>, orgId: string): AuthContext {
  return {
    credentialKey: 'learnhq:competency',
    name: 'LearnHQ competencies',
    scopes: new Set(['all']),
    authority: { objectType: 'Agent', name: 'LearnHQ competencies', account: { homePage: s.config.publicUrl, name: 'learnhq-competency' } },
    orgId,
    lmsWriter: true,
  };
}

/** What an attainment statement says. */
export interface Attainment {
  /** Stable key of what it stands for (evidence id, or `self|...`). */
  readonly key: string;
  readonly userId: string;
  readonly orgId: string;
  readonly competencyUri: string;
  readonly competencyName: string;
  readonly frameworkUri: string;
  readonly level: number;
  readonly levelName: string;
  readonly at: string;
  /** The statement that evidenced it, when any. */
  readonly statementId?: string;
  /** Who confirmed it, when it is a confirmed self-assessment. */
  readonly confirmedBy?: string;
}

/** The attainment statement (pure). */
export function attainmentStatement(s: Pick<AppServices, 'config'>, a: Attainment): JsonObject {
  return {
    id: nameUuid('learnhq-attainment', a.key),
    actor: { objectType: 'Agent', account: { homePage: s.config.publicUrl, name: a.userId } },
    verb: { id: COMPETENCY_IRI.attained, display: { 'en-US': 'attained' } },
    object: {
      objectType: 'Activity',
      id: a.competencyUri,
      definition: { type: COMPETENCY_IRI.competencyType, name: { 'en-US': a.competencyName.slice(0, 500) } },
    },
    result: { success: true, extensions: { [COMPETENCY_IRI.levelExtension]: { rank: a.level, name: a.levelName } } },
    context: {
      contextActivities: { parent: [{ objectType: 'Activity', id: a.frameworkUri }] },
      ...(a.statementId !== undefined ? { statement: { objectType: 'StatementRef', id: a.statementId } } : {}),
      ...(a.confirmedBy !== undefined ? { extensions: { 'https://learnhq.org/xapi/extensions/confirmed-by': a.confirmedBy } } : {}),
    },
    timestamp: a.at,
  } as JsonObject;
}

/** Stores attainment statements, grouped by organization. */
export async function storeAttainments(s: AppServices, list: readonly Attainment[]): Promise<void> {
  const byOrg = new Map<string, JsonObject[]>();
  for (const a of list) byOrg.set(a.orgId, [...(byOrg.get(a.orgId) ?? []), attainmentStatement(s, a)]);
  for (const [orgId, statements] of byOrg) {
    await storeStatements(s, { body: { json: statements, parts: new Map(), multipart: false }, version: '1.0.3', auth: writerAuth(s, orgId) });
  }
}

/** The key of the attainment written for a piece of evidence that raised its person's level. */
function evidenceKey(e: Pick<Evidence, 'userId' | 'frameworkId' | 'itemIdentifier' | 'level' | 'statementId'>): string {
  return `${e.userId}|${e.frameworkId}|${e.itemIdentifier}|${e.level}|${e.statementId}`;
}

/** The id of the attainment statement a piece of evidence was written as (when it raised its person's level). */
export function attainmentIdOf(e: Pick<Evidence, 'userId' | 'frameworkId' | 'itemIdentifier' | 'level' | 'statementId'>): string {
  return nameUuid('learnhq-attainment', evidenceKey(e));
}

/** The id of LearnHQ's voiding of an attainment statement: one per attainment, so a replay or retry stores it once. */
export function attainmentVoidingIdOf(attainmentId: string): string {
  return nameUuid('learnhq-attainment-voiding', attainmentId);
}

/**
 * After the evidence `lost` was deleted (its statement voided): the attainment statements written
 * for it are voided in the LRS, by LearnHQ's own authority, where the person's remaining evidence
 * of the competency no longer reaches the attainment's level (ADR 0036). Evidence that was no
 * level rise has no attainment statement and is passed over, as is one already voided. The voiding
 * statement's id derives from the attainment's, so a retry or rebuild stores nothing twice.
 * Returns the ids of the attainment statements voided by this call.
 */
export async function voidLostAttainments(s: AppServices, lost: readonly Evidence[]): Promise<string[]> {
  if (lost.length === 0) return [];
  // The same piece may come twice (read before its delete, and derived again from its statement).
  const byId = new Map(lost.map((e) => [attainmentIdOf(e), e]));
  const written = (await s.store.statements.findStatementsByIds([...byId.keys()])).filter((st) => !st.voided);
  if (written.length === 0) return [];
  const pairs = [...new Map(written.map((st) => {
    const e = byId.get(st.id) as Evidence;
    return [`${e.userId}|${e.frameworkId}|${e.itemIdentifier}`, { userId: e.userId, frameworkId: e.frameworkId, itemIdentifier: e.itemIdentifier }] as const;
  })).values()];
  const top = new Map((await s.store.competency.findEvidenceSummariesOf(pairs)).map((x) => [`${x.userId}|${x.frameworkId}|${x.itemIdentifier}`, Math.max(0, ...x.levels.map((l) => l.level))]));
  const due = written.filter((st) => {
    const e = byId.get(st.id) as Evidence;
    return (top.get(`${e.userId}|${e.frameworkId}|${e.itemIdentifier}`) ?? 0) < e.level;
  });
  const already = new Set((await s.store.statements.findStatementsByIds(due.map((st) => attainmentVoidingIdOf(st.id)))).map((st) => st.id));
  const byOrg = new Map<string, JsonObject[]>();
  const voided: string[] = [];
  for (const st of due) {
    if (already.has(attainmentVoidingIdOf(st.id))) continue;
    const e = byId.get(st.id) as Evidence;
    const auth = writerAuth(s, e.orgId);
    byOrg.set(e.orgId, [...(byOrg.get(e.orgId) ?? []), {
      id: attainmentVoidingIdOf(st.id),
      actor: auth.authority,
      verb: { id: 'http://adlnet.gov/expapi/verbs/voided', display: { 'en-US': 'voided' } },
      object: { objectType: 'StatementRef', id: st.id },
    } as JsonObject]);
    voided.push(st.id);
  }
  for (const [orgId, statements] of byOrg) {
    await storeStatements(s, { body: { json: statements, parts: new Map(), multipart: false }, version: '1.0.3', auth: writerAuth(s, orgId) });
  }
  return voided;
}

/** Attainment statements of new evidence (framework and item looked up once per batch). */
export async function writeAttainments(s: AppServices, evidence: readonly Evidence[]): Promise<void> {
  const frameworks = new Map<string, Awaited<ReturnType<AppServices['store']['competency']['findFramework']>>>();
  const items = new Map<string, { uri: string; name: string }>();
  const list: Attainment[] = [];
  for (const e of evidence) {
    if (!frameworks.has(e.frameworkId)) frameworks.set(e.frameworkId, await s.store.competency.findFramework(e.frameworkId));
    const fw = frameworks.get(e.frameworkId);
    const key = `${e.frameworkId}|${e.itemIdentifier}`;
    if (!items.has(key)) {
      const [item] = await s.store.competency.findItems({ frameworkId: e.frameworkId, identifiers: [e.itemIdentifier], includeRetired: true });
      if (item) items.set(key, { uri: item.uri, name: item.abbreviatedStatement ?? item.fullStatement });
    }
    const item = items.get(key);
    if (!fw || !item) continue;
    list.push({
      // One attainment per person, competency, level and the statement that raised it: the same
      // rise replayed stores nothing twice, and a rise again after the first one's statement was
      // voided is a new statement (the same id with other content would be refused by the LRS).
      key: evidenceKey(e), userId: e.userId, orgId: e.orgId, competencyUri: item.uri, competencyName: item.name, frameworkUri: fw.uri,
      level: e.level, levelName: fw.scale.find((l) => l.rank === e.level)?.name ?? String(e.level), at: e.at, statementId: e.statementId,
    });
  }
  await storeAttainments(s, list);
}
