/**
 * LRS credentials (HTTP Basic key/secret pairs with xAPI scopes). The secret is stored only as a
 * slow KDF hash (see src/accounts/secret-hash.ts); the store never sees the clear secret.
 */

export interface Credential {
  /** The Basic-auth user name; unique. */
  readonly key: string;
  /** Encoded KDF hash of the secret (algorithm and parameters inside the string). */
  readonly secretHash: string;
  readonly name: string;
  /** xAPI scopes: statements/write, statements/read, statements/read/mine, all/read, all, define, profile, state. */
  readonly scopes: readonly string[];
  /** The Agent or Group JSON used as `authority` for statements written with this credential. */
  readonly authority: Record<string, unknown>;
  /** Owning organization, when the credential belongs to one (issue 4). */
  readonly orgId?: string;
  readonly createdAt: string;
  /** ISO time the credential was revoked; revoked credentials never authenticate. */
  readonly revokedAt?: string;
}

export interface CredentialStore {
  /** Adds a credential; throws AppError('conflict') when the key exists. */
  insertCredential(credential: Credential): Promise<void>;
  /** The credential with this key, revoked or not; undefined when none. */
  findCredential(key: string): Promise<Credential | undefined>;
  /** All credentials (optionally of one organization), oldest first. */
  findCredentials(filter?: { readonly orgId?: string }): Promise<Credential[]>;
  /** Marks a credential revoked; idempotent; false when the key is unknown. */
  updateCredentialRevoked(key: string, revokedAt: string): Promise<boolean>;
  /** Number of credentials, revoked included. */
  countCredentials(): Promise<number>;
}
