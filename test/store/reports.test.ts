import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { openMongoStore } from '../../src/store/mongo/mongo-store';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';
import { reportsContract } from './contract/reports';

/**
 * The report projections' contract alone on both engines (it is also part of runStoreContract),
 * so the reports work can run it without the whole store suite.
 */
describe('sqlite', () => reportsContract(() => openSqliteStore({ path: ':memory:' })));

const uri = process.env['MONGODB_URI'];
if (uri === undefined || uri === '') {
  describe.skip('mongo reports contract (needs MONGODB_URI)', () => {
    it('runs against a MongoDB server', () => undefined);
  });
} else {
  const dbName = `learnhq_reports_${randomBytes(6).toString('hex')}`;
  afterAll(async () => {
    const client = new MongoClient(uri);
    try {
      await client.connect();
      await client.db(dbName).dropDatabase();
    } finally {
      await client.close();
    }
  });
  describe('mongo', () => reportsContract(() => openMongoStore({ url: uri, dbName, serverSelectionTimeoutMs: 5000 })));
}
