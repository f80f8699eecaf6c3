/**
 * Launch records: registrations (one per learner and course version), attempts (one per pass
 * through the course within a registration), per-SCO runtime data of an attempt, and launch
 * sessions (one per press of Launch/Resume/Review). Format-neutral: the SCORM runtime keeps cmi
 * data per SCO; xAPI and cmi5 launches use registrations, attempts and sessions and may keep their
 * own state in `LaunchSession.data`.
 */

/** How a launch was opened (cmi5 and SCORM 2004 share these words; SCORM 1.2 maps review → 'review'). */
export type LaunchMode = 'normal' | 'review' | 'browse';

/** Completion of an attempt or SCO, in SCORM 2004 words (1.2 statuses map onto them). */
export type CompletionState = 'unknown' | 'incomplete' | 'completed' | 'not attempted';
/** Success of an attempt or SCO. */
export type SuccessState = 'unknown' | 'passed' | 'failed';

/** A learner's binding to one version of a course. Never deleted by the player. */
export interface Registration {
  /** The xAPI registration (a lower-case UUID). */
  readonly id: string;
  readonly userId: string;
  readonly courseId: string;
  /** The course version this registration is bound to for its whole life. */
  readonly versionId: string;
  /**
   * The learner's organization the learning records of this registration belong to (launch
   * tokens carry it, so statements written with them are scoped to it); absent when the learner
   * has no organization (a site administrator trying a course).
   */
  readonly orgId?: string;
  readonly createdAt: string;
}

/** One attempt at the course within a registration. */
export interface Attempt {
  /** UUID; also the tail of the attempt activity IRI in the SCORM profile statements. */
  readonly id: string;
  readonly registrationId: string;
  /** 1, 2, ... within the registration; unique per registration. */
  readonly number: number;
  /** Course-level completion (SCORM rollup or the single SCO's status). */
  readonly completion: CompletionState;
  readonly success: SuccessState;
  /** Course-level scaled score (-1..1) when known. */
  readonly scoreScaled?: number;
  /** Time spent in this attempt, seconds (sum of SCO total times). */
  readonly totalSeconds: number;
  /** True while the learner has suspended (exit=suspend / suspendAll) and not yet finished. */
  readonly suspended: boolean;
  /** SCO (item identifier) to resume at. */
  readonly lastScoId?: string;
  /** Format-specific course-level state (SCORM 2004 sequencing snapshot, global objectives). */
  readonly state?: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When the attempt became completed (or passed/failed); absent while open. */
  readonly completedAt?: string;
}

/** Fields of an attempt a runtime commit may change; omitted fields stay. `null` clears. */
export interface AttemptPatch {
  readonly completion?: CompletionState;
  readonly success?: SuccessState;
  readonly scoreScaled?: number | null;
  readonly totalSeconds?: number;
  readonly suspended?: boolean;
  readonly lastScoId?: string | null;
  readonly state?: Readonly<Record<string, unknown>> | null;
  readonly completedAt?: string | null;
  /** Required: every change moves updatedAt. */
  readonly updatedAt: string;
}

/** The stored run-time data of one SCO in one attempt. */
export interface ScoRuntime {
  readonly attemptId: string;
  /** Item identifier of the SCO in the manifest. */
  readonly scoId: string;
  /** Commit sequence number of the stored data (highest applied so far). */
  readonly seq: number;
  /** The full cmi object as scorm-again renders it (`{ cmi: {...} }` minus nothing). */
  readonly cmi: Readonly<Record<string, unknown>>;
  /**
   * SCO attempts started so far within this (course) attempt, at least 1: a SCO re-entered after a
   * normal exit starts a new one (SCORM 2004 limitConditions attemptLimit counts them). Absent on
   * data stored before it was tracked; readers take 1.
   */
  readonly scoAttempts?: number;
  readonly updatedAt: string;
}

/** One launch: what the player page and the content-origin launcher open. */
export interface LaunchSession {
  /** Random UUID; it appears in /play/:id and /launch/:id URLs. */
  readonly id: string;
  readonly registrationId: string;
  readonly attemptId: string;
  readonly userId: string;
  readonly courseId: string;
  readonly versionId: string;
  readonly mode: LaunchMode;
  /** The launchable (SCO, AU, activity) to start at; absent = the format's default start. */
  readonly scoId?: string;
  /** Format-specific state (cmi5 session id, returnURL...) owned by the format's launch module. */
  readonly data?: Readonly<Record<string, unknown>>;
  /**
   * Seconds the learner spent on the player page of this session, as the page measured them
   * (the highest report; see recordPlayerTime). Absent until the page reports.
   */
  readonly playerSeconds?: number;
  readonly createdAt: string;
  /** After this, the session and its launch token are refused. */
  readonly expiresAt: string;
}

/** Result of {@link LaunchStore.commitRuntime}. */
export interface CommitOutcome {
  /** False when a commit with this or a higher sequence number was stored before (a no-op). */
  readonly applied: boolean;
  /** Sequence number now stored for the SCO. */
  readonly seq: number;
}

export interface LaunchStore {
  /**
   * Stores a registration. Throws AppError('conflict') when the id, or a registration of the same
   * user for the same course version, exists (so two racing first launches make one).
   */
  insertRegistration(registration: Registration): Promise<void>;
  /** undefined when none. */
  findRegistration(id: string): Promise<Registration | undefined>;
  /**
   * The registrations of these ids that exist, in no particular order (one read for a batch of
   * statements); [] when none. Ids are matched exactly (registrations are stored lower case).
   */
  findRegistrationsByIds(ids: readonly string[]): Promise<Registration[]>;
  /** A user's registrations for a course, newest (createdAt, then id) first; [] when none. */
  findRegistrations(query: { readonly userId: string; readonly courseId: string }): Promise<Registration[]>;

  /**
   * Stores an attempt. Throws AppError('conflict') when the id or (registrationId, number) exists,
   * so two racing "new attempt" requests make one attempt n.
   */
  insertAttempt(attempt: Attempt): Promise<void>;
  /** undefined when none. */
  findAttempt(id: string): Promise<Attempt | undefined>;
  /** Attempts of a registration in number order; [] when none. */
  findAttempts(registrationId: string): Promise<Attempt[]>;
  /** Attempts of these registrations, by registration id then number; [] when none. */
  findAttemptsOf(registrationIds: readonly string[]): Promise<Attempt[]>;
  /** Applies a patch; returns the updated attempt, undefined when none. Last write wins. */
  updateAttempt(id: string, patch: AttemptPatch): Promise<Attempt | undefined>;

  /**
   * Stores the runtime data of a SCO (cmi and scoAttempts together) when `seq` is higher than the
   * stored sequence number (or none is stored). Idempotent: a repeated or older commit changes
   * nothing and reports applied=false.
   */
  commitRuntime(runtime: ScoRuntime): Promise<CommitOutcome>;
  /** Runtime data of an attempt, every SCO or the one named, ordered by scoId; [] when none. */
  findRuntime(attemptId: string, scoId?: string): Promise<ScoRuntime[]>;

  /** Stores a launch session. Throws AppError('conflict') when the id exists. */
  insertLaunchSession(session: LaunchSession): Promise<void>;
  /** undefined when none. */
  findLaunchSession(id: string): Promise<LaunchSession | undefined>;
  /** Replaces a session's `data`; returns the updated session, undefined when none. */
  updateLaunchSessionData(id: string, data: Readonly<Record<string, unknown>>): Promise<LaunchSession | undefined>;
  /**
   * Raises a session's playerSeconds to `seconds` (never lowers it: reports are cumulative, and an
   * older one may arrive last). Returns false when there is no such session. Idempotent.
   */
  recordPlayerTime(id: string, seconds: number): Promise<boolean>;
  /** Sessions of these attempts, oldest createdAt first; [] when none. */
  findLaunchSessions(query: { readonly attemptIds: readonly string[] }): Promise<LaunchSession[]>;
  /**
   * Claims a one-time use of `key` (e.g. `cmi5-fetch:<sessionId>`): true the first time, false
   * ever after, also under concurrent calls on several instances.
   */
  claimOnce(key: string, at: string): Promise<boolean>;

  /**
   * Erasure of a person: deletes every registration of the user with its attempts, runtime data
   * and launch sessions. Returns the deleted registration ids (so projections keyed by them can
   * go too) and how many records were deleted. Idempotent: nothing left means ([], 0).
   */
  deleteUserLaunchData(userId: string): Promise<{ readonly registrations: readonly string[]; readonly deleted: number }>;
}
