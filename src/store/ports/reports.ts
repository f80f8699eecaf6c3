/**
 * Report projections (issue 16), kept by the report subscribers of the statement pipeline
 * (src/reports/subscribers.ts) and read by the report pages; never a scan of the statement log.
 *
 * - Learning days: one row per (day, course, learner's organization, learner) with additive
 *   counters. Rows per person (not pre-summed per organization) so that an erasure deletes exactly
 *   that person's part, and "active learners" is a distinct count over any period. Each row keeps
 *   the highest pipeline seq applied to it, which makes a redelivered batch a no-op.
 * - Attempts: one row per statement that carries an outcome (score, success, completion or the
 *   duration of a sitting), keyed by statement id.
 * - Interactions: one row per answered question (xAPI `answered`, SCORM `cmi.interactions` as the
 *   ADL SCORM profile's `responded`), keyed by statement id.
 */

/** A change of one learning-day row, from one pipeline event (negative counters undo a voided statement). */
export interface LearningDayDelta {
  /** UTC day of the statement's timestamp, YYYY-MM-DD. */
  readonly day: string;
  readonly courseId: string;
  /** The course's owner (the provider organization). */
  readonly providerOrgId: string;
  /** The learner's organization of the registration; '' when none. */
  readonly orgId: string;
  readonly userId: string;
  /** The seq of the event this delta comes from: a row applies only deltas above the highest seq it applied. */
  readonly seq: number;
  readonly launches: number;
  readonly completions: number;
  readonly passes: number;
  readonly failures: number;
  readonly timeMs: number;
  readonly statements: number;
}

/** Which rows a report reads. Every given field must match; an empty array matches nothing. */
export interface ReportScope {
  /** First day (YYYY-MM-DD), inclusive. */
  readonly from?: string;
  /** Last day (YYYY-MM-DD), inclusive. */
  readonly to?: string;
  /** Learners' organizations. */
  readonly orgIds?: readonly string[];
  /** Course owners. */
  readonly providerOrgIds?: readonly string[];
  readonly courseIds?: readonly string[];
  readonly userIds?: readonly string[];
}

/** What learning totals are grouped by: a period of the day, or a dimension, or nothing. */
export type LearningGroup = 'none' | 'day' | 'week' | 'month' | 'course' | 'org' | 'provider' | 'user';

/** Sums over the learning-day rows of one group. */
export interface LearningTotals {
  /** The group's key: the day, the Monday of the week, YYYY-MM, or the id; '' for 'none'. */
  readonly key: string;
  /** Distinct learners with at least one counted statement. */
  readonly learners: number;
  readonly launches: number;
  readonly completions: number;
  readonly passes: number;
  readonly failures: number;
  readonly timeMs: number;
  readonly statements: number;
}

/** Fields every attempt and interaction row shares. */
export interface ReportFactBase {
  /** The statement id (lower case): the row's key. */
  readonly id: string;
  readonly seq: number;
  readonly registration: string;
  readonly courseId: string;
  readonly providerOrgId: string;
  readonly orgId: string;
  readonly userId: string;
  /** UTC day of the statement timestamp. */
  readonly day: string;
  /** The statement timestamp. */
  readonly at: string;
}

/** One outcome statement of a registration. */
export interface ReportAttempt extends ReportFactBase {
  /** Last segment of the verb IRI: passed, failed, completed, terminated, scored, ... */
  readonly verb: string;
  readonly scoreScaled?: number;
  readonly success?: boolean;
  readonly completed?: boolean;
  readonly durationMs?: number;
}

/** One answer to a question. */
export interface ReportInteraction extends ReportFactBase {
  /** The question's activity id. */
  readonly activityId: string;
  /** The question's name or description ('' when it has none). */
  readonly name: string;
  readonly interactionType: string;
  /** The learner's response as the statement gave it ('' when none). */
  readonly response: string;
  /** result.success, when the statement said. */
  readonly correct?: boolean;
  readonly durationMs?: number;
}

/** The answers to one question in scope, summed for item analysis (findItemStats). */
export interface ItemAggregate {
  readonly activityId: string;
  /** The name of the earliest answer (by seq) that has one; '' when none has. */
  readonly name: string;
  /** The interaction type of that answer (of the earliest answer when none has a name). */
  readonly interactionType: string;
  readonly answers: number;
  /** Distinct learners who answered. */
  readonly learners: number;
  /** The learners' organizations, distinct, ordered. */
  readonly orgIds: readonly string[];
  /** Answers that said whether they were correct, and those that were. */
  readonly judged: number;
  readonly correct: number;
  /** Answers that gave a duration, and their total. */
  readonly timed: number;
  readonly timeMs: number;
  /** Every wrong response with how often it was given, ordered by response. */
  readonly wrong: readonly { readonly response: string; readonly count: number }[];
}

/** The three report projections, each kept by its own subscriber. */
export type ReportPart = 'days' | 'attempts' | 'interactions';

/** A report's filters saved under a name, shared with everyone of its organization who may see reports. */
export interface SavedReport {
  readonly id: string;
  /** The organization it belongs to: only its people see it. */
  readonly orgId: string;
  readonly name: string;
  /** Which report: 'overview', 'course', 'statements', ... (the page's path under /reports). */
  readonly report: string;
  /** The report's query string parameters. */
  readonly params: Readonly<Record<string, string>>;
  readonly createdBy: string;
  readonly createdAt: string;
}

export interface ReportStore {
  /**
   * Applies deltas. A row applies a delta only when its seq is above the highest seq the row has
   * applied, so applying the same deltas again changes nothing (idempotent); deltas of one row
   * must be given in seq order. Creates rows on first use.
   */
  applyLearningDays(deltas: readonly LearningDayDelta[]): Promise<void>;
  /** Sums of the rows in scope, one per group, ordered by key; [] when none. */
  findLearningTotals(scope: ReportScope, groupBy: LearningGroup): Promise<LearningTotals[]>;
  /**
   * The same as findLearningTotals(scope, g) for each of `groups` (in that order), from one read of
   * the rows in scope: a report that shows several groupings pays one scan, not one per grouping.
   */
  findLearningTotalsByGroups(scope: ReportScope, groups: readonly LearningGroup[]): Promise<LearningTotals[][]>;
  /**
   * A token that changes whenever a learning-day row changes (applied deltas, erasure, reset), read
   * from the store so that every instance sees it: a cache of learning totals keyed by it is never
   * stale. Opaque; compare for equality only.
   */
  findLearningDaysVersion(): Promise<string>;
  /** Stores attempt rows; a row whose id exists is left as it is (idempotent). */
  insertAttempts(rows: readonly ReportAttempt[]): Promise<void>;
  /** Attempt rows in scope ordered by seq, at most `limit` (default 100,000); [] when none. */
  findAttempts(scope: ReportScope, limit?: number): Promise<ReportAttempt[]>;
  /** Stores interaction rows; a row whose id exists is left as it is (idempotent). */
  insertInteractions(rows: readonly ReportInteraction[]): Promise<void>;
  /** Interaction rows in scope ordered by seq, at most `limit` (default 100,000); [] when none. */
  findInteractions(scope: ReportScope, limit?: number): Promise<ReportInteraction[]>;
  /**
   * The interaction rows in scope summed per question, ordered by activity id: what
   * itemAggregatesOf(findInteractions(scope, ∞)) answers, without reading every row into memory.
   */
  findItemStats(scope: ReportScope): Promise<ItemAggregate[]>;
  /** Deletes the rows of these statement ids from an attempts or interactions projection (voiding); returns how many went. */
  deleteReportFacts(part: 'attempts' | 'interactions', statementIds: readonly string[]): Promise<number>;
  /** Deletes every row about a person from these projections (erasure); returns how many went; idempotent. */
  deleteReportUser(userId: string, parts: readonly ReportPart[]): Promise<number>;
  /** Deletes every row of these projections (rebuild). */
  resetReports(parts: readonly ReportPart[]): Promise<void>;
  /** Stores a saved report; an existing id is replaced. */
  putSavedReport(report: SavedReport): Promise<void>;
  /** The organization's saved reports ordered by name; [] when none. */
  listSavedReports(orgId: string): Promise<SavedReport[]>;
  /** One saved report of that organization; undefined when absent or another organization's. */
  getSavedReport(orgId: string, id: string): Promise<SavedReport | undefined>;
  /** Deletes one saved report of that organization; false when absent or another organization's. */
  deleteSavedReport(orgId: string, id: string): Promise<boolean>;
}
