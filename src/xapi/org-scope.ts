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
import { forbidden } from '../errors';
import type { Store } from '../store/ports';
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
 */
export class PersonDirectory {
  private readonly byAgent = new Map<string, Entry>();
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

  /** The LearnHQ person an agent key stands for, if any: their account, or their email when they share it and proved it. */
  async personOfAgent(key: string): Promise<PersonInfo | undefined> {
    return this.cached(this.byAgent, key, async () => {
      if (key.startsWith(this.accountPrefix)) return this.load(key.slice(this.accountPrefix.length));
      if (key.startsWith('mbox:mailto:')) {
        const user = await this.store.accounts.findUserByEmail(key.slice('mbox:mailto:'.length));
        // Only a proven address stands for the person (issue 11): anyone can claim an unproven one.
        return user && user.shareEmail && user.emailVerifiedAt !== undefined ? this.load(user.id) : undefined;
      }
      return undefined;
    });
  }

  /** The person with this user id; undefined when unknown. */
  async personById(userId: string): Promise<PersonInfo | undefined> {
    return this.cached(this.byUser, userId, () => this.load(userId));
  }

  /** Forgets cached answers (all, or those of one person): call after role changes and erasure. */
  forget(userId?: string): void {
    if (userId === undefined) {
      this.byAgent.clear();
      this.byUser.clear();
      return;
    }
    this.byUser.delete(userId);
    for (const [k, e] of this.byAgent) if (e.person?.userId === userId || k === `${this.accountPrefix}${userId}`) this.byAgent.delete(k);
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

/** Agent keys of an actor: the Agent, or an identified Group and its identified members. */
function actorKeys(actor: unknown): string[] {
  if (!isJsonObject(actor)) return [];
  const keys: string[] = [];
  const k = agentKey(actor);
  if (k) keys.push(k);
  const members = actor['member'];
  if (Array.isArray(members)) for (const m of members) {
    const mk = agentKey(m);
    if (mk) keys.push(mk);
  }
  return keys;
}

/**
 * The `g|` keys of each statement of a batch (same order): the writer's organization and the
 * organizations of the actor (and of an actor Group's members) when they are LearnHQ people.
 */
export async function statementOrgRefs(
  deps: { readonly store: Store; readonly config: Pick<Config, 'publicUrl'> },
  auth: AuthContext,
  statements: readonly JsonObject[],
): Promise<string[][]> {
  const dir = personDirectory(deps);
  const orgsOf = new Map<string, readonly string[]>();
  for (const s of statements) {
    for (const k of actorKeys(s['actor'])) {
      if (!orgsOf.has(k)) orgsOf.set(k, (await dir.personOfAgent(k))?.orgs ?? []);
    }
  }
  return statements.map((s) => {
    const orgs = new Set<string>();
    if (auth.orgId !== undefined) orgs.add(auth.orgId);
    for (const k of actorKeys(s['actor'])) for (const o of orgsOf.get(k) ?? []) orgs.add(o);
    return [...orgs].map((o) => `g|${o}`);
  });
}

/**
 * Documents (State, Agent Profile) are not keyed by organization; instead a credential of an
 * organization may touch the documents of a LearnHQ person only when that person is a member of
 * it (403 otherwise). Agents that are not LearnHQ people (outside tools' own learners) are not
 * restricted: nothing says which organization they belong to. Site credentials pass.
 */
export async function assertOrgMayAccessAgent(
  deps: { readonly store: Store; readonly config: Pick<Config, 'publicUrl'> },
  auth: AuthContext,
  key: string,
): Promise<void> {
  if (auth.orgId === undefined || auth.restriction !== undefined) return;
  const person = await personDirectory(deps).personOfAgent(key);
  if (person && !person.orgs.includes(auth.orgId)) {
    throw forbidden(`agent: the credential of organization ${auth.orgId} may not access documents of a person outside it`);
  }
}
