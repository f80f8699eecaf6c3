import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { openMongoStore } from '../../src/store/mongo/mongo-store';
import type { Store } from '../../src/store/ports';

/**
 * Runs HTTP test files again on MongoDB: `useStore` makes their harness open a fresh MongoDB
 * database per harness (dropped after the run), then `load` requires the test files, which
 * register their tests and hooks. Without MONGODB_URI the suite reports itself skipped.
 */
export function onMongo(what: string, useStore: (open: () => Promise<Store>) => void, load: () => void, harnesses: number): void {
  const uri = process.env['MONGODB_URI'];
  if (!uri) {
    describe.skip(`${what} on MongoDB (needs MONGODB_URI)`, () => {
      it('runs against a MongoDB server', () => undefined);
    });
    return;
  }
  // Opening a store creates every area's collections and indexes, which FerretDB does slowly on a
  // busy machine: hooks and tests without a timeout of their own get two minutes here.
  jest.setTimeout(120_000);
  const prefix = `learnhq_${randomBytes(4).toString('hex')}`;
  const names: string[] = [];
  useStore(() => {
    const dbName = `${prefix}_${names.length}`;
    names.push(dbName);
    return openMongoStore({ url: uri, dbName, serverSelectionTimeoutMs: 5000 });
  });
  afterAll(async () => {
    const client = new MongoClient(uri);
    try {
      await client.connect();
      for (const n of names) await client.db(n).dropDatabase();
    } finally {
      await client.close();
    }
  });
  load();
  test(`${what}: every suite ran on its own MongoDB store`, () => {
    expect(names.length).toBeGreaterThanOrEqual(harnesses);
  });
}
