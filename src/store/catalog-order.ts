import type { CatalogEntry } from './ports';

/** Entries newest first (createdAt, then id, both descending): the order both engines answer in. */
export function newestFirst(entries: CatalogEntry[]): CatalogEntry[] {
  return entries.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.createdAt < b.createdAt ? 1 : -1));
}
