/**
 * Issue 11 item 16: an import killed with SIGKILL in the middle of extracting a package leaves a
 * partial file set and its temp upload. Nothing of it is served (no course version names it), and
 * the next start sweeps both away, logging each. On the folder store, and on GridFS when
 * MONGODB_URI is set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createContentApp } from '../../src/packages/content-app';
import { openStore } from '../../src/store';
import { openFileStore } from '../../src/store/files';
import { createZipFileWriter } from '../fixtures/zip-builder';

const ROOT = path.resolve(__dirname, '..', '..');
const ASSETS = 4000;

/** A TinCan package with many small files, so extraction takes long enough to be interrupted. */
function writePackage(file: string): void {
  const w = createZipFileWriter(file);
  w.add({ name: 'tincan.xml', data: `<?xml version="1.0"?><tincan xmlns="http://projecttincan.com/tincan.xsd"><activities>
    <activity id="http://example.com/killed" type="http://adlnet.gov/expapi/activities/course"><name lang="en">Killed</name><launch>index.html</launch></activity>
  </activities></tincan>` });
  w.add({ name: 'index.html', data: '<!doctype html><title>Killed</title>' });
  for (let i = 0; i < ASSETS; i++) w.add({ name: `assets/f${i}.txt`, data: `asset ${i} ${'x'.repeat(200)}` });
  w.finish();
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const a = s.address() as net.AddressInfo;
      s.close(() => resolve(a.port));
    });
  });
}

interface Child {
  readonly child: ChildProcess;
  out(): string;
  readonly exited: Promise<number | null>;
}

function run(script: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'scripts/register-ts.js'), path.join(ROOT, script)], {
    cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, exited };
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function killMidImportThenRestart(env: Record<string, string>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhq-killed-'));
  try {
    const zip = path.join(dir, 'package.zip');
    writePackage(zip);
    const base = { ...env, LEARNHQ_DATA_DIR: path.join(dir, 'data'), LEARNHQ_PACKAGES_DIR: path.join(dir, 'packages'), LEARNHQ_DEMO: 'false', LOG_LEVEL: 'silent' };

    const importer = run('test/e2e/interrupted-import-child.ts', { ...base, IMPORT_ZIP: zip });
    await until('extraction to begin', () => importer.out().includes('EXTRACTING') || importer.child.exitCode !== null);
    importer.child.kill('SIGKILL');
    await importer.exited;
    expect(importer.out()).not.toContain('DONE');

    const config = loadConfig(base);
    const store = await openStore(config.db);
    const files = await openFileStore(config);
    try {
      // A partial file set that nothing commits, and the temp upload, are left behind.
      const sets = await files.findFileSets();
      expect(sets).toHaveLength(1);
      const set = sets[0]!.id;
      expect(await files.stat(`${set}/tincan.xml`)).toBeDefined();
      expect(await files.stat(`${set}/assets/f${ASSETS - 1}.txt`)).toBeUndefined();
      expect(await store.courses.findFileSetIds([set])).toEqual([]);
      const uploads = path.join(config.dataDir, 'uploads');
      expect(fs.readdirSync(uploads).filter((n) => n.startsWith('upload-'))).toHaveLength(1);

      // The content origin never serves it, though its files are there.
      const content = createContentApp({ config, logger: createLogger('silent'), store }, files);
      expect((await request(content).get(`/content/${set}/tincan.xml`)).status).toBe(404);
      expect((await request(content).get(`/content/${set}/index.html`)).status).toBe(404);
    } finally {
      await files.close();
      await store.close();
    }

    // The next start sweeps both, and says so.
    const port = await freePort();
    const server = run('src/main.ts', { ...base, PORT: String(port), HOST: '127.0.0.1', LEARNHQ_CONTENT_PORT: '0', LOG_LEVEL: 'info', LEARNHQ_ORPHAN_GRACE_SECONDS: '0' });
    try {
      await until('the sweep', () => /"fileSets":1,"tempUploads":1/.test(server.out()) || server.child.exitCode !== null);
      expect(server.out()).toMatch(/sweep: deleted a file set no course version names/);
      expect(server.out()).toMatch(/sweep: deleted a temp upload/);
      const health = await new Promise<number>((resolve) => {
        http.get({ host: '127.0.0.1', port, path: '/health' }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', () => resolve(0));
      });
      expect(health).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const after = await openFileStore(config);
    try {
      expect(await after.findFileSets()).toEqual([]);
    } finally {
      await after.close();
    }
    expect(fs.readdirSync(path.join(config.dataDir, 'uploads')).filter((n) => n.startsWith('upload-'))).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

it('folder store: a killed import is never served and is swept at the next start', async () => {
  await killMidImportThenRestart({});
}, 120_000);

const uri = process.env['MONGODB_URI'];
(uri ? it : it.skip)('GridFS: the same with the files and the records in MongoDB', async () => {
  const dbName = `learnhq_killed_${randomBytes(4).toString('hex')}`;
  const url = new URL(uri!);
  url.pathname = `/${dbName}`;
  try {
    await killMidImportThenRestart({ LEARNHQ_DB: url.toString(), LEARNHQ_FILE_STORE: 'gridfs', LEARNHQ_SESSION_SECRET: 's'.repeat(40) });
  } finally {
    const client = new MongoClient(uri!);
    try {
      await client.connect();
      await client.db(dbName).dropDatabase();
    } finally {
      await client.close();
    }
  }
}, 180_000);
