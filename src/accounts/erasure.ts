/**
 * Erasure of one person's records everywhere (issue 4), by the site administrator. What goes:
 * - every statement in which any of the person's agent identities appears (actor, object,
 *   authority, instructor, team, context agents/groups, group members, inside a SubStatement:
 *   the `a|` key), and statements that reference such a statement (they inherit the key) —
 *   exactly the statements of their export, see docs/adr/0007-data-boundaries.md;
 * - attachment contents no remaining statement declares;
 * - their State and Agent Profile documents;
 * - whatever later areas register with registerErasureStep (projections, files);
 * and the account is disabled, every session ended and launch tokens stop working. The audit
 * entry `person.erase` says who did it, when, and how much went.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config';
import type { AppServices } from '../deps';
import { badRequest, notFound } from '../errors';
import type { AuditEntry, User } from '../store/ports';
import { forgetPerson } from '../xapi/org-scope';
import { agentKey } from '../xapi/model/agent-key';
import { assertSiteAdmin } from './access';
import { recordAudit } from './audit';
import { xapiActor } from './identity';
import { endUserSessions } from './sessions';
import type { UserContext } from './user-context';

/**
 * Every agent key that may stand for the person in the LRS: their account identity, and their
 * email as mbox and mbox_sha1sum (outside tools may have identified them by email even when they
 * do not share it in their LearnHQ identity). Whether the email counts depends on the use: see
 * erasableAgentKeys and records-export.ts.
 */
export function personAgentKeys(user: Pick<User, 'id' | 'name' | 'email'>, config: Pick<Config, 'publicUrl'>): string[] {
  return [accountAgentKey(user, config), ...mailboxAgentKeys(user)];
}

/** The agent key of the person's LearnHQ account identity. */
export function accountAgentKey(user: Pick<User, 'id' | 'name'>, config: Pick<Config, 'publicUrl'>): string {
  return agentKey(xapiActor(user, config)) ?? `account:${config.publicUrl}|${user.id}`;
}

/** The agent keys of the person's email: as mbox and as mbox_sha1sum. */
export function mailboxAgentKeys(user: Pick<User, 'email'>): string[] {
  const mbox = `mailto:${user.email.toLowerCase()}`;
  return [`mbox:${mbox}`, `mbox_sha1sum:${createHash('sha1').update(mbox, 'utf8').digest('hex')}`];
}

/**
 * The keys erasure deletes by: the account, and the mailbox only once the person proved it is
 * theirs (issue 11). Erasure deletes what every organization stored, so an address somebody merely
 * claimed must not take other people's records with it.
 */
export function erasableAgentKeys(user: Pick<User, 'id' | 'name' | 'email' | 'emailVerifiedAt'>, config: Pick<Config, 'publicUrl'>): string[] {
  return user.emailVerifiedAt !== undefined ? personAgentKeys(user, config) : [accountAgentKey(user, config)];
}

/** One more kind of record to erase (projections, files…): returns how many records went. */
export type ErasureStep = (s: AppServices, person: { readonly userId: string; readonly agentKeys: readonly string[] }) => Promise<number>;

const steps = new Map<string, ErasureStep>();

/** Adds an erasure step under `name` (its count appears under that name in the audit entry). Idempotent per name. */
export function registerErasureStep(name: string, step: ErasureStep): void {
  steps.set(name, step);
}

/** How much an erasure removed. */
export interface ErasureResult {
  readonly userId: string;
  readonly statements: number;
  readonly attachments: number;
  readonly documents: number;
  readonly sessions: number;
  /** Counts of registered steps (projections, files…), by name. */
  readonly other: Readonly<Record<string, number>>;
  readonly audit: AuditEntry;
}

const PAGE = 500;

/** sha2 of every attachment declared by the statements carrying `ref` (before they go). */
async function attachmentHashes(s: AppServices, ref: string): Promise<string[]> {
  const out = new Set<string>();
  let afterSeq: number | undefined;
  for (;;) {
    const page = await s.store.statements.findStatements({ allRefs: [ref], ascending: true, limit: PAGE, ...(afterSeq !== undefined ? { afterSeq } : {}) });
    for (const st of page.statements) {
      const atts = st.statement['attachments'];
      if (Array.isArray(atts)) for (const a of atts) {
        const sha = (a as Record<string, unknown> | null)?.['sha2'];
        if (typeof sha === 'string') out.add(sha.toLowerCase());
      }
    }
    if (page.nextAfterSeq === undefined) return [...out];
    afterSeq = page.nextAfterSeq;
  }
}

/**
 * Erases one person (site administrator only; 403 otherwise, 404 for an unknown user, 400 for
 * oneself). Idempotent: erasing again finds nothing more and records another audit entry.
 */
export async function erasePerson(s: AppServices, actor: UserContext, userId: string): Promise<ErasureResult> {
  assertSiteAdmin(actor);
  if (userId === actor.userId) throw badRequest('userId: a site administrator cannot erase themselves');
  const user = await s.store.accounts.findUser(userId);
  if (!user) throw notFound(`no person ${userId}`);

  // First shut every door (sign-in, sessions, launch tokens), then delete.
  await s.store.accounts.updateUser(userId, { disabledAt: user.disabledAt ?? s.now().toISOString() });
  const sessions = await endUserSessions(s, userId);
  forgetPerson(s.store, userId);

  const keys = erasableAgentKeys(user, s.config);
  let statements = 0;
  let documents = 0;
  const hashes = new Set<string>();
  for (const key of keys) {
    for (const h of await attachmentHashes(s, `a|${key}`)) hashes.add(h);
    statements += await s.store.statements.deleteStatementsWithRef(`a|${key}`);
    // Every A| statement also has the a| key, so this deletes nothing more; it drops the key itself.
    await s.store.statements.deleteStatementsWithRef(`A|${key}`);
    documents += await s.store.documents.deleteDocumentsByAgent(key);
  }
  const attachments = hashes.size > 0 ? await s.store.statements.deleteUnreferencedAttachments([...hashes]) : 0;
  const other: Record<string, number> = {};
  for (const [name, step] of steps) other[name] = await step(s, { userId, agentKeys: keys });

  const audit = await recordAudit(s, actor, {
    action: 'person.erase',
    target: userId,
    details: { statements, attachments, documents, sessions, ...other },
  });
  s.logger.info({ userId, by: actor.userId, statements, documents, attachments }, 'person erased');
  return { userId, statements, attachments, documents, sessions, other, audit };
}
