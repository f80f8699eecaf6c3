import { badRequest, conflict, isAppError } from '../../errors';
import type { NewStatement, StoredStatement } from '../../store/ports';
import type { AuthContext } from '../auth/auth-context';
import { checkStatementWrites } from '../auth/restriction';
import { mayDefine } from '../auth/scopes';
import type { XapiDeps } from '../deps';
import type { JsonObject, XapiVersion } from '../model/types';
import { statementOrgRefs } from '../org-scope';
import { checkStatementSignatures } from '../signature/signed-statement';
import { updateActivityDefinitions } from './activity-definitions';
import { matchAttachments } from './attachments-check';
import {
  prepareStatement, statementRefs, statementsEquivalent, statementTargetId, validateStatement, validateStatementBatch, voidedTargetId,
} from './model-facade';
import type { StatementsBody } from './request-body';
import { idNotAvailable, targetNotVisible, visibleIds } from './visibility';

/** One write request after reading its body. */
export interface WriteInput {
  readonly body: StatementsBody;
  readonly version: XapiVersion;
  readonly auth: AuthContext;
  /** PUT: the statementId parameter (lower case). */
  readonly putId?: string;
}

/** The statement as the client may have meant it, for comparing with a stored copy. */
function comparable(s: Readonly<Record<string, unknown>>, raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...s };
  delete out['stored'];
  delete out['authority'];
  if (raw['version'] === undefined) delete out['version'];
  if (raw['timestamp'] === undefined) delete out['timestamp'];
  return out;
}

/**
 * Stores a PUT or POST /statements request (Communication 2.1.1, 2.1.2). Validates the whole batch,
 * its attachments and signatures before touching the store, then makes one findStatementsByIds and
 * one insertStatements call. Ids already stored with equivalent content are accepted again without
 * a second copy; different content gives 409. Returns the ids in request order.
 */
export async function storeStatements(deps: XapiDeps, input: WriteInput): Promise<string[]> {
  const { body, version, auth, putId } = input;
  let raws: JsonObject[];
  if (putId !== undefined) {
    if (Array.isArray(body.json)) throw badRequest('PUT /statements takes one statement object, not an array (use POST for batches)');
    const s = validateStatement(body.json, { version });
    if (typeof s['id'] === 'string' && s['id'].toLowerCase() !== putId) {
      throw badRequest(`statement.id "${s['id']}" does not match the statementId parameter "${putId}"`);
    }
    raws = [s];
  } else {
    raws = validateStatementBatch(body.json, version);
  }
  const paths = raws.map((_, i) => (raws.length === 1 && !Array.isArray(body.json) ? 'statement' : `statements[${i}]`));
  const attachments = matchAttachments(raws, paths, body.parts, body.multipart);
  if (body.multipart) {
    const contents = new Map([...body.parts].map(([k, p]) => [k, p.content]));
    raws.forEach((s, i) => checkStatementSignatures(s, paths[i]!, contents, statementsEquivalent));
  }

  const now = deps.now();
  const stored = now.toISOString();
  const prepared = raws.map((s) => prepareStatement(s, { version, stored, authority: auth.authority, now, ...(putId !== undefined ? { id: putId } : {}) }));
  const ids = prepared.map((p) => p['id'] as string);
  // Issue 4 boundaries: a launch token writes only its learner's statements in its registration
  // (403 before anything is stored); every statement gets the g| keys of its organizations.
  checkStatementWrites(auth, prepared, paths);
  // Issue 6: a cmi5 AU session's launch token writes only what the cmi5 rules allow (403), through
  // the port the launch area implements (issue 13: the LRS imports nothing above it).
  if (auth.restriction && deps.launchRules) await deps.launchRules.checkStatements(auth, { raws, prepared, paths });
  // Issue 11: statements about another organization's people are refused here (403).
  const orgRefs = await statementOrgRefs(deps, auth, prepared, paths);

  // Voiding rules (Data 2.3.2): a voiding statement's target must not itself be a voiding statement.
  const voidTargets = new Map<number, string>();
  prepared.forEach((p, i) => {
    const t = voidedTargetId(p);
    if (t !== undefined) voidTargets.set(i, t);
  });
  // Ids the LRS just generated cannot be stored yet, and a client-chosen id rarely is: without
  // voiding statements the batch is inserted optimistically and the store's conflict (all or
  // nothing) sends us to the comparison below. Voiding needs its targets up front.
  const lookup = voidTargets.size > 0 ? [...new Set([...ids, ...voidTargets.values()])] : [];
  const found = lookup.length > 0 ? await deps.store.statements.findStatementsByIds(lookup) : [];
  const byId = new Map<string, StoredStatement>(found.map((f) => [f.id, f]));
  const batchIndex = new Map(ids.map((id, i) => [id, i]));
  // Issue 11: what the caller may read decides what it may void and which stored ids it may
  // resend (src/xapi/statements/visibility.ts), before anything about a target is said.
  const visible = await visibleIds(deps, auth, found.map((f) => f.id));
  for (const [i, target] of voidTargets) {
    if (!batchIndex.has(target) && !visible.has(target)) targetNotVisible(paths[i]!, target);
    const inStore = byId.get(target);
    const j = batchIndex.get(target);
    const targetStmt = inStore?.statement ?? (j !== undefined ? prepared[j] : undefined);
    if (targetStmt && voidedTargetId(targetStmt as JsonObject) !== undefined) {
      throw badRequest(`${paths[i]}.object.id: statement ${target} is a voiding statement, and a voiding statement cannot be voided`);
    }
  }

  const fresh: NewStatement[] = [];
  prepared.forEach((p, i) => {
    const existing = byId.get(ids[i]!);
    if (existing) {
      if (!visible.has(existing.id)) idNotAvailable(paths[i]!, existing.id);
      if (!statementsEquivalent(comparable(existing.statement, raws[i]!), comparable(p, raws[i]!))) {
        throw conflict(`${paths[i]}.id: statement ${ids[i]} is already stored with different content`);
      }
      return;
    }
    const targetId = statementTargetId(p);
    const voidsId = voidTargets.get(i);
    fresh.push({
      id: ids[i]!,
      stored,
      statement: p,
      refs: [...statementRefs(p, { credentialKey: auth.credentialKey }), ...(orgRefs[i] ?? [])],
      ...(targetId !== undefined ? { targetId } : {}),
      ...(voidsId !== undefined ? { voidsId } : {}),
    });
  });

  let lastSeq: number | undefined;
  if (fresh.length > 0 || attachments.length > 0) {
    try {
      lastSeq = (await deps.store.statements.insertStatements(fresh, attachments)).lastSeq;
    } catch (err) {
      // Some ids are stored already (earlier or by a concurrent request): equivalent content is
      // accepted without a second copy, different content is 409, the rest is stored.
      if (!isAppError(err) || err.code !== 'conflict') throw err;
      const again = new Map((await deps.store.statements.findStatementsByIds(fresh.map((f) => f.id))).map((a) => [a.id, a]));
      const seen = await visibleIds(deps, auth, [...again.keys()]);
      const missing: NewStatement[] = [];
      for (const f of fresh) {
        const e = again.get(f.id);
        const i = batchIndex.get(f.id)!;
        if (!e) missing.push(f);
        else if (!seen.has(e.id)) idNotAvailable(paths[i]!, e.id);
        else if (!statementsEquivalent(comparable(e.statement, raws[i]!), comparable(f.statement, raws[i]!))) {
          throw conflict(`${paths[i]}.id: statement ${f.id} is already stored with different content`);
        }
      }
      if (missing.length > 0 || attachments.length > 0) lastSeq = (await deps.store.statements.insertStatements(missing, attachments)).lastSeq;
      fresh.splice(0, fresh.length, ...missing);
    }
  }
  if (fresh.length > 0 && mayDefine(auth)) {
    await updateActivityDefinitions(deps, fresh.map((f) => f.statement as JsonObject));
  }
  // Issue 13: the pipeline (progress projection, cmi5 moveOn, ...) follows the stored statements;
  // the hook resolves once the read-your-writes subscribers have seen them.
  if (fresh.length > 0 && deps.afterStatementsStored) await deps.afterStatementsStored(lastSeq, fresh.map((f) => f.statement));
  return ids;
}
