/**
 * The child process of test/e2e/interrupted-import.test.ts: a real import, as the upload route
 * runs it (receiveUpload into the temp folder, then createCourseFromUpload into the configured
 * store and file store), that says EXTRACTING on stdout once part of the package is written, so the
 * test can kill it with SIGKILL in the middle. Configured by the usual LEARNHQ_* variables, plus
 * IMPORT_ZIP (the package to import).
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { CredentialVerifier } from '../../src/xapi/auth/credential-verifier';
import { createCourseFromUpload } from '../../src/packages/service';
import { uploadTmpDir } from '../../src/packages/orphan-sweep';
import { receiveUpload } from '../../src/packages/upload';
import { openStore } from '../../src/store';
import { openFileStore } from '../../src/store/files';
import type { FileStore } from '../../src/store/ports';

async function main(): Promise<void> {
  const config = loadConfig();
  const zip = process.env['IMPORT_ZIP'] ?? '';
  const store = await openStore(config.db);
  const real = await openFileStore(config);
  let written = 0;
  // The real file store; it only reports progress, so the parent knows extraction has begun.
  const files: FileStore = {
    ...real,
    async put(path, body, contentType) {
      const r = await real.put(path, body, contentType);
      written += 1;
      if (written === 25) process.stdout.write('EXTRACTING\n');
      return r;
    },
  };
  const orgId = `org-${randomUUID().slice(0, 8)}`;
  await store.accounts.insertOrganization({ id: orgId, slug: orgId, name: 'Killed imports', kind: 'provider', createdAt: new Date().toISOString() });
  const logger = createLogger('silent');
  const now = (): Date => new Date();
  const services = { config, store, logger, now, credentials: new CredentialVerifier(store.credentials), files };
  const user = { userId: 'importer', email: 'importer@example.org', name: 'Importer', isSiteAdmin: true, roles: new Map(), sessionId: 's', csrfToken: 'c' };
  const body = Object.assign(fs.createReadStream(zip), { headers: { 'content-type': 'application/zip', 'content-length': String(fs.statSync(zip).size) } });
  const upload = await receiveUpload(body, { maxBytes: config.maxUploadBytes, tmpDir: uploadTmpDir(services) });
  process.stdout.write(`UPLOADED ${upload.path}\n`);
  await createCourseFromUpload(services, user, orgId, upload);
  process.stdout.write('DONE\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
