/**
 * A learner's download of their own records (issue 4, narrowed by issue 11): their account data
 * (no password hash, no sign-in counters), their roles, the statements in which one of their
 * identities appears (the `a|` key of each identity, so also statements referencing theirs) —
 * under their mailbox only those written through their own organizations' credentials or the
 * player, not every statement of every organization that names the address — and their State and
 * Agent Profile documents (those kept under their mailbox only once they proved it). Voided statements are left out, as
 * the LRS does for every query.
 *
 * The export is produced as a sequence of JSON text chunks so that a learner with many
 * statements never has them all in memory at once: statements are read page by page.
 */
import type { AppServices } from '../deps';
import { notFound } from '../errors';
import type { StoredDocument } from '../store/ports';
import { accountAgentKey, personAgentKeys } from './erasure';
import { xapiIdentity } from './identity';
import { agentKey } from '../xapi/model/agent-key';
import { playerAuthority } from '../xapi/auth/launch-auth';
import type { UserContext } from './user-context';

const PAGE = 500;

/** A document as exported: JSON documents inline, anything else base64. */
function documentJson(d: StoredDocument): Record<string, unknown> {
  const base = {
    kind: d.key.kind,
    ...(d.key.activityId !== '' ? { activityId: d.key.activityId } : {}),
    agent: d.key.agentKey,
    ...(d.key.registration !== '' ? { registration: d.key.registration } : {}),
    id: d.key.docId,
    contentType: d.contentType,
    updated: d.updated,
  };
  if (/^application\/json\b/i.test(d.contentType)) {
    try {
      return { ...base, content: JSON.parse(d.content.toString('utf8')) as unknown };
    } catch {
      // Stored as JSON but not parseable: fall through to base64, losing nothing.
    }
  }
  return { ...base, contentBase64: d.content.toString('base64') };
}

/**
 * The authorities (as agent keys) of the writers whose statements a person's export covers: the
 * credentials of the person's organizations (revoked ones too: what they wrote stays) and the
 * player. The LRS always sets a statement's authority to its writer's (write-service.ts).
 */
async function ownWriters(s: AppServices, orgIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  const player = agentKey(playerAuthority(s.config));
  if (player !== undefined) out.add(player);
  for (const orgId of new Set(orgIds)) {
    for (const c of await s.store.credentials.findCredentials({ orgId })) {
      const k = agentKey(c.authority);
      if (k !== undefined) out.add(k);
    }
  }
  return out;
}

/**
 * The export of the signed-in person, as JSON text chunks that concatenate to one object:
 * `{ exportedAt, account, identity, agentKeys, memberships, documents, statements }`.
 */
export async function* exportRecords(s: AppServices, me: UserContext): AsyncGenerator<string> {
  const user = await s.store.accounts.findUser(me.userId);
  if (!user) throw notFound(`no person ${me.userId}`);
  const keys = personAgentKeys(user, s.config);
  const memberships = await s.store.accounts.findMemberships({ userId: user.id });
  const documents: Record<string, unknown>[] = [];
  const documentKeys = user.emailVerifiedAt !== undefined ? keys : [accountAgentKey(user, s.config)];

  for (const k of documentKeys) for (const d of await s.store.documents.findDocumentsByAgent(k)) documents.push(documentJson(d));
  // The account identity is LearnHQ's own: statements naming it are the person's whoever wrote them
  // (the LRS lets only their organizations, the player and site credentials write about it). A
  // mailbox anyone can name: only what the person's own organizations and the player wrote counts.
  const accountKey = accountAgentKey(user, s.config);
  const writers = await ownWriters(s, memberships.map((m) => m.orgId));

  const head = {
    exportedAt: s.now().toISOString(),
    account: {
      id: user.id,
      email: user.email,
      name: user.name,
      shareEmail: user.shareEmail,
      isSiteAdmin: user.isSiteAdmin,
      createdAt: user.createdAt,
    },
    identity: xapiIdentity(user, s.config),
    agentKeys: keys,
    memberships: memberships.map((m) => ({ orgId: m.orgId, role: m.role, ...(m.learnerType ? { learnerType: m.learnerType } : {}), since: m.createdAt })),
    documents,
  };
  const text = JSON.stringify(head, null, 2);
  yield `${text.slice(0, -2)},\n  "statements": [`;

  // One statement may carry several of the person's keys: export it once.
  const seen = new Set<string>();
  let first = true;
  for (const k of keys) {
    let afterSeq: number | undefined;
    for (;;) {
      const page = await s.store.statements.findStatements({ allRefs: [`a|${k}`], ascending: true, limit: PAGE, ...(afterSeq !== undefined ? { afterSeq } : {}) });
      const parts: string[] = [];
      for (const st of page.statements) {
        if (seen.has(st.id) || (k !== accountKey && !writers.has(agentKey(st.statement['authority']) ?? ''))) continue;
        seen.add(st.id);
        parts.push(`${first ? '' : ','}\n    ${JSON.stringify(st.statement)}`);
        first = false;
      }
      if (parts.length > 0) yield parts.join('');
      if (page.nextAfterSeq === undefined) break;
      afterSeq = page.nextAfterSeq;
    }
  }
  yield '\n  ]\n}\n';
}
