/**
 * Statement forwarding targets and webhooks of organizations (issue 13), and their dead letters.
 * Secrets (Basic credentials of a target LRS, a webhook's signing key) are stored encrypted by the
 * service: adapters keep `secret` as an opaque string.
 */

/** What a target receives: all of the organization's statements, or those matching a filter. */
export interface ForwardFilter {
  /** Verb ids; empty = every verb. */
  readonly verbs: readonly string[];
  /** Activity id prefixes of the object; empty = every object. */
  readonly activityPrefixes: readonly string[];
}

/** Webhook events. */
export type WebhookEvent = 'statement' | 'course.completed' | 'course.passed';

export interface ForwardTarget {
  readonly id: string;
  readonly orgId: string;
  /** 'lrs': POST /statements of another LRS (Basic auth); 'webhook': a signed JSON event per match. */
  readonly kind: 'lrs' | 'webhook';
  readonly name: string;
  /** The LRS endpoint (ending in /) or the webhook URL. */
  readonly url: string;
  readonly filter: ForwardFilter;
  /** Webhooks: which events it gets. */
  readonly events: readonly WebhookEvent[];
  /** Encrypted (src/pipeline/forwarding/secrets.ts): "user:password" of a target LRS, or the webhook's signing key. */
  readonly secret: string;
  readonly createdAt: string;
  readonly createdBy?: string;
}

/** A statement (or webhook event) a target refused too many times. */
export interface DeadLetter {
  readonly id: string;
  readonly targetId: string;
  readonly orgId: string;
  readonly seq: number;
  readonly statementId: string;
  /** Webhooks: the event that failed. */
  readonly event?: WebhookEvent;
  readonly error: string;
  readonly attempts: number;
  readonly at: string;
}

export interface ForwardingStore {
  /** Adds a target; conflict when the id exists. */
  insertForwardTarget(target: ForwardTarget): Promise<void>;
  /** Targets of one organization (all when undefined), oldest first. */
  findForwardTargets(orgId?: string): Promise<ForwardTarget[]>;
  /** One target; undefined when unknown. */
  findForwardTarget(id: string): Promise<ForwardTarget | undefined>;
  /** Deletes a target, its dead letters and its failure count; false when unknown. */
  deleteForwardTarget(id: string): Promise<boolean>;
  /** Adds dead letters; idempotent per id. */
  insertDeadLetters(letters: readonly DeadLetter[]): Promise<void>;
  /** Dead letters of a target in seq order, at most `limit`; [] when none. */
  findDeadLetters(targetId: string, limit: number): Promise<DeadLetter[]>;
  /** Deletes these dead letters of a target; returns how many went. */
  deleteDeadLetters(targetId: string, ids: readonly string[]): Promise<number>;
  /**
   * Counts a failed delivery of the batch starting at `firstSeq` and returns the failures of that
   * batch so far (1 when the last recorded failure was of another batch). Kept in the store so a
   * restart does not give a failing batch its attempts again. One writer per target (its lease).
   */
  recordForwardFailure(targetId: string, firstSeq: number): Promise<number>;
  /** Forgets a target's failure count (its batch went through). */
  clearForwardFailures(targetId: string): Promise<void>;
}
