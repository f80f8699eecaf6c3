/**
 * The sweep's rules (issue 11 item 16): only file sets no version names and temp uploads older
 * than the grace period go; committed file sets and anything younger (an import or upload in
 * progress, perhaps on another instance) stay.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { testConfig } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import type { TinCanCourseModel } from '../../../src/packages/course-model';
import { sweepOrphans, uploadTmpDir } from '../../../src/packages/orphan-sweep';
import { openStore } from '../../../src/store';
import { createFolderFileStore } from '../../../src/store/files/folder';

it('deletes old uncommitted file sets and temp uploads, and keeps committed and recent ones', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhq-sweep-'));
  const store = await openStore({ kind: 'sqlite', path: ':memory:' });
  try {
    const config = testConfig({ dataDir: dir, orphanGraceSeconds: 600 });
    const files = createFolderFileStore(path.join(dir, 'packages'));
    const put = (p: string) => files.put(p, Readable.from([Buffer.from('x')]));
    await put('committed/index.html');
    await put('old-orphan/index.html');
    await put('young-orphan/index.html');
    const at = new Date().toISOString();
    const model: TinCanCourseModel = { modelVersion: 1, format: 'tincan', manifestPath: 'tincan.xml', title: 'C', activities: [], mainActivityId: 'http://example.com/a', launchables: [] };
    await store.courses.insertCourse(
      { id: 'c1', orgId: 'o', title: 'C', description: '', language: 'en', provider: 'P', competencies: [], state: 'draft', currentVersionId: 'v1', currentVersionNumber: 1, createdAt: at, updatedAt: at },
      { id: 'v1', courseId: 'c1', number: 1, format: 'tincan', fileSetId: 'committed', sha256: 'ab'.repeat(32), bytes: 1, uploadedBy: 'u', createdAt: at, model, report: { errors: [], warnings: [] } },
    );
    const uploads = uploadTmpDir({ config });
    fs.mkdirSync(uploads, { recursive: true });
    for (const name of ['upload-0d4e6f1a-1111-4aaa-8aaa-000000000001.zip', 'upload-0d4e6f1a-2222-4bbb-8bbb-000000000002.zip', 'not-an-upload.txt']) fs.writeFileSync(path.join(uploads, name), 'zip');
    const hourAgo = new Date(Date.now() - 3600_000);
    for (const p of ['packages/committed', 'packages/committed/index.html', 'packages/old-orphan', 'packages/old-orphan/index.html']) {
      fs.utimesSync(path.join(dir, p), hourAgo, hourAgo);
    }
    fs.utimesSync(path.join(uploads, 'upload-0d4e6f1a-1111-4aaa-8aaa-000000000001.zip'), hourAgo, hourAgo);
    fs.utimesSync(path.join(uploads, 'not-an-upload.txt'), hourAgo, hourAgo);

    const result = await sweepOrphans({ store, files, logger: createLogger('silent'), config, now: () => new Date() });
    expect(result.fileSets).toEqual(['old-orphan']);
    expect(result.tempUploads).toEqual(['upload-0d4e6f1a-1111-4aaa-8aaa-000000000001.zip']);
    expect((await files.findFileSets()).map((s) => s.id).sort()).toEqual(['committed', 'young-orphan']);
    expect(fs.readdirSync(uploads).sort()).toEqual(['not-an-upload.txt', 'upload-0d4e6f1a-2222-4bbb-8bbb-000000000002.zip']);
    // Idempotent: a second sweep finds nothing more.
    expect(await sweepOrphans({ store, files, logger: createLogger('silent'), config, now: () => new Date() })).toEqual({ fileSets: [], tempUploads: [], abandonedWrites: 0 });
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
