/**
 * The cmi5 HTTP flows — launch sequence, LRS rules for session tokens, moveOn and satisfied — on
 * MongoDB: the very tests of cmi5-launch, cmi5-rules and cmi5-move-on, with every harness opening
 * a MongoDB store. Runs when MONGODB_URI is set (npm test starts FerretDB for it).
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { openMongoStore } from '../../../src/store/mongo/mongo-store';
import { usePlayerHarnessStore } from './harness';

const uri = process.env['MONGODB_URI'];
if (!uri) {
  describe.skip('cmi5 flows on MongoDB (needs MONGODB_URI)', () => {
    it('runs against a MongoDB server', () => undefined);
  });
} else {
  const prefix = `learnhq_cmi5_${randomBytes(4).toString('hex')}`;
  const names: string[] = [];
  usePlayerHarnessStore(() => {
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
  // Each file registers its tests and its own harness (beforeAll) when required.
  /* eslint-disable @typescript-eslint/no-require-imports */
  require('./cmi5-launch.test');
  require('./cmi5-rules.test');
  require('./cmi5-move-on.test');
  test('each of the three suites ran on its own MongoDB store', () => {
    expect(names).toHaveLength(3);
  });
}
