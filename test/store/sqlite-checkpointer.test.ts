/**
 * A file database is checkpointed by a background thread: statements written land in the
 * database file (not only the WAL) without the writer checkpointing, and closing the store stops
 * the thread, checkpoints the rest and removes the WAL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
