/**
 * The catalog (issue 18): one entry per learning opportunity any organization publishes (an
 * uploaded course, a webinar, a workshop...), with who may see it, in a form search can read.
 * Courses keep their own records (CourseStore); their entry is a copy the catalog service keeps
 * up to date, so search never joins across record kinds.
 */
import type { Role } from './accounts';

/** What an entry is: an uploaded package, or learning beyond packages. */
export type CatalogKind = 'course' | 'webinar' | 'workshop' | 'conference' | 'external' | 'link';

/** Who sees an entry: the publishing organization only, it and selected organizations, or every organization on the site. */
export type CatalogVisibility = 'org' | 'orgs' | 'all';

/** Only published entries reach people outside the publishing organization's authors. */
export type CatalogEntryState = 'draft' | 'published' | 'retired';

export interface CatalogEntry {
  /** The course id for kind 'course'; the opportunity id otherwise. */
  readonly id: string;
  readonly kind: CatalogKind;
  /** The publishing organization. */
  readonly orgId: string;
  /** Provider's name as shown to people. */
  readonly provider: string;
  readonly title: string;
  readonly description: string;
  readonly keywords: readonly string[];
  /** Competency names or ids (a plain list until the competency area fills it). */
  readonly competencies: readonly string[];
  /** BCP 47 tag. */
  readonly language: string;
  /** Package format (scorm12, scorm2004, tincan, cmi5) or delivery (online, in person). */
  readonly format?: string;
  readonly durationMinutes?: number;
  readonly ceCredits?: number;
  /** The next start date (ISO 8601 UTC), for dated opportunities. */
  readonly startsAt?: string;
  /** Opportunities (ADR 0019): end, place or join link, seats, outside address. */
  readonly endsAt?: string;
  readonly location?: string;
  readonly joinUrl?: string;
  readonly capacity?: number;
  readonly url?: string;
  readonly state: CatalogEntryState;
  readonly visibility: CatalogVisibility;
  /** With visibility 'orgs': the other organizations that see it (the publisher always does). */
  readonly visibleOrgIds: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Who is looking: published entries visible to these organizations (or every entry's when `everything`). */
export interface CatalogViewer {
  /** Organizations the person belongs to. */
  readonly orgIds: readonly string[];
  /** The site administrator sees every published entry. */
  readonly everything?: boolean;
}

/** What the store filters; facets, sorting and paging are the catalog service's. */
export interface CatalogQuery {
  readonly viewer: CatalogViewer;
  /** Words, each must match title, description, keywords, provider or competencies (prefix match). */
  readonly text?: string;
}

/** An entry with its text relevance (higher is better; 0 without text). */
export interface CatalogHit {
  readonly entry: CatalogEntry;
  readonly score: number;
}

export interface CatalogStore {
  /** Inserts or replaces the entry with this id; idempotent. */
  upsertCatalogEntry(entry: CatalogEntry): Promise<void>;
  /** undefined when none. */
  findCatalogEntry(id: string): Promise<CatalogEntry | undefined>;
  /** The entries of these ids that exist, in no particular order. */
  findCatalogEntries(ids: readonly string[]): Promise<CatalogEntry[]>;
  /**
   * Every entry an organization published, in any state, of these kinds (every kind when
   * absent); newest (createdAt, then id) first. [] when none. For the organizers' list.
   */
  findOrgCatalogEntries(query: { readonly orgId: string; readonly kinds?: readonly CatalogKind[] }): Promise<CatalogEntry[]>;
  /**
   * Published entries the viewer may see (visibility 'all'; an entry of one of the viewer's
   * organizations; visibility 'orgs' naming one of them) that match every word of the text;
   * in no particular order. [] when none.
   */
  searchCatalog(query: CatalogQuery): Promise<CatalogHit[]>;
}

// ─────────────────────────── learning targets and assignments ───────────────────────────

/** An organization's yearly target of CE credits and learning hours per person. */
export interface LearningTarget {
  readonly orgId: string;
  readonly ceCredits?: number;
  readonly hours?: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** Whom an assignment is for. Units come from the careers area (issue 15). */
export type AssignmentTarget =
  | { readonly kind: 'person'; readonly userId: string }
  | { readonly kind: 'role'; readonly role: Role }
  | { readonly kind: 'unit'; readonly unitId: string };

/** Learning an organization administrator (or manager) assigns. */
export interface Assignment {
  readonly id: string;
  readonly orgId: string;
  /** A catalog entry id. */
  readonly entryId: string;
  readonly target: AssignmentTarget;
  /** ISO 8601 UTC; none means no deadline. */
  readonly dueAt?: string;
  readonly required: boolean;
  readonly createdBy: string;
  readonly createdAt: string;
}

export interface AssignmentFilter {
  /** Assignments of these organizations (an empty array matches nothing). */
  readonly orgIds: readonly string[];
}

/** A person's registration for an opportunity, and what the organizer recorded. */
export type AttendanceState = 'registered' | 'attended' | 'absent' | 'cancelled';

export interface OpportunityRegistration {
  readonly entryId: string;
  readonly userId: string;
  readonly state: AttendanceState;
  readonly registeredAt: string;
  readonly updatedAt: string;
}

/** A file attached to a self-report (a certificate, a confirmation), kept in the file store. */
export interface SelfReportAttachment {
  /** File-store path (under the `self-reports/` file set). */
  readonly path: string;
  /** The name the person gave it, cleaned. */
  readonly fileName: string;
  /** Judged from the bytes. */
  readonly contentType: string;
  readonly size: number;
  readonly attachedAt: string;
}

/** Learning a person reports themselves; an approver of their organization decides. */
export interface SelfReport {
  readonly id: string;
  readonly userId: string;
  readonly orgId: string;
  readonly title: string;
  readonly provider: string;
  readonly kind: CatalogKind;
  /** YYYY-MM-DD. */
  readonly completedOn: string;
  readonly hours?: number;
  readonly ceCredits?: number;
  readonly note: string;
  /** A certificate or confirmation the person attached (PDF or image). */
  readonly attachment?: SelfReportAttachment;
  readonly state: 'pending' | 'approved' | 'rejected';
  readonly decidedBy?: string;
  readonly decidedAt?: string;
  /** Why it was rejected (optional; shown to the person). */
  readonly decisionReason?: string;
  readonly createdAt: string;
}

export interface LearningStore {
  /** Inserts or replaces the registration of (entryId, userId); idempotent. */
  upsertOpportunityRegistration(r: OpportunityRegistration): Promise<void>;
  /**
   * Registrations of an entry, of a person or of several people (at least one given; an empty
   * `userIds` matches nothing), oldest registration first.
   */
  findOpportunityRegistrations(filter: { readonly entryId?: string; readonly userId?: string; readonly userIds?: readonly string[] }): Promise<OpportunityRegistration[]>;
  /** Throws AppError('conflict') when the id exists. */
  insertSelfReport(r: SelfReport): Promise<void>;
  /** undefined when none. */
  findSelfReport(id: string): Promise<SelfReport | undefined>;
  /** Self-reports of a person or of organizations, newest first. */
  findSelfReports(filter: { readonly userId?: string; readonly orgIds?: readonly string[] }): Promise<SelfReport[]>;
  /**
   * Replaces a pending report with `next` (same id; a decision, or a still-pending report with a
   * new attachment); false when it is no longer pending (decided once).
   */
  decideSelfReport(next: SelfReport): Promise<boolean>;

  /** Sets an organization's target (replaces it); idempotent. */
  upsertLearningTarget(target: LearningTarget): Promise<void>;
  /** Targets of these organizations that exist, in no particular order. */
  findLearningTargets(orgIds: readonly string[]): Promise<LearningTarget[]>;
  /** Throws AppError('conflict') when the id exists. */
  insertAssignment(a: Assignment): Promise<void>;
  /** undefined when none. */
  findAssignment(id: string): Promise<Assignment | undefined>;
  /** Assignments of the organizations, earliest due date first (none last), then id. */
  findAssignments(filter: AssignmentFilter): Promise<Assignment[]>;
  /** Returns whether it existed. */
  deleteAssignment(id: string): Promise<boolean>;
  /**
   * Records that the reminder `kind` (e.g. `due-soon`, `overdue`) of an assignment was sent to a
   * person; returns true when this call recorded it, false when it was already recorded (so each
   * reminder goes once, even with several instances).
   */
  insertReminderMark(assignmentId: string, userId: string, kind: string, at: string): Promise<boolean>;
  /**
   * Removes a mark; returns whether it existed. The reminder job releases its claim this way when
   * the mail could not be handed to the mail server, so a later run sends it.
   */
  deleteReminderMark(assignmentId: string, userId: string, kind: string): Promise<boolean>;
  /** Whether the mark exists (e.g. `('*', userId, 'unsubscribed')`). */
  hasReminderMark(assignmentId: string, userId: string, kind: string): Promise<boolean>;
}
