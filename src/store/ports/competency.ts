/**
 * Competency records (issue 14): frameworks (CASE 1.1 documents), their items and associations,
 * alignments of learning to items, evidence (a projection of stored statements), self-assessments
 * and their confirmation, badge definitions, issued credentials and the organizations' signing keys.
 *
 * Every record carries its own JSON (`raw` keeps the CASE object exactly as imported, so an export
 * gives back every identifier, URI and unknown field). Both engines implement the port through one
 * shared implementation over a small keyed-record table (src/store/competency-records.ts, ADR 0021).
 */

/** One level of a framework's proficiency scale (ordered: `rank` 1 is the lowest). */
export interface ProficiencyLevel {
  readonly rank: number;
  readonly name: string;
  readonly description?: string;
  /** The CASE CFRubricCriterionLevel identifier it came from, when any. */
  readonly caseIdentifier?: string;
}

/** A competency framework (CASE CFDocument) published by an organization. */
export interface Framework {
  /** Our id (stable across re-imports of the same CFDocument identifier by the same organization). */
  readonly id: string;
  readonly orgId: string;
  /** CASE CFDocument.identifier (a UUID). */
  readonly identifier: string;
  readonly uri: string;
  readonly title: string;
  readonly version?: string;
  readonly scale: readonly ProficiencyLevel[];
  /** The CFDocument as imported. */
  readonly raw: Readonly<Record<string, unknown>>;
  /** Package parts kept for export: CFDefinitions (CFItemTypes, CFConcepts, ...), CFRubrics. */
  readonly extras: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One competency (CASE CFItem). */
export interface CompetencyItem {
  readonly frameworkId: string;
  /** CASE CFItem.identifier. */
  readonly identifier: string;
  readonly uri: string;
  readonly fullStatement: string;
  readonly abbreviatedStatement?: string;
  readonly humanCodingScheme?: string;
  readonly itemType?: string;
  readonly notes?: string;
  /** Identifier of the parent item (isChildOf), undefined at the top. */
  readonly parentIdentifier?: string;
  /** Order among siblings (sequenceNumber, else import order). */
  readonly position: number;
  /** Set when a later import no longer held the item: kept (alignments, evidence), not shown as current. */
  readonly retiredAt?: string;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** A CASE CFAssociation, kept as imported. */
export interface CompetencyAssociation {
  readonly frameworkId: string;
  readonly identifier: string;
  readonly associationType: string;
  readonly originIdentifier: string;
  readonly destinationIdentifier: string;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** What earns an alignment's level. */
export type AlignmentRule =
  | { readonly kind: 'completed' }
  | { readonly kind: 'passed' }
  | { readonly kind: 'scaled'; readonly min: number }
  | { readonly kind: 'satisfied' }
  | { readonly kind: 'verb'; readonly verb: string };

/** Learning aligned to a competency at a level. */
export interface Alignment {
  readonly id: string;
  /** The organization whose author made it (evidence is counted for statements of this organization). */
  readonly orgId: string;
  readonly frameworkId: string;
  readonly itemIdentifier: string;
  readonly target: { readonly kind: 'course' | 'unit' | 'activity'; readonly courseId?: string; readonly unitId?: string };
  /** The main activity IRI (findAlignments' `activityIds` matches this one). */
  readonly activityId: string;
  /** Every activity IRI whose statements count (a course: its course-level IRIs), activityId first. */
  readonly activityIds: readonly string[];
  /** Rank in the framework's scale. */
  readonly level: number;
  readonly rule: AlignmentRule;
  /** Evidence lapses this many days after the statement (compliance competencies). */
  readonly validDays?: number;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** One piece of evidence: a stored statement met an alignment's rule. */
export interface Evidence {
  /** `${statementId}|${alignmentId}`: deterministic, so a rebuild reproduces it exactly. */
  readonly id: string;
  readonly userId: string;
  readonly orgId: string;
  readonly frameworkId: string;
  readonly itemIdentifier: string;
  readonly level: number;
  readonly statementId: string;
  readonly alignmentId: string;
  readonly activityId: string;
  readonly courseId?: string;
  /** The statement's timestamp. */
  readonly at: string;
  readonly expiresAt?: string;
}

/** One level's share of a person's evidence for one competency. */
export interface EvidenceLevelSummary {
  readonly level: number;
  readonly count: number;
  readonly latestAt: string;
  /** The latest expiry of the evidence at this level; null when some of it never expires. */
  readonly expiresAt: string | null;
}

/** A person's evidence for one competency, summed up (kept by the store as evidence comes and goes). */
export interface EvidenceSummary {
  readonly userId: string;
  readonly frameworkId: string;
  readonly itemIdentifier: string;
  readonly count: number;
  /** By level, lowest first. */
  readonly levels: readonly EvidenceLevelSummary[];
  /** The three newest pieces (at descending, then id). */
  readonly latest: readonly Evidence[];
}

/** A summary without its latest evidence: what the store keeps as plain rows (ADR 0035). */
export type EvidenceCounts = Omit<EvidenceSummary, 'latest'>;

/** A summary without its latest evidence. */
export type EvidenceLevels = Pick<EvidenceSummary, 'userId' | 'frameworkId' | 'itemIdentifier' | 'levels'>;

/** A person's own estimate of a level, and an administrator's confirmation of it. */
export interface SelfAssessment {
  readonly userId: string;
  readonly orgId: string;
  readonly frameworkId: string;
  readonly itemIdentifier: string;
  readonly level: number;
  readonly at: string;
  readonly confirmedBy?: string;
  readonly confirmedAt?: string;
}

/** An organization's credential signing key (private key stays in the store). */
export interface SigningKey {
  /** JOSE kid. */
  readonly kid: string;
  readonly orgId: string;
  readonly alg: 'ES256' | 'RS256';
  readonly privatePem: string;
  readonly publicJwk: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  /** Set when rotated out: still published (old credentials verify), never used to sign. */
  readonly retiredAt?: string;
}

/** An Open Badges 3.0 Achievement a competency (at a level) or a course carries. */
export interface BadgeClass {
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  readonly description: string;
  readonly criteria: string;
  /** PNG or SVG data URL. */
  readonly image?: string;
  readonly frameworkId?: string;
  readonly itemIdentifier?: string;
  readonly level?: number;
  readonly courseId?: string;
  readonly createdAt: string;
}

/** An issued OpenBadgeCredential. */
export interface IssuedCredential {
  /** The credential id (urn:uuid:...). */
  readonly id: string;
  readonly orgId: string;
  readonly badgeId: string;
  readonly userId: string;
  readonly jwt: string;
  readonly issuedAt: string;
  readonly expiresAt?: string;
  readonly revokedAt?: string;
  readonly revocationReason?: string;
}

/** Which items to read. */
export interface ItemQuery {
  readonly frameworkId: string;
  /** Only these identifiers. */
  readonly identifiers?: readonly string[];
  /** Retired items too (default false). */
  readonly includeRetired?: boolean;
}

/** Which alignments to read; every given field must match (arrays: any of). */
export interface AlignmentQuery {
  readonly orgIds?: readonly string[];
  readonly frameworkId?: string;
  readonly itemIdentifier?: string;
  readonly activityIds?: readonly string[];
  readonly courseId?: string;
}

/** Which evidence to delete: derived from these statements, of this person, of this alignment, or all (rebuild). */
export interface EvidenceDeletion {
  readonly statementIds?: readonly string[];
  readonly userId?: string;
  readonly alignmentId?: string;
  readonly all?: true;
}

/** Which evidence to read; every given field must match. */
export interface EvidenceQuery {
  readonly userId?: string;
  /** Evidence derived from any of these statements ([] matches nothing). */
  readonly statementIds?: readonly string[];
  /** Only evidence of these people (an empty array matches nothing). */
  readonly userIds?: readonly string[];
  readonly orgIds?: readonly string[];
  readonly frameworkId?: string;
  readonly itemIdentifier?: string;
  /** At most this many (default 100000). */
  readonly limit?: number;
}

export interface CompetencyStore {
  /** Inserts or replaces a framework by id; idempotent. */
  upsertFramework(f: Framework): Promise<void>;
  /** undefined when none. */
  findFramework(id: string): Promise<Framework | undefined>;
  /** The framework of an organization with this CFDocument identifier; undefined when none. */
  findFrameworkByIdentifier(orgId: string, identifier: string): Promise<Framework | undefined>;
  /** Frameworks of these organizations (all when omitted), by title then id; [] when none. */
  findFrameworks(filter: { readonly orgIds?: readonly string[] }): Promise<Framework[]>;

  /** Inserts or replaces items by (frameworkId, identifier); idempotent. */
  upsertItems(items: readonly CompetencyItem[]): Promise<void>;
  /** Items ordered by position then identifier; [] when none. */
  findItems(q: ItemQuery): Promise<CompetencyItem[]>;

  /** Replaces every association of a framework with these; idempotent. */
  replaceAssociations(frameworkId: string, associations: readonly CompetencyAssociation[]): Promise<void>;
  /** Associations of a framework in identifier order; [] when none. */
  findAssociations(frameworkId: string): Promise<CompetencyAssociation[]>;

  /** Stores an alignment; AppError('conflict') when the id exists. */
  insertAlignment(a: Alignment): Promise<void>;
  /** undefined when none. */
  findAlignment(id: string): Promise<Alignment | undefined>;
  /** Matching alignments by createdAt then id; [] when none. */
  findAlignments(q: AlignmentQuery): Promise<Alignment[]>;
  /** true when it existed. Its evidence stays until the projection is rebuilt or deleteEvidence is called. */
  deleteAlignment(id: string): Promise<boolean>;

  /**
   * A token that changes whenever alignments or badges change (`bumpMatchVersion`), in any process:
   * the evidence subscriber compares it once per batch to know its in-memory index is current.
   * '' before the first bump.
   */
  findMatchVersion(): Promise<string>;
  /** Marks alignments or badges changed (stores a new random token); call after the change is stored. */
  bumpMatchVersion(): Promise<void>;

  /** Inserts evidence; an id that exists is left as it is (idempotent). Returns the ids this call created. */
  insertEvidence(rows: readonly Evidence[]): Promise<string[]>;
  /**
   * insertEvidence, also answering `before`: the summaries of the (person, competency) pairs of the
   * rows it created, as they were before this call (pairs without evidence before are absent), so
   * that a caller detecting level rises needs no read of its own (without their latest evidence).
   */
  recordEvidence(rows: readonly Evidence[]): Promise<{ readonly created: string[]; readonly before: EvidenceCounts[] }>;
  /**
   * true while evidence kept in an older layout (the JSON summaries before ADR 0035) waits for the
   * projection's rebuild, which the evidence subscriber then requests; false once it was reset.
   */
  findEvidenceLayoutStale(): Promise<boolean>;
  /** Matching evidence, newest `at` first, then id; [] when none. */
  findEvidence(q: EvidenceQuery): Promise<Evidence[]>;
  /**
   * A person's evidence summed up per competency, ordered by framework then item; [] when none.
   * Always equal to summing up findEvidence({ userId }) (kept up to date by insertEvidence and deleteEvidence).
   */
  findEvidenceSummaries(userId: string): Promise<EvidenceSummary[]>;
  /** Every summary of these people, in no particular order (the heat map's and goals' read). */
  findEvidenceSummariesOfUsers(userIds: readonly string[]): Promise<EvidenceSummary[]>;
  /**
   * The levels part of every summary of these people (no latest evidence), in no particular order:
   * the heat map's read, lighter than findEvidenceSummariesOfUsers.
   */
  findEvidenceLevelsOfUsers(userIds: readonly string[]): Promise<EvidenceLevels[]>;
  /**
   * A token that changes after every change of the evidence summaries (evidence recorded or
   * deleted, in any process); '' before the first. Read it before the summaries to cache them.
   */
  findEvidenceSummariesVersion(): Promise<string>;
  /**
   * The levels part of the summaries of these (person, competency) pairs that have evidence, in no
   * particular order: findEvidenceSummariesOf without the latest pieces (goals, badge checks).
   */
  findEvidenceLevelsOf(pairs: readonly Pick<Evidence, 'userId' | 'frameworkId' | 'itemIdentifier'>[]): Promise<EvidenceLevels[]>;
  /** The summaries of these (person, competency) pairs that have evidence, in no particular order. */
  findEvidenceSummariesOf(pairs: readonly Pick<Evidence, 'userId' | 'frameworkId' | 'itemIdentifier'>[]): Promise<EvidenceSummary[]>;
  /** Deletes evidence derived from these statements, of this person, of this alignment, or all (rebuild); returns how many went. */
  deleteEvidence(what: EvidenceDeletion): Promise<number>;

  /** Inserts or replaces the self-assessment of (user, org, framework, item); idempotent. */
  upsertSelfAssessment(a: SelfAssessment): Promise<void>;
  /** A person's self-assessments (of these organizations, when given), by framework then item; [] when none. */
  findSelfAssessments(q: { readonly userId?: string; readonly orgIds?: readonly string[]; readonly frameworkId?: string; readonly itemIdentifier?: string }): Promise<SelfAssessment[]>;
  /** Deletes every self-assessment of a person (erasure); returns how many went. */
  deleteSelfAssessments(userId: string): Promise<number>;

  /** Stores a key; AppError('conflict') when the kid exists. */
  insertSigningKey(k: SigningKey): Promise<void>;
  /** Keys of an organization, newest first (retired included); [] when none. */
  findSigningKeys(orgId: string): Promise<SigningKey[]>;
  /** Marks a key retired; true when it was active. */
  retireSigningKey(kid: string, at: string): Promise<boolean>;

  /** Inserts or replaces a badge definition by id. */
  upsertBadge(b: BadgeClass): Promise<void>;
  /** undefined when none. */
  findBadge(id: string): Promise<BadgeClass | undefined>;
  /** Badges of these organizations (all when omitted), by createdAt then id. */
  findBadges(q: { readonly orgIds?: readonly string[]; readonly frameworkId?: string; readonly itemIdentifier?: string; readonly courseId?: string }): Promise<BadgeClass[]>;

  /** Stores an issued credential; AppError('conflict') when the id exists. */
  insertCredential(c: IssuedCredential): Promise<void>;
  /** undefined when none. */
  findCredential(id: string): Promise<IssuedCredential | undefined>;
  /** Credentials of a person or badge, newest first; [] when none. */
  findCredentials(q: { readonly userId?: string; readonly badgeId?: string; readonly orgIds?: readonly string[] }): Promise<IssuedCredential[]>;
  /** Marks a credential revoked (first revocation wins); returns the credential after, undefined when none. */
  revokeCredential(id: string, at: string, reason: string): Promise<IssuedCredential | undefined>;
}
