/**
 * A SQLite database made before users carried the mbox_sha1sum of their email gains the column,
 * filled for every existing user, so the LRS recognises them by mbox_sha1sum (issue 11).
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { createSqliteAccountStore, migrateSqliteAccounts } from '../../src/store/sqlite/accounts';

it('adds and fills users.email_sha1 on an existing users table, idempotently', async () => {
  const db = new Database(':memory:');
  try {
    db.exec(`CREATE TABLE users (
      id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, password_hash TEXT,
      is_site_admin INTEGER NOT NULL DEFAULT 0, share_email INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL, failed_sign_ins INTEGER NOT NULL DEFAULT 0, locked_until TEXT, disabled_at TEXT)`);
    db.prepare('INSERT INTO users (id, email, name, created_at) VALUES (?, ?, ?, ?)').run('u-old', 'old.learner@example.org', 'Old', '2025-01-01T00:00:00.000Z');
    migrateSqliteAccounts(db);
    migrateSqliteAccounts(db);
    const accounts = createSqliteAccountStore(db);
    const sha1 = createHash('sha1').update('mailto:old.learner@example.org').digest('hex');
    expect((await accounts.findUserByMailboxSha1(sha1))?.id).toBe('u-old');
    await accounts.insertUser({ id: 'u-new', email: 'New@Example.org', name: 'New', isSiteAdmin: false, shareEmail: false, createdAt: '2025-01-02T00:00:00.000Z', failedSignIns: 0 });
    expect((await accounts.findUserByMailboxSha1(createHash('sha1').update('mailto:new@example.org').digest('hex')))?.id).toBe('u-new');
  } finally {
    db.close();
  }
});
