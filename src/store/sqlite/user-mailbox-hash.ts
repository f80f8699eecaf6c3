import type { Database } from 'better-sqlite3';
import { mailboxSha1 } from '../mailbox-sha1';

/**
 * Adds users.email_sha1 (the mbox_sha1sum of the email, src/store/mailbox-sha1.ts) to databases
 * made before it existed, filling it for every user, and its index. Idempotent; the check and
 * the change run under one write lock, so two processes opening the file at once agree.
 */
export function migrateUserMailboxHash(db: Database): void {
  const hasColumn = (): boolean =>
    db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('users')").all().some((c) => c.name === 'email_sha1');
  if (hasColumn()) return;
  db.transaction(() => {
    if (hasColumn()) return;
    db.exec('ALTER TABLE users ADD COLUMN email_sha1 TEXT');
    const set = db.prepare<[string, string]>('UPDATE users SET email_sha1 = ? WHERE id = ?');
    for (const u of db.prepare<[], { id: string; email: string }>('SELECT id, email FROM users').all()) set.run(mailboxSha1(u.email), u.id);
    db.exec('CREATE INDEX users_email_sha1 ON users (email_sha1)');
  }).immediate();
}
