/**
 * The store port: small interfaces, one per kind of record. Nothing outside src/store imports an
 * adapter or a database driver; the rest of the code sees only these types.
 */
import type { AccountStore } from './ports/accounts';
import type { CareerStore } from './ports/careers';
import type { ActivityStore } from './ports/activities';
import type { CompetencyStore } from './ports/competency';
import type { CatalogStore, LearningStore } from './ports/catalog';
import type { CourseStore } from './ports/courses';
import type { CredentialStore } from './ports/credentials';
import type { DocumentStore } from './ports/documents';
import type { LaunchStore } from './ports/launch';
import type { LimitStore } from './ports/limits';
import type { OutboxStore } from './ports/mail';
import type { PipelineStore } from './ports/pipeline';
import type { ForwardingStore } from './ports/forwarding';
import type { Cmi5Store, ProgressStore } from './ports/progress';
import type { ReportStore } from './ports/reports';
import type { StatementStore } from './ports/statements';

export type * from './ports/accounts';
export type * from './ports/activities';
export type * from './ports/careers';
export type * from './ports/competency';
export type * from './ports/catalog';
export type * from './ports/courses';
export type * from './ports/credentials';
export type * from './ports/files';
export type * from './ports/documents';
export type * from './ports/launch';
export type * from './ports/limits';
export type * from './ports/mail';
export type * from './ports/pipeline';
export type * from './ports/forwarding';
export type * from './ports/progress';
export type * from './ports/reports';
export type * from './ports/statements';

/** Every record store of one database, opened together. */
export interface Store {
  /** 'sqlite' or 'mongo', for logs and /health. */
  readonly engine: 'sqlite' | 'mongo';
  readonly statements: StatementStore;
  readonly documents: DocumentStore;
  readonly credentials: CredentialStore;
  readonly activities: ActivityStore;
  readonly accounts: AccountStore;
  readonly courses: CourseStore;
  /** Registrations, attempts, SCO runtime data, launch sessions (the player). */
  readonly launch: LaunchStore;
  /** Progress projection per registration (updated from every stored statement). */
  readonly progress: ProgressStore;
  /** cmi5 AU sessions and once-only marks (the LMS side of cmi5). */
  readonly cmi5: Cmi5Store;
  /** Report projections: learning days, attempts, interactions (kept by the report subscribers). */
  readonly reports: ReportStore;
  /** Mail kept for the site administrator when no SMTP server is configured. */
  readonly outbox: OutboxStore;
  /** Competency frameworks, alignments, evidence, self-assessments, badges (issue 14). */
  readonly competency: CompetencyStore;
  /** Statement pipeline cursors, leases and erasures (src/pipeline/). */
  readonly pipeline: PipelineStore;
  /** Statement forwarding targets and webhooks of organizations, their dead letters. */
  readonly forwarding: ForwardingStore;
  /** Units and managers, role profiles, organizational goals (src/careers). */
  readonly careers: CareerStore;
  /** Atomic attempt limits (sign-in), shared by every instance on MongoDB. */
  readonly limits: LimitStore;
  /** Catalog entries and their search (issue 18). */
  readonly catalog: CatalogStore;
  /** Learning targets, assignments and reminder marks (issue 18). */
  readonly learning: LearningStore;
  /** Resolves when the database answers; rejects otherwise (health check). */
  ping(): Promise<void>;
  /** Flushes and closes; idempotent. */
  close(): Promise<void>;
}
