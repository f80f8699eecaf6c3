/**
 * Catalog search (issue 18): the store finds the visible, published entries that match the words
 * (SQLite FTS5; a word-prefix regex on MongoDB/FerretDB); this module applies the facet filters,
 * counts facets, sorts and pages, the same way on both engines.
 */
import { badRequest } from '../errors';
import type { CatalogEntry, CatalogHit, CatalogKind, CatalogViewer, Store } from '../store/ports';

export const SORTS = ['relevance', 'title', 'newest', 'credits', 'date'] as const;
export type CatalogSort = (typeof SORTS)[number];
export const DURATIONS = ['short', 'medium', 'long'] as const;
export type DurationBucket = (typeof DURATIONS)[number];
export const KINDS: readonly CatalogKind[] = ['course', 'webinar', 'workshop', 'conference', 'external', 'link'];

/** Parsed search parameters (GET /api/catalog and /catalog share them). */
export interface CatalogSearch {
  readonly q?: string;
  readonly provider?: string;
  readonly format?: string;
  readonly kind?: CatalogKind;
  readonly language?: string;
  readonly duration?: DurationBucket;
  /** Only entries that award CE credits. */
  readonly credits?: boolean;
  readonly competency?: string;
  /** Only entries with a start date from now on. */
  readonly upcoming?: boolean;
  readonly sort: CatalogSort;
  /** 1-based. */
  readonly page: number;
  readonly perPage: number;
}

export interface FacetValue { readonly value: string; readonly count: number }

export interface CatalogFacets {
  readonly provider: readonly FacetValue[];
  readonly format: readonly FacetValue[];
  readonly kind: readonly FacetValue[];
  readonly language: readonly FacetValue[];
  readonly duration: readonly FacetValue[];
  readonly credits: readonly FacetValue[];
  readonly competency: readonly FacetValue[];
  readonly upcoming: readonly FacetValue[];
}

export interface CatalogResult {
  readonly total: number;
  readonly page: number;
  readonly perPage: number;
  readonly pages: number;
  readonly items: readonly CatalogEntry[];
  readonly facets: CatalogFacets;
}

function one(query: Record<string, unknown>, name: string, max = 200): string | undefined {
  const v = query[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw badRequest(`${name}: give one value`);
  if (v.length > max) throw badRequest(`${name}: at most ${max} characters`);
  return v;
}

function oneOf<T extends string>(query: Record<string, unknown>, name: string, allowed: readonly T[]): T | undefined {
  const v = one(query, name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw badRequest(`${name}: one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

function int(query: Record<string, unknown>, name: string, min: number, max: number, fallback: number): number {
  const v = one(query, name, 10);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v)) throw badRequest(`${name}: a whole number, got ${JSON.stringify(v)}`);
  return Math.min(max, Math.max(min, Number(v)));
}

/** Parses the query string of a catalog search; 400 on a value that cannot be meant. */
export function parseCatalogSearch(query: Record<string, unknown>): CatalogSearch {
  const q = one(query, 'q', 500)?.trim();
  const flag = (name: string): boolean => {
    const v = one(query, name, 5);
    return v === '1' || v === 'true' || v === 'on';
  };
  const provider = one(query, 'provider');
  const format = one(query, 'format');
  const kind = oneOf(query, 'kind', KINDS);
  const language = one(query, 'language', 35);
  const duration = oneOf(query, 'duration', DURATIONS);
  const competency = one(query, 'competency');
  return {
    ...(q ? { q } : {}),
    ...(provider !== undefined ? { provider } : {}),
    ...(format !== undefined ? { format } : {}),
    ...(kind !== undefined ? { kind } : {}),
    ...(language !== undefined ? { language } : {}),
    ...(duration !== undefined ? { duration } : {}),
    ...(flag('credits') ? { credits: true } : {}),
    ...(competency !== undefined ? { competency } : {}),
    ...(flag('upcoming') ? { upcoming: true } : {}),
    sort: oneOf(query, 'sort', SORTS) ?? (q ? 'relevance' : 'title'),
    page: int(query, 'page', 1, 100000, 1),
    perPage: int(query, 'perPage', 1, 100, 20),
  };
}

/** The duration bucket of an entry: up to 30 minutes, up to 2 hours, longer. */
export function durationOf(e: CatalogEntry): DurationBucket | undefined {
  if (e.durationMinutes === undefined) return undefined;
  if (e.durationMinutes <= 30) return 'short';
  return e.durationMinutes <= 120 ? 'medium' : 'long';
}

type FacetName = keyof CatalogFacets;

/** Values of each facet an entry has. */
function facetValues(e: CatalogEntry, nowIso: string): Record<FacetName, readonly string[]> {
  const d = durationOf(e);
  return {
    provider: [e.provider],
    format: e.format !== undefined ? [e.format] : [],
    kind: [e.kind],
    language: [e.language],
    duration: d ? [d] : [],
    credits: e.ceCredits !== undefined && e.ceCredits > 0 ? ['yes'] : [],
    competency: e.competencies,
    upcoming: e.startsAt !== undefined && e.startsAt >= nowIso ? ['yes'] : [],
  };
}

/** The selected value of each facet ('yes' for the flags). */
function selected(s: CatalogSearch): Partial<Record<FacetName, string>> {
  return {
    ...(s.provider !== undefined ? { provider: s.provider } : {}),
    ...(s.format !== undefined ? { format: s.format } : {}),
    ...(s.kind !== undefined ? { kind: s.kind } : {}),
    ...(s.language !== undefined ? { language: s.language } : {}),
    ...(s.duration !== undefined ? { duration: s.duration } : {}),
    ...(s.credits ? { credits: 'yes' } : {}),
    ...(s.competency !== undefined ? { competency: s.competency } : {}),
    ...(s.upcoming ? { upcoming: 'yes' } : {}),
  };
}

const FACETS: readonly FacetName[] = ['provider', 'format', 'kind', 'language', 'duration', 'credits', 'competency', 'upcoming'];

// One collator: localeCompare with options builds one per call (measured: most of a 3,000-entry sort).
const collator = new Intl.Collator('en', { sensitivity: 'base' });
const byTitle = (a: CatalogEntry, b: CatalogEntry): number => collator.compare(a.title, b.title) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function sorter(sort: CatalogSort): (a: CatalogHit, b: CatalogHit) => number {
  switch (sort) {
    case 'relevance': return (a, b) => b.score - a.score || byTitle(a.entry, b.entry);
    case 'title': return (a, b) => byTitle(a.entry, b.entry);
    case 'newest': return (a, b) => (a.entry.createdAt < b.entry.createdAt ? 1 : a.entry.createdAt > b.entry.createdAt ? -1 : byTitle(a.entry, b.entry));
    case 'credits': return (a, b) => (b.entry.ceCredits ?? 0) - (a.entry.ceCredits ?? 0) || byTitle(a.entry, b.entry);
    case 'date': return (a, b) => (a.entry.startsAt ?? '~').localeCompare(b.entry.startsAt ?? '~') || byTitle(a.entry, b.entry);
  }
}

/**
 * The first `k` of `xs` in the order of `cmp` (a total order), as a full sort would give them:
 * one pass keeping the best k in a sorted buffer, so a page of 20 out of thousands costs a few
 * thousand comparisons instead of a whole sort (bench/catalog-search). A sort when k is large.
 */
export function firstInOrder<T>(xs: readonly T[], k: number, cmp: (a: T, b: T) => number): T[] {
  if (k <= 0) return [];
  if (k * 4 >= xs.length) return [...xs].sort(cmp).slice(0, k);
  const top: T[] = [];
  for (const x of xs) {
    if (top.length === k && cmp(x, top[k - 1]!) >= 0) continue;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(top[mid]!, x) <= 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, x);
    if (top.length > k) top.pop();
  }
  return top;
}

/**
 * Runs a search for a viewer. Each facet counts the entries that match every other selected
 * facet (so choosing a provider still shows how many each other provider has).
 */
export async function searchCatalogFor(store: Store, viewer: CatalogViewer, s: CatalogSearch, now: Date): Promise<CatalogResult> {
  const hits = await store.catalog.searchCatalog({ viewer, ...(s.q !== undefined ? { text: s.q } : {}) });
  const nowIso = now.toISOString();
  const chosen = selected(s);
  const chosenFacets = FACETS.filter((f) => chosen[f] !== undefined);
  const counts = Object.fromEntries(FACETS.map((f) => [f, new Map<string, number>()])) as Record<FacetName, Map<string, number>>;
  const count = (f: FacetName, values: readonly string[]): void => {
    const m = counts[f];
    for (const value of values) m.set(value, (m.get(value) ?? 0) + 1);
  };
  const matched: CatalogHit[] = [];
  for (const h of hits) {
    const v = facetValues(h.entry, nowIso);
    // The selected facet this entry misses, if exactly one; two or more: it counts nowhere.
    let missed: FacetName | undefined;
    let misses = 0;
    for (const f of chosenFacets) {
      if (!v[f].includes(chosen[f]!)) {
        missed = f;
        if (++misses > 1) break;
      }
    }
    if (misses === 0) {
      matched.push(h);
      for (const f of FACETS) count(f, v[f]);
    } else if (misses === 1) {
      count(missed!, v[missed!]);
    }
  }
  const facets = Object.fromEntries(FACETS.map((f) => [
    f,
    [...counts[f].entries()].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
  ])) as unknown as CatalogFacets;
  const start = (s.page - 1) * s.perPage;
  return {
    total: matched.length,
    page: s.page,
    perPage: s.perPage,
    pages: Math.max(1, Math.ceil(matched.length / s.perPage)),
    // Only the entries up to the page's end are put in order (the order is total: ids break ties).
    items: firstInOrder(matched, start + s.perPage, sorter(s.sort)).slice(start).map((h) => h.entry),
    facets,
  };
}
