/**
 * A file database is checkpointed by a background thread: statements written land in the
 * database file (not only the WAL) without the writer checkpointing, closing the store stops
 * the thread, checkpoints the rest and removes the WAL, and a writer that never pauses still
 * gets its WAL started over.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startCheckpointer } from '../../src/store/sqlite/checkpointer';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { statement } from './contract/builders';

it('copies the WAL back into the database file in the background, and closes cleanly', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhq-ckpt-'));
  const file = path.join(dir, 'lrs.sqlite');
  try {
    const store = await openSqliteStore({ path: file });
    // Let a first round checkpoint the migrations, then measure the file.
    await new Promise((r) => setTimeout(r, 500));
    const before = fs.statSync(file).size;
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const batch = Array.from({ length: 50 }, () => statement());
      ids.push(...batch.map((s) => s.id));
      await store.statements.insertStatements(batch, []);
    }
    // ~1,000 statements are far below the writer's own checkpoint threshold (100,000 pages):
    // only the background thread can have grown the database file.
    const until = Date.now() + 5000;
    while (fs.statSync(file).size < before + 500_000 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(fs.statSync(file).size).toBeGreaterThan(before + 500_000);
    await store.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const again = await openSqliteStore({ path: file });
    try {
      expect((await again.statements.findStatementsByIds(ids)).length).toBe(ids.length);
    } finally {
      await again.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('keeps the WAL bounded under constant writes (the next writer starts it over)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhq-ckpt-restart-'));
  const file = path.join(dir, 'x.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)');
  // 256 frames = 1 MB of WAL before a restart is asked for.
  const checkpointer = startCheckpointer(file, { intervalMs: 50, restartFrames: 256 });
  try {
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const write = db.transaction(() => {
      for (let i = 0; i < 16; i++) insert.run(Buffer.alloc(4000, i));
    });
    let written = 0;
    let largest = 0;
    const until = Date.now() + 2500;
    let n = 0;
    while (Date.now() < until) {
      write();
      written += 16 * 4096;
      n += 1;
      // A busy writer: back-to-back transactions with a short breath now and then, as the
      // writer thread between groups (never long enough for a passive checkpoint to catch up).
      if (n % 8 === 0) await new Promise((r) => setTimeout(r, 2));
      if (n % 64 === 0) largest = Math.max(largest, fs.statSync(`${file}-wal`).size);
    }
    largest = Math.max(largest, fs.statSync(`${file}-wal`).size);
    // Tens of MB went through the WAL; without restarts it would be as large as all of it.
    expect(written).toBeGreaterThan(20_000_000);
    expect(largest).toBeLessThan(written / 4);
  } finally {
    await checkpointer.stop();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
