/**
 * The SCORM runtime over HTTP — seeding, commits, resume, profile statements and documents,
 * course rollup, SCO attempts — on MongoDB: the very tests of runtime, scorm-profile,
 * course-rollup and sco-attempts-seeding, with every harness opening a MongoDB store. Runs when
 * MONGODB_URI is set (npm test starts FerretDB for it).
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { openMongoStore } from '../../../src/store/mongo/mongo-store';
import { useLaunchHarnessStore } from './harness';

const uri = process.env['MONGODB_URI'];
if (!uri) {
  describe.skip('SCORM runtime on MongoDB (needs MONGODB_URI)', () => {
    it('runs against a MongoDB server', () => undefined);
  });
} else {
  const prefix = `learnhq_launch_${randomBytes(4).toString('hex')}`;
  const names: string[] = [];
  useLaunchHarnessStore(() => {
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
  require('./runtime.test');
  require('./scorm-profile.test');
  require('./course-rollup.test');
  require('./sco-attempts-seeding.test');
  test('each suite ran on its own MongoDB store', () => {
    expect(names.length).toBeGreaterThanOrEqual(4);
  });
}
