/**
 * Data builders of the store contract. Index keys are built here as plain strings in the
 * documented `v|` / `A|` / `a|` / `O|` / `o|` / `r|` / `k|` format, so the contract does not depend
 * on the xAPI model. Every builder call makes unique ids, so tests share one store without wiping.
 */
import { randomUUID } from 'node:crypto';
import type { NewStatement, Store } from '../../../src/store/ports';

/** Opens a store for one contract suite; it may already hold data (tests never assume empty). */
export type OpenStore = () => Promise<Store>;

/** Opens a store before the suite's tests and closes it after; returns its getter. */
export function useStore(open: OpenStore): () => Store {
  let store: Store | undefined;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store?.close();
  });
  return () => {
    if (!store) throw new Error('the contract store is not open');
    return store;
  };
}

/** A short token unique to this run, to keep one test's keys apart from every other's. */
export function unique(label = 't'): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

let lastMs = 0;
/** Strictly increasing ISO times, never behind the wall clock (stored must not go backwards). */
export function nextStored(): string {
  lastMs = Math.max(Date.now(), lastMs + 1);
  return new Date(lastMs).toISOString();
}

export const verbKey = (verbId: string): string => `v|${verbId}`;
export const registrationKey = (reg: string): string => `r|${reg}`;
export const directAgentKey = (agent: string): string => `A|${agent}`;
export const relatedAgentKey = (agent: string): string => `a|${agent}`;
export const directActivityKey = (activityId: string): string => `O|${activityId}`;
export const relatedActivityKey = (activityId: string): string => `o|${activityId}`;
export const credentialKey = (key: string): string => `k|${key}`;

/** What a test statement says; every part optional, made unique when left out. */
export interface StatementSpec {
  readonly id?: string;
  readonly stored?: string;
  /** mbox of the actor, e.g. 'mailto:ann@example.com'. */
  readonly actor?: string;
  readonly verb?: string;
  /** Activity id of the object; ignored when `targetId` is given. */
  readonly activity?: string;
  /** Activity ids in context.contextActivities.parent (related only). */
  readonly parents?: readonly string[];
  /** mbox of context.instructor (related only). */
  readonly instructor?: string;
  readonly registration?: string;
  /** Key of the credential that wrote it. */
  readonly credential?: string;
  /** The object is a StatementRef to this id. */
  readonly targetId?: string;
  /** Makes it a voiding statement of this id (object = StatementRef to it). */
  readonly voids?: string;
}

const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';

/** A NewStatement with its JSON and its own refs, as the service would prepare it. */
export function statement(spec: StatementSpec = {}): NewStatement {
  const id = spec.id ?? randomUUID();
  const stored = spec.stored ?? nextStored();
  const actor = spec.actor ?? `mailto:${unique('actor')}@example.com`;
  const verb = spec.voids !== undefined ? VOIDED : spec.verb ?? `http://example.com/verbs/${unique('verb')}`;
  const targetId = spec.voids ?? spec.targetId;
  const activity = spec.activity ?? `http://example.com/activities/${unique('act')}`;
  const agentKey = `mbox:${actor}`;

  const refs = new Set<string>([verbKey(verb), directAgentKey(agentKey), relatedAgentKey(agentKey)]);
  if (targetId === undefined) {
    refs.add(directActivityKey(activity));
    refs.add(relatedActivityKey(activity));
  }
  for (const p of spec.parents ?? []) refs.add(relatedActivityKey(p));
  if (spec.instructor !== undefined) refs.add(relatedAgentKey(`mbox:${spec.instructor}`));
  if (spec.registration !== undefined) refs.add(registrationKey(spec.registration));
  if (spec.credential !== undefined) refs.add(credentialKey(spec.credential));

  const context: Record<string, unknown> = {};
  if (spec.registration !== undefined) context['registration'] = spec.registration;
  if (spec.instructor !== undefined) context['instructor'] = { mbox: spec.instructor };
  if (spec.parents !== undefined) context['contextActivities'] = { parent: spec.parents.map((p) => ({ id: p })) };

  const json: Record<string, unknown> = {
    id,
    actor: { objectType: 'Agent', mbox: actor },
    verb: { id: verb },
    object: targetId !== undefined ? { objectType: 'StatementRef', id: targetId } : { objectType: 'Activity', id: activity },
    ...(Object.keys(context).length > 0 ? { context } : {}),
    timestamp: stored,
    stored,
    version: '1.0.0',
  };
  return {
    id,
    stored,
    statement: json,
    refs: [...refs],
    ...(targetId !== undefined ? { targetId } : {}),
    ...(spec.voids !== undefined ? { voidsId: spec.voids } : {}),
  };
}

/** `count` statements sharing `spec`, with strictly increasing stored times. */
export function statements(count: number, spec: StatementSpec = {}): NewStatement[] {
  return Array.from({ length: count }, () => statement(spec));
}

/** Ids in the order given. */
export const idsOf = (list: readonly { readonly id: string }[]): string[] => list.map((s) => s.id);
