/**
 * xAPI document resources: State, Activity Profile and Agent Profile documents, stored byte for
 * byte with their Content-Type and an ETag (quoted SHA-1 of the content, computed by the service).
 */

export type DocumentKind = 'state' | 'activityProfile' | 'agentProfile';

/** Identifies one document. Unused parts are '' (never undefined) so keys compare simply. */
export interface DocumentKey {
  readonly kind: DocumentKind;
  /** Activity IRI (state, activityProfile), '' otherwise. */
  readonly activityId: string;
  /** Canonical agent key from src/xapi/model/agent-key.ts (state, agentProfile), '' otherwise. */
  readonly agentKey: string;
  /** Registration UUID (state only), '' when none. */
  readonly registration: string;
  /** stateId / profileId. */
  readonly docId: string;
}

export interface StoredDocument {
  readonly key: DocumentKey;
  readonly contentType: string;
  readonly content: Buffer;
  /** Quoted SHA-1 hex of content, e.g. "\"2fd4e1c6...\"". */
  readonly etag: string;
  /** ISO 8601 UTC time of the last write. */
  readonly updated: string;
}

/** Which documents a list or bulk delete covers: every key part given must match; docId is ignored. */
export interface DocumentScope {
  readonly kind: DocumentKind;
  readonly activityId: string;
  readonly agentKey: string;
  /** undefined = any registration (bulk delete of state without registration deletes all). */
  readonly registration?: string;
}

/**
 * Condition of a conditional write: `undefined` writes unconditionally; `{ etag }` writes only
 * when the stored document has that ETag; `{ absent: true }` only when no document exists.
 */
export type WriteCondition = { readonly etag: string } | { readonly absent: true } | undefined;

export interface DocumentStore {
  /** The document, or undefined when none. */
  findDocument(key: DocumentKey): Promise<StoredDocument | undefined>;
  /** Ids of documents in scope updated strictly after `since` (when given), ordered by docId. */
  findDocumentIds(scope: DocumentScope, since?: string): Promise<string[]>;
  /** The newest `updated` time among those same documents (Last-Modified of the list); undefined when none. */
  findLastUpdated(scope: DocumentScope, since?: string): Promise<string | undefined>;
  /**
   * Creates or replaces the document if `condition` holds, atomically (compare-and-set).
   * Returns false, writing nothing, when the condition fails.
   */
  upsertDocument(doc: StoredDocument, condition: WriteCondition): Promise<boolean>;
  /** Deletes one document if `condition` holds; returns false when it fails. Deleting nothing succeeds. */
  deleteDocument(key: DocumentKey, condition: WriteCondition): Promise<boolean>;
  /** Deletes every document in scope; returns how many were deleted. */
  deleteDocuments(scope: DocumentScope): Promise<number>;

  /**
   * Every State and Agent Profile document of one agent (any activity, any registration), for a
   * learner's export; ordered by kind, activityId, registration, docId; [] when none.
   */
  findDocumentsByAgent(agentKey: string): Promise<StoredDocument[]>;

  /** Erasure: deletes every State and Agent Profile document of one agent; returns how many. Idempotent. */
  deleteDocumentsByAgent(agentKey: string): Promise<number>;
}
