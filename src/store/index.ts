import type { DbConfig } from '../config';
import type { Store } from './ports';

/** Opens the store the configuration selects. The adapters are loaded lazily so a SQLite
 * deployment never loads the MongoDB driver and vice versa. */
export async function openStore(db: DbConfig): Promise<Store> {
  if (db.kind === 'sqlite') {
    const { openSqliteStore } = await import('./sqlite/sqlite-store');
    return openSqliteStore({ path: db.path, ...(db.walCapBytes !== undefined ? { walCapBytes: db.walCapBytes } : {}) });
  }
  const { openMongoStore } = await import('./mongo/mongo-store');
  return openMongoStore({ url: db.url, dbName: db.dbName, seq: { leaseMs: db.leaseMs } });
}
