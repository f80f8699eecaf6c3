import type { Database } from 'better-sqlite3';

/** Entries kept in memory; past this the cache starts over (the table is the truth). */
const CACHE_LIMIT = 200_000;

/**
 * Maps index keys (opaque strings) to the integer ids statement_refs stores. Ids never change
 * once committed, so a process-wide cache is safe; entries written by a transaction that rolls
 * back would not be, so callers `forget()` after any rollback.
 */
export interface RefIds {
  /** The id of `ref`, creating it. Only inside a write transaction. */
  intern(ref: string): number;
  /** The id of an existing `ref`, or undefined when no statement ever had it. */
  lookup(ref: string): number | undefined;
  /** Drops the cache; call after a rollback. */
  forget(): void;
}

export function createRefIds(db: Database): RefIds {
  const select = db.prepare<[string], number>('SELECT id FROM ref_ids WHERE ref = ?').pluck();
  const insert = db.prepare<[string]>('INSERT OR IGNORE INTO ref_ids (ref) VALUES (?)');
  let cache = new Map<string, number>();

  function remember(ref: string, id: number): number {
    if (cache.size >= CACHE_LIMIT) cache = new Map();
    cache.set(ref, id);
    return id;
  }

  return {
    intern(ref) {
      const cached = cache.get(ref);
      if (cached !== undefined) return cached;
      // A key the cache does not hold is most often a new one (a new learner, activity or
      // registration): inserting first makes that one statement instead of a lookup and an insert.
      const info = insert.run(ref);
      if (info.changes === 1) return remember(ref, Number(info.lastInsertRowid));
      return remember(ref, select.get(ref)!);
    },
    lookup(ref) {
      const cached = cache.get(ref);
      if (cached !== undefined) return cached;
      const id = select.get(ref);
      return id === undefined ? undefined : remember(ref, id);
    },
    forget() {
      cache = new Map();
    },
  };
}
