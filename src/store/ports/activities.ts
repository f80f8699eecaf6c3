/**
 * Canonical activity definitions, as the LRS knows them from statements sent by credentials
 * allowed to define activities. Served by the Activities resource (GET /xapi/activities).
 */

export interface ActivityRecord {
  /** Activity IRI. */
  readonly id: string;
  /** The canonical definition JSON (already merged by the service). */
  readonly definition: Record<string, unknown>;
  /** ISO time of the last change. */
  readonly updated: string;
}

export interface ActivityStore {
  /** The activity record, or undefined when no definition is known. */
  findActivity(id: string): Promise<ActivityRecord | undefined>;
  /** Records by id for several activities; unknown ids are absent; no order. */
  findActivities(ids: readonly string[]): Promise<ActivityRecord[]>;
  /** Creates or replaces each record (last write wins); idempotent. */
  upsertActivities(records: readonly ActivityRecord[]): Promise<void>;
}
