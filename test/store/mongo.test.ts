import { randomBytes, randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { openMongoStore } from '../../src/store/mongo/mongo-store';
import { runStoreContract } from './contract';
import { statement, unique } from './contract/builders';

/**
 * The store contract on MongoDB. Needs a server: MONGODB_URI (scripts/test.mjs starts a local
 * FerretDB and sets it when one is built). One fresh database per test file, dropped at the end.
 */
const uri = process.env['MONGODB_URI'];

if (uri === undefined || uri === '') {
  console.warn('MongoDB store contract SKIPPED: MONGODB_URI is not set (run `npm test`, which starts FerretDB, or set MONGODB_URI).');
  describe.skip('mongo store contract (needs MONGODB_URI)', () => {
    it('runs against a MongoDB server', () => undefined);
  });
} else {
  const dbName = `learnhq_test_${randomBytes(6).toString('hex')}`;
  const open = (): ReturnType<typeof openMongoStore> => openMongoStore({ url: uri, dbName, serverSelectionTimeoutMs: 5000 });

  afterAll(async () => {
    const client = new MongoClient(uri);
    try {
      await client.connect();
      await client.db(dbName).dropDatabase();
    } finally {
      await client.close();
    }
  });

  runStoreContract('mongo', open);

  describe('mongo store', () => {
    it('keeps statement JSON whose keys MongoDB would refuse as field names', async () => {
      const store = await open();
      try {
        const s = statement();
        const json = {
          ...s.statement,
          result: { extensions: { 'http://example.com/ext.with.dots': { $weird: 1, 'a.b': [1, { $c: 'd' }] } } },
        };
        await store.statements.insertStatements([{ ...s, statement: json }], []);
        const [found] = await store.statements.findStatementsByIds([s.id]);
        expect(found?.statement).toEqual(json);
        // Key order survives too: the JSON comes back as it was stored.
        expect(JSON.stringify(found?.statement)).toBe(JSON.stringify(json));
      } finally {
        await store.close();
      }
    });

    it('backfills statement_links for a store written before it existed, so late voiding still works', async () => {
      const store = await open();
      const target = randomUUID();
      const voiding = statement({ voids: target });
      try {
        await store.statements.insertStatements([voiding], []);
      } finally {
        await store.close();
      }
      // As an older LearnHQ left it: the pointing statement, no statement_links at all.
      const client = new MongoClient(uri);
      try {
        await client.connect();
        await client.db(dbName).collection('statement_links').deleteMany({});
      } finally {
        await client.close();
      }
      const reopened = await open();
      try {
        await reopened.statements.insertStatements([statement({ id: target })], []);
        const [found] = await reopened.statements.findStatementsByIds([target]);
        expect(found?.voided).toBe(true);
      } finally {
        await reopened.close();
      }
    });

    it('answers ping while open, rejects it once closed, and closes idempotently', async () => {
      const store = await open();
      expect(store.engine).toBe('mongo');
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      await store.close();
      await expect(store.ping()).rejects.toThrow();
    });

    it('reports an unreachable server as an unavailable AppError, not a driver error', async () => {
      await expect(
        openMongoStore({ url: 'mongodb://127.0.0.1:9/', dbName, serverSelectionTimeoutMs: 300 }),
      ).rejects.toMatchObject({ code: 'unavailable' });
    });

    it('rejects a query time that is not ISO 8601 as a bad request', async () => {
      const store = await open();
      try {
        await expect(
          store.statements.findStatements({ allRefs: [], since: 'yesterday', ascending: true, limit: 1 }),
        ).rejects.toMatchObject({ code: 'bad_request' });
      } finally {
        await store.close();
      }
    });
  });
}
