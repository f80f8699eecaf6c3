/**
 * Organization scoping of learning records (issue 4). Every stored statement carries `g|<orgId>`
 * for the organization of the credential that wrote it and for every organization its actor is a
 * member of, when the actor is a LearnHQ person. A Basic credential of an organization then reads
 * only statements with its key (src/xapi/auth/restriction.ts adds it to every query).
 *
 * `g|` is an ownership key (src/store/ref-kinds.ts): it is never inherited through StatementRefs,
 * so organization B cannot see organization A's statement by referencing it.
 */
import type { Config } from '../config';
import { forbidden, notFound } from '../errors';
import type { Store, User } from '../store/ports';
import type { AuthContext } from './auth/auth-context';
import { agentKey } from './model/agent-key';
import { isJsonObject, type JsonObject } from './model/types';

/** A LearnHQ person as the LRS needs to know them. */
export interface PersonInfo {
  readonly userId: string;
  /** Organizations where they hold any role. */
  readonly orgs: readonly string[];
  /** Set once the person was disabled or erased. */
  readonly disabled: boolean;
  /** Launch tokens granted at or before this time (ms) are refused (sign-out, reset, role removal). */
  readonly launchTokensEndedMs?: number;
}

/** How long person → organizations answers are trusted (role changes elsewhere apply within this). */
export const PERSON_CACHE_MS = 5_000;
const CACHE_LIMIT = 10_000;

interface Entry {
  readonly person: PersonInfo | undefined;
  readonly until: number;
}

/**
 * Maps agent keys and user ids to LearnHQ people and their organizations, with a short-lived
 * in-memory cache so the statement write path costs one Map lookup per actor in steady state.
 *
 * Two questions, cached apart:
 * - personOfAgent: whom a statement's actor stands for, to file it (g| keys) and to decide who
 *   may write it: their account, or their email (mbox or mbox_sha1sum) when they share it.
 * - personOfIdentity: whose documents an agent addresses: their account or their email in either
 *   form, shared or not (outside tools may key State by email), so no identifier form escapes
 *   the organization rule of documents.
 * No LearnHQ person has an openid, so an openid never names one.
 */
export class PersonDirectory {
  private readonly byAgent = new Map<string, Entry>();
  private readonly byIdentity = new Map<string, Entry>();
  private readonly byUser = new Map<string, Entry>();
  private readonly accountPrefix: string;

  constructor(
    private readonly store: Store,
    config: Pick<Config, 'publicUrl'>,
    private readonly ttlMs = PERSON_CACHE_MS,
  ) {
    // The person's identity (src/accounts/identity.ts): account { homePage: publicUrl, name: userId }.
    this.accountPrefix = `account:${config.publicUrl}|`;
  }

  /** The LearnHQ person an actor's agent key stands for, if any: their account, or their email (either form) when they share it. */
  async personOfAgent(key: string): Promise<PersonInfo | undefined> {
    return this.cached(this.byAgent, key, () => this.resolve(key, true));
  }

  /** The LearnHQ person an agent key identifies in any form: account, or their email (mbox or mbox_sha1sum), shared or not. */
  async personOfIdentity(key: string): Promise<PersonInfo | undefined> {
    return this.cached(this.byIdentity, key, () => this.resolve(key, false));
  }

  /** The person with this user id; undefined when unknown. */
  async personById(userId: string): Promise<PersonInfo | undefined> {
    return this.cached(this.byUser, userId, () => this.load(userId));
  }

  /** Forgets cached answers (all, or those of one person): call after role changes and erasure. */
  forget(userId?: string): void {
    if (userId === undefined) {
      this.byAgent.clear();
      this.byIdentity.clear();
      this.byUser.clear();
      return;
    }
    this.byUser.delete(userId);
    for (const map of [this.byAgent, this.byIdentity]) {
      for (const [k, e] of map) if (e.person?.userId === userId || k === `${this.accountPrefix}${userId}`) map.delete(k);
    }
  }

  private async resolve(key: string, sharedEmailOnly: boolean): Promise<PersonInfo | undefined> {
    if (key.startsWith(this.accountPrefix)) return this.load(key.slice(this.accountPrefix.length));
    let user: User | undefined;
    if (key.startsWith('mbox:mailto:')) user = await this.store.accounts.findUserByEmail(key.slice('mbox:mailto:'.length));
    else if (key.startsWith('mbox_sha1sum:')) user = await this.store.accounts.findUserByMailboxSha1(key.slice('mbox_sha1sum:'.length));
    // Only a proven address stands for the person (issue 11): anyone can claim an unproven one.
    return user && user.emailVerifiedAt !== undefined && (user.shareEmail || !sharedEmailOnly) ? this.load(user.id) : undefined;
  }

  private async load(userId: string): Promise<PersonInfo | undefined> {
    const user = await this.store.accounts.findUser(userId);
    if (!user) return undefined;
    const orgs = [...new Set((await this.store.accounts.findMemberships({ userId })).map((m) => m.orgId))];
    return {
      userId,
      orgs,
      disabled: user.disabledAt !== undefined,
      ...(user.launchTokensEndedAt !== undefined ? { launchTokensEndedMs: Date.parse(user.launchTokensEndedAt) } : {}),
    };
  }

  private async cached(map: Map<string, Entry>, key: string, load: () => Promise<PersonInfo | undefined>): Promise<PersonInfo | undefined> {
    const now = Date.now();
    const hit = map.get(key);
    if (hit && hit.until > now) return hit.person;
    const person = await load();
    if (map.size >= CACHE_LIMIT) map.clear();
    map.set(key, { person, until: now + this.ttlMs });
    return person;
  }
}

// One directory per store, like the session cache: each app (and each test app) has its own.
const directories = new WeakMap<Store, PersonDirectory>();

/** The person directory of this store. */
export function personDirectory(deps: { readonly store: Store; readonly config: Pick<Config, 'publicUrl'> }): PersonDirectory {
  let d = directories.get(deps.store);
  if (!d) {
    d = new PersonDirectory(deps.store, deps.config);
    directories.set(deps.store, d);
  }
  return d;
}

/**
 * Drops cached person answers of this store (all, or one person's), so role changes and erasure
 * apply at once in this process. The accounts service should call it beside forgetUser().
 */
export function forgetPerson(store: Store, userId?: string): void {
  directories.get(store)?.forget(userId);
}

/** Agent keys of an actor with where each sits: the Agent or identified Group, and a Group's identified members. */
function actorKeys(actor: unknown): { readonly key: string; readonly at: string }[] {
  if (!isJsonObject(actor)) return [];
  const keys: { key: string; at: string }[] = [];
  const k = agentKey(actor);
  if (k) keys.push({ key: k, at: '' });
  const members = actor['member'];
  if (Array.isArray(members)) {
    members.forEach((m, i) => {
      const mk = agentKey(m);
      if (mk) keys.push({ key: mk, at: `.member[${i}]` });
    });
  }
  return keys;
}

/**
 * Files each statement of a batch (same order) under its organizations, after checking who may
 * write it. Returns the `g|` keys: the writer's organization and the organizations of the actor
 * (and of an actor Group's members) when they are LearnHQ people.
 *
 * Who may write about whom (issue 11 item 3): a statement whose actor, or a member of its actor
 * Group, is a LearnHQ person (their account, or their shared email in either form) is accepted
 * from a credential of one of that person's organizations, from a site credential (no
 * organization) and from a launch token (src/xapi/auth/restriction.ts already holds it to its own
 * learner). Any other organization's credential gets 403 naming the rule, before anything is
 * stored; the message never says which organization the person belongs to. Person lookups go
 * through the directory cache, so steady-state ingest adds no store read per statement.
 */
export async function statementOrgRefs(
  deps: { readonly store: Store; readonly config: Pick<Config, 'publicUrl'> },
  auth: AuthContext,
  statements: readonly JsonObject[],
  paths: readonly string[],
): Promise<string[][]> {
  const dir = personDirectory(deps);
  const orgsOf = new Map<string, readonly string[] | undefined>();
  const keysOf = statements.map((s) => actorKeys(s['actor']));
  for (const keys of keysOf) {
    for (const { key } of keys) if (!orgsOf.has(key)) orgsOf.set(key, (await dir.personOfAgent(key))?.orgs);
  }
  const writerOrg = auth.restriction === undefined && !auth.lmsWriter ? auth.orgId : undefined;
  return keysOf.map((keys, i) => {
    const orgs = new Set<string>();
    if (auth.orgId !== undefined) orgs.add(auth.orgId);
    for (const { key, at } of keys) {
      const personOrgs = orgsOf.get(key);
      if (personOrgs === undefined) continue;
      if (writerOrg !== undefined && !personOrgs.includes(writerOrg)) {
        throw forbidden(
          `${paths[i] ?? `statements[${i}]`}.actor${at}: this agent is a LearnHQ person outside the credential's organization; ` +
            'an organization\'s credential may only write statements about its own organization\'s people (ask that person\'s organization, or use a site credential)',
        );
      }
      for (const o of personOrgs) orgs.add(o);
    }
    return [...orgs].map((o) => `g|${o}`);
  });
}

/**
 * Documents (State, Agent Profile) are not keyed by organization; instead a credential of an
 * organization may touch the documents of a LearnHQ person only when that person is a member of
 * it. The person may be named by any identifier form (personOfIdentity). Outside it the answer is
 * 404, as for a document that does not exist (issue 11 items 4 and 5): the credential learns
 * nothing about another organization's records. Agents that are not LearnHQ people (outside
 * tools' own learners) are not restricted: nothing says which organization they belong to. Site
 * credentials pass; launch tokens are held to their learner by src/xapi/auth/restriction.ts.
 */
export async function assertOrgMayAccessAgent(
  deps: { readonly store: Store; readonly config: Pick<Config, 'publicUrl'> },
  auth: AuthContext,
  key: string,
  notFoundMessage: string,
): Promise<void> {
  if (auth.orgId === undefined || auth.restriction !== undefined) return;
  const person = await personDirectory(deps).personOfIdentity(key);
  if (person && !person.orgs.includes(auth.orgId)) throw notFound(notFoundMessage);
}
