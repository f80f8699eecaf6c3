/**
 * The store port: small interfaces, one per kind of record. Nothing outside src/store imports an
 * adapter or a database driver; the rest of the code sees only these types.
 */
import type { ActivityStore } from './ports/activities';
import type { CredentialStore } from './ports/credentials';
import type { DocumentStore } from './ports/documents';
import type { StatementStore } from './ports/statements';

export type * from './ports/activities';
export type * from './ports/credentials';
export type * from './ports/documents';
export type * from './ports/statements';

/** Every record store of one database, opened together. */
export interface Store {
  /** 'sqlite' or 'mongo', for logs and /health. */
  readonly engine: 'sqlite' | 'mongo';
  readonly statements: StatementStore;
  readonly documents: DocumentStore;
  readonly credentials: CredentialStore;
  readonly activities: ActivityStore;
  /** Resolves when the database answers; rejects otherwise (health check). */
  ping(): Promise<void>;
  /** Flushes and closes; idempotent. */
  close(): Promise<void>;
}
