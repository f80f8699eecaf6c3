import type { Database } from 'better-sqlite3';
import { conflict } from '../../errors';
import type { Credential, CredentialStore } from '../ports';

interface CredentialRow {
  key: string;
  secret_hash: string;
  name: string;
  scopes: string;
  authority: string;
  org_id: string | null;
  created_at: string;
  revoked_at: string | null;
}

const COLUMNS = 'key, secret_hash, name, scopes, authority, org_id, created_at, revoked_at';

/** The SQLite CredentialStore: one row per key, scopes and authority as JSON text. */
export function createSqliteCredentialStore(db: Database): CredentialStore {
  const insert = db.prepare<[string, string, string, string, string, string | null, string, string | null]>(
    `INSERT INTO credentials (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byKey = db.prepare<[string], CredentialRow>(`SELECT ${COLUMNS} FROM credentials WHERE key = ?`);
  const all = db.prepare<[], CredentialRow>(`SELECT ${COLUMNS} FROM credentials ORDER BY created_at, seq`);
  const byOrg = db.prepare<[string], CredentialRow>(
    `SELECT ${COLUMNS} FROM credentials WHERE org_id = ? ORDER BY created_at, seq`,
  );
  // COALESCE keeps the first revocation time: revoking again changes nothing.
  const revoke = db.prepare<[string, string]>('UPDATE credentials SET revoked_at = COALESCE(revoked_at, ?) WHERE key = ?');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM credentials');

  return {
    async insertCredential(c) {
      try {
        insert.run(
          c.key, c.secretHash, c.name, JSON.stringify(c.scopes), JSON.stringify(c.authority),
          c.orgId ?? null, c.createdAt, c.revokedAt ?? null,
        );
      } catch (err) {
        if (typeof err === 'object' && err !== null && 'code' in err && err.code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw conflict(`credential key ${c.key} already exists`);
        }
        throw err;
      }
    },
    async findCredential(key) {
      const row = byKey.get(key);
      return row ? toCredential(row) : undefined;
    },
    async findCredentials(filter) {
      const rows = filter?.orgId !== undefined ? byOrg.all(filter.orgId) : all.all();
      return rows.map(toCredential);
    },
    async updateCredentialRevoked(key, revokedAt) {
      return revoke.run(revokedAt, key).changes > 0;
    },
    async countCredentials() {
      return count.get()?.n ?? 0;
    },
  };
}

function toCredential(row: CredentialRow): Credential {
  return {
    key: row.key,
    secretHash: row.secret_hash,
    name: row.name,
    scopes: JSON.parse(row.scopes) as string[],
    authority: JSON.parse(row.authority) as Record<string, unknown>,
    createdAt: row.created_at,
    ...(row.org_id !== null ? { orgId: row.org_id } : {}),
    ...(row.revoked_at !== null ? { revokedAt: row.revoked_at } : {}),
  };
}
