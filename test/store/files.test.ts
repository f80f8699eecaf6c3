import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { MongoClient } from 'mongodb';
import { createFolderFileStore } from '../../src/store/files/folder';
import { openGridFsFileStore } from '../../src/store/files/gridfs';
import { openFileStore } from '../../src/store/files';
import { runFileStoreContract } from './contract';

const dir = mkdtempSync(join(tmpdir(), 'learnhq-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runFileStoreContract('folder', async () => createFolderFileStore(join(dir, 'store')));

describe('folder file store', () => {
  it('is what openFileStore gives by default, rooted at packagesDir', async () => {
    const root = join(dir, 'configured');
    const files = await openFileStore({ fileStore: 'folder', packagesDir: root, db: { kind: 'sqlite', path: ':memory:' } });
    expect(files.kind).toBe('folder');
    await files.put('set-1/a.txt', Readable.from([Buffer.from('abc')]));
    expect(readdirSync(join(root, 'set-1'))).toEqual(['a.txt']);
    // Nothing is left in the staging folder after a write.
    expect(readdirSync(join(root, '.incoming'))).toEqual([]);
  });
});

const uri = process.env['MONGODB_URI'];
if (uri === undefined || uri === '') {
  console.warn('GridFS file store contract SKIPPED: MONGODB_URI is not set.');
  describe.skip('gridfs file store contract (needs MONGODB_URI)', () => {
    it('runs against a MongoDB server', () => undefined);
  });
} else {
  const dbName = `learnhq_files_${randomBytes(6).toString('hex')}`;
  afterAll(async () => {
    const client = new MongoClient(uri);
    try {
      await client.connect();
      await client.db(dbName).dropDatabase();
    } finally {
      await client.close();
    }
  });
  runFileStoreContract('gridfs', () => openGridFsFileStore({ url: uri, dbName, serverSelectionTimeoutMs: 5000 }));
}
