/**
 * The SQLite catalog keeps parsed entries by rowid between searches (bench/catalog-search). A
 * search must still see every change: one made through the same store, and one committed by
 * another connection to the same file (a second process), which PRAGMA data_version reveals.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store';
import type { CatalogEntry, Store } from '../../src/store/ports';

jest.setTimeout(60_000);

const entry = (id: string, title: string, over: Partial<CatalogEntry> = {}): CatalogEntry => ({
  id, kind: 'webinar', orgId: 'org-a', provider: 'State Library', title, description: 'A session on library work', keywords: [], competencies: [],
  language: 'en', state: 'published', visibility: 'all', visibleOrgIds: [], createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', ...over,
});

describe('SQLite catalog search cache', () => {
  let dir: string;
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-cache-'));
    a = await openStore({ kind: 'sqlite', path: path.join(dir, 'c.sqlite') });
    b = await openStore({ kind: 'sqlite', path: path.join(dir, 'c.sqlite') });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const titles = async (s: Store, text?: string): Promise<string[]> =>
    (await s.catalog.searchCatalog({ viewer: { orgIds: ['org-a'] }, ...(text !== undefined ? { text } : {}) })).map((h) => h.entry.title).sort();

  it('sees changes made through the same store and through another connection', async () => {
    await a.catalog.upsertCatalogEntry(entry('e1', 'Cataloguing basics'));
    await a.catalog.upsertCatalogEntry(entry('e2', 'Storytime skills'));
    expect(await titles(a)).toEqual(['Cataloguing basics', 'Storytime skills']);
    // Same store: a renamed entry is read again.
    await a.catalog.upsertCatalogEntry(entry('e1', 'Cataloguing advanced'));
    expect(await titles(a)).toEqual(['Cataloguing advanced', 'Storytime skills']);
    expect(await titles(a, 'catalog')).toEqual(['Cataloguing advanced']);
    // Another connection renames one and withdraws the other: the first store sees both.
    await b.catalog.upsertCatalogEntry(entry('e2', 'Storytime for toddlers'));
    expect(await titles(a)).toEqual(['Cataloguing advanced', 'Storytime for toddlers']);
    await b.catalog.upsertCatalogEntry(entry('e1', 'Cataloguing advanced', { state: 'draft' }));
    expect(await titles(a)).toEqual(['Storytime for toddlers']);
    await b.catalog.upsertCatalogEntry(entry('e1', 'Cataloguing again', { visibility: 'org', orgId: 'org-a' }));
    expect(await titles(a, 'again')).toEqual(['Cataloguing again']);
  });
});
