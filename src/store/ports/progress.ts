/**
 * Progress projection and cmi5 session records.
 *
 * Progress: one row per registration (the course row: learner, course, course-level status and
 * totals) and one row per tracked unit (SCO, AU, xAPI activity) of that registration. Rows are
 * created by the player when a registration is first launched (`insertProgressTrack`) and then
 * moved only by deltas computed from stored statements (src/launch/progress/project.ts), so
 * every change is commutative: counters add, completion only rises, success and score keep the
 * value of the latest statement timestamp. That lets both engines apply deltas without
 * transactions or read-modify-write.
 *
 * cmi5: the LMS side of an AU launch session (src/launch/cmi5/**) and once-only marks of a
 * registration (completed/passed per AU, satisfied per block and course, fetch per session).
 */

/** Course-level or unit completion (SCORM 2004 words, as in the launch port). */
export type ProgressCompletion = 'not attempted' | 'incomplete' | 'completed';
/** Course-level or unit success. */
export type ProgressSuccess = 'unknown' | 'passed' | 'failed';

/** What the player records when a registration is first launched: which statements count. */
export interface ProgressTrack {
  /** Lower-case registration UUID: the key of the course row. */
  readonly registration: string;
  readonly courseId: string;
  readonly versionId: string;
  readonly userId: string;
  /** agentKey() of the learner's actor: only statements of this actor move the projection. */
  readonly agentKey: string;
  /** The learner's organization of the registration, when any (reports filter on it). */
  readonly orgId?: string;
  /** Statements about these activities set the course-level completion, success and score. */
  readonly courseActivityIds: readonly string[];
  /** Statements about these activities set a unit row each (SCOs, AUs, xAPI activities). */
  readonly unitActivityIds: readonly string[];
  readonly createdAt: string;
}

/** Status and totals shared by the course row and unit rows. */
export interface ProgressStatus {
  readonly completion: ProgressCompletion;
  readonly success: ProgressSuccess;
  /** Scaled score (-1..1) of the latest statement (by timestamp) that carried one. */
  readonly scoreScaled?: number;
  /** cmi5: the LMS wrote a satisfied statement (course, block) or the AU's moveOn is met. */
  readonly satisfied: boolean;
  /** cmi5: an administrator waived the AU. */
  readonly waived: boolean;
  /** Sum of result.duration of the statements that end a sitting (terminated, suspended, exited, abandoned), seconds. */
  readonly timeSeconds: number;
  /** Sittings started: statements with verb initialized, attempted or resumed. */
  readonly attempts: number;
  /** Statements counted. */
  readonly statements: number;
  /** Latest statement timestamp seen (ISO 8601, UTC). */
  readonly lastActivityAt?: string;
  /**
   * Earliest timestamp of a statement that made the row done (completed, or satisfied): when the
   * learner finished (goal trends, ADR 0036). Undefined while not done, and on rows done before the
   * projection kept it (until it is rebuilt).
   */
  readonly doneAt?: string;
  readonly updatedAt?: string;
}

/** The course row of a registration. */
export interface ProgressRecord extends ProgressTrack, ProgressStatus {}

/**
 * A course row without its activity lists, agent key and version: what tables over many people
 * read (the people report's staff table reads thousands at once; the lists cost most of a row).
 */
export type ProgressBrief = Pick<ProgressRecord, 'registration' | 'courseId' | 'userId' | 'createdAt'> & ProgressStatus;

/** One unit of a registration. */
export interface UnitProgress extends ProgressStatus {
  readonly registration: string;
  readonly activityId: string;
}

/**
 * A commutative change of one row. `activityId` '' is the course row. Applying the same delta
 * twice counts twice: the caller applies each stored statement once.
 */
export interface ProgressDelta {
  readonly registration: string;
  readonly activityId: string;
  readonly statements: number;
  readonly attempts: number;
  readonly timeMs: number;
  /** Raises lastActivityAt to this when later. */
  readonly lastActivityAt?: string;
  /**
   * Lowers doneAt to this when earlier. When omitted, a delta that completes or satisfies the row
   * stands for its own time (lastActivityAt, else updatedAt): see doneAtOf in progress-merge.ts.
   */
  readonly doneAt?: string;
  /** Raises completion (never lowers it). */
  readonly completion?: 'incomplete' | 'completed';
  /** Kept when `at` is later than the stored one's. */
  readonly success?: { readonly value: 'passed' | 'failed'; readonly at: string };
  /** Kept when `at` is later than the stored one's. */
  readonly score?: { readonly scaled: number; readonly at: string };
  readonly satisfied?: true;
  readonly waived?: true;
  readonly updatedAt: string;
  /**
   * The seq of the statement the delta comes from (the pipeline's progress subscriber): the
   * delta is applied only when the row has applied no delta of this seq or a later one, so a
   * batch delivered again changes nothing. Without it the delta is always applied.
   */
  readonly seq?: number;
}

/** Which course rows to read. Every given field must match. */
export interface ProgressQuery {
  readonly registration?: string;
  readonly courseId?: string;
  readonly userId?: string;
  /** Only rows of these organizations (an empty array matches nothing). */
  readonly orgIds?: readonly string[];
  /** At most this many (default 1000). */
  readonly limit?: number;
}

export interface ProgressStore {
  /** Creates the course row of a registration; idempotent: returns false (changing nothing) when it exists. */
  insertProgressTrack(track: ProgressTrack): Promise<boolean>;
  /** Course rows of these registrations (lower case), in no particular order; [] when none. */
  findProgressTracks(registrations: readonly string[]): Promise<ProgressRecord[]>;
  /**
   * Applies deltas. A course-row delta for a registration without a track is ignored; a unit
   * delta creates the unit row on first use.
   */
  applyProgress(deltas: readonly ProgressDelta[]): Promise<void>;
  /** Course rows matching the query, newest lastActivityAt first (rows never active last), then registration. */
  findProgress(query: ProgressQuery): Promise<ProgressRecord[]>;
  /**
   * Brief course rows of one organization's registrations, of these people only when `userIds`
   * is given (an empty array matches nothing); in no particular order, no limit; [] when none.
   */
  findProgressBriefs(query: { readonly orgId: string; readonly userIds?: readonly string[] }): Promise<ProgressBrief[]>;
  /** Unit rows of a registration ordered by activityId; [] when none. */
  findUnitProgress(registration: string): Promise<UnitProgress[]>;
  /**
   * Forgets what statements made of these registrations' rows (all registrations when
   * undefined): course rows go back to their track (not attempted, zero counters, no applied
   * seq) and unit rows go. For a rebuild, or a registration's replay after a voiding. Idempotent.
   */
  resetProgressStatus(registrations?: readonly string[]): Promise<void>;
  /** Deletes every row of these registrations (erasure); returns how many course rows went. */
  deleteProgress(registrations: readonly string[]): Promise<number>;
}

// ───────────────────────────── cmi5 ─────────────────────────────

/** cmi5 launchMode vocabulary. */
export type Cmi5LaunchMode = 'Normal' | 'Browse' | 'Review';
/** Where an AU session is in its life. */
export type Cmi5SessionState = 'launched' | 'initialized' | 'terminated' | 'abandoned';

/** The LMS side of one AU launch session. */
export interface Cmi5Session {
  /** The cmi5 session id (a UUID), also in LMS.LaunchData and every statement's context. */
  readonly id: string;
  readonly registration: string;
  readonly courseId: string;
  readonly versionId: string;
  readonly userId: string;
  readonly orgId?: string;
  /** The learner's Agent as given in the launch URL. */
  readonly actor: Readonly<Record<string, unknown>>;
  readonly agentKey: string;
  /** The AU's id in the course structure (publisher id). */
  readonly auId: string;
  /** The LMS-generated activity id the AU uses as object of its cmi5 defined statements. */
  readonly auActivityId: string;
  readonly launchMode: Cmi5LaunchMode;
  readonly moveOn: string;
  readonly masteryScore?: number;
  /** SHA-256 hex of the secret in the fetch URL. */
  readonly fetchKeyHash: string;
  /** jti of the launch token handed out by the fetch URL, once fetched. */
  readonly tokenId?: string;
  readonly state: Cmi5SessionState;
  readonly launchedAt: string;
  /** Timestamp of the latest statement the AU sent in this session. */
  readonly lastStatementAt?: string;
  /** When terminated or abandoned. */
  readonly endedAt?: string;
}

/** Fields of a session that change during its life; omitted ones stay. */
export interface Cmi5SessionPatch {
  readonly state?: Cmi5SessionState;
  readonly tokenId?: string;
  readonly lastStatementAt?: string;
  readonly endedAt?: string;
}

export interface Cmi5Store {
  /** Stores a session. Throws AppError('conflict') when the id exists. */
  insertCmi5Session(session: Cmi5Session): Promise<void>;
  /** undefined when none. */
  findCmi5Session(id: string): Promise<Cmi5Session | undefined>;
  /** The session whose launch token has this jti; undefined when none. */
  findCmi5SessionByToken(tokenId: string): Promise<Cmi5Session | undefined>;
  /** Sessions of a registration in state launched or initialized, oldest launch first; [] when none. */
  findOpenCmi5Sessions(registration: string): Promise<Cmi5Session[]>;
  /**
   * Applies a patch when the session's state is one of `fromStates` (any state when omitted);
   * returns the updated session, undefined when none matched.
   */
  updateCmi5Session(id: string, patch: Cmi5SessionPatch, fromStates?: readonly Cmi5SessionState[]): Promise<Cmi5Session | undefined>;
  /**
   * Records a once-only mark of a registration (e.g. `completed|<auId>`, `satisfied|<blockId>`,
   * `fetch|<sessionId>`) with the id of the statement it stands for. Returns undefined when this
   * call created it, else the statement id recorded by the first call (also under concurrent
   * calls on several instances).
   */
  insertCmi5Mark(registration: string, mark: string, statementId: string): Promise<string | undefined>;
  /** Every mark of a registration; [] when none. */
  findCmi5Marks(registration: string): Promise<string[]>;
}
