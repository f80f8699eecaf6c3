/**
 * Learning totals of recent report requests, kept per store and keyed by the scope and groupings
 * asked, valid while the learning-day projection's version stamp is unchanged (the store bumps it
 * with every change: applied deltas, erasure, rebuild). A report viewed again, or by another
 * viewer with the same scope, costs one stamp read instead of a scan of its rows; any change of
 * the rows makes the next request read them again, so a cached answer is never stale.
 *
 * The cache holds store totals, before any lens rule: the lens's scope is part of the key, and
 * withholding small groups and naming happen after, per request.
 */
import type { LearningGroup, LearningTotals, ReportScope, Store } from '../store/ports';

const MAX_ENTRIES = 32;

interface Entry { readonly version: string; readonly totals: Promise<LearningTotals[][]> }

const caches = new WeakMap<Store, Map<string, Entry>>();

/** store.reports.findLearningTotalsByGroups, answered from the cache when the rows have not changed since. */
export async function learningTotalsByGroups(store: Store, scope: ReportScope, groups: readonly LearningGroup[]): Promise<LearningTotals[][]> {
  // The stamp is read before the rows: a change landing during the read outdates this entry.
  const version = await store.reports.findLearningDaysVersion();
  let cache = caches.get(store);
  if (!cache) {
    cache = new Map();
    caches.set(store, cache);
  }
  const key = JSON.stringify([scope.from, scope.to, scope.orgIds, scope.providerOrgIds, scope.courseIds, scope.userIds, groups]);
  const hit = cache.get(key);
  if (hit && hit.version === version) {
    cache.delete(key);
    cache.set(key, hit); // most recently used last
    return hit.totals;
  }
  // Requests arriving while the rows are read share that read.
  const totals = store.reports.findLearningTotalsByGroups(scope, groups);
  const entry: Entry = { version, totals };
  cache.set(key, entry);
  totals.catch(() => { if (cache.get(key) === entry) cache.delete(key); });
  while (cache.size > MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
  return totals;
}

/** Forgets every cached total of a store (tests). */
export function forgetLearningTotals(store: Store): void {
  caches.delete(store);
}
