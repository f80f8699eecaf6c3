/**
 * Issue 11 item 8: a flood of sign-ins for unknown emails and of Basic requests with wrong
 * secrets. At most KDF_MAX_ACTIVE hashes run and KDF_MAX_WAITING wait; the rest are refused at
 * once with 503 and Retry-After; a static file and a content-origin file are served while the
 * queue is full. Judged by the gate's state and the order of answers, never by timings.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import request from 'supertest';
import { kdfGate, KDF_MAX_ACTIVE, KDF_MAX_WAITING } from '../../../src/accounts/kdf-gate';
import { createLogger } from '../../../src/logger';
import { createContentApp } from '../../../src/packages/content-app';
import { openFileStore } from '../../../src/store/files';
import type { FileStore } from '../../../src/store/ports';
import { createWorld, type World } from './fixture';

let w: World;
let files: FileStore;
let dir: string;
beforeAll(async () => {
  w = await createWorld();
  dir = await mkdtemp(path.join(os.tmpdir(), 'lhq-kdf-'));
  files = await openFileStore({ ...w.config, fileStore: 'folder', packagesDir: dir });
  await files.put('fs1/index.html', Readable.from([Buffer.from('<p>course</p>')]));
});
afterAll(async () => {
  await files.close();
  await w.close();
  await rm(dir, { recursive: true, force: true });
});

/** The most the gate ever held at once while a test watched it. */
const seen = { active: 0, waiting: 0 };

/**
 * Resolves once the gate is refusing (its queue filled up since `refusedBefore`) while hashes
 * still wait: the state in which other requests would starve without the bound.
 */
async function untilRefusing(refusedBefore: number): Promise<void> {
  for (let i = 0; i < 5000; i++) {
    const s = kdfGate.state;
    seen.active = Math.max(seen.active, s.active);
    seen.waiting = Math.max(seen.waiting, s.waiting);
    if (s.refused > refusedBefore && s.waiting > 0) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`the gate never refused: ${JSON.stringify(kdfGate.state)}`);
}

it('bounds the hashes of a sign-in flood, refuses the excess with 503, and serves static and content files meanwhile', async () => {
  // Unknown emails, one per request (the per-account limit never applies); 48 stay under the per-address limit.
  const flood = 48;
  const before = kdfGate.state.refused;
  const pending = Array.from({ length: flood }, (_, i) => request(w.app).post('/api/session').send({ email: `nobody-${i}@example.org`, password: 'wrong password' }).then((r) => r));
  await untilRefusing(before);

  const css = await request(w.app).get('/static/style.css');
  expect(css.status).toBe(200);
  const content = await request(createContentApp({ config: w.config, logger: createLogger('silent'), store: { courses: { findFileSetIds: async (ids: readonly string[]) => [...ids] } } }, files)).get('/content/fs1/index.html');
  expect(content.status).toBe(200);
  // Both answered while password checks still queued: the thread pool was not theirs to wait for.
  expect(kdfGate.state.waiting).toBeGreaterThan(0);

  const answers = await Promise.all(pending);
  const busy = answers.filter((r) => r.status === 503);
  expect(busy.length).toBeGreaterThan(0);
  expect(answers.filter((r) => r.status === 401).length + busy.length).toBe(flood);
  for (const r of busy) {
    expect(r.headers['retry-after']).toBe('1');
    expect(r.body).toEqual({ error: 'unavailable', message: expect.stringMatching(/too many sign-in and credential checks/) });
  }
  expect(seen.active).toBeLessThanOrEqual(KDF_MAX_ACTIVE);
  expect(seen.waiting).toBeLessThanOrEqual(KDF_MAX_WAITING);
  expect(kdfGate.state).toMatchObject({ active: 0, waiting: 0 });
});

it('bounds Basic credential checks with wrong secrets the same way, and a cached credential still works', async () => {
  // Known key, wrong secrets: each one needs a hash.
  const key = Buffer.from(w.creds.orgA.slice(6), 'base64').toString().split(':')[0];
  await request(w.app).get('/xapi/statements').set('Authorization', w.creds.site).set('X-Experience-API-Version', '1.0.3');
  const flood = 60;
  const before = kdfGate.state.refused;
  const pending = Array.from({ length: flood }, (_, i) =>
    request(w.app).get('/xapi/statements').set('Authorization', `Basic ${Buffer.from(`${key}:wrong-${i}`).toString('base64')}`).set('X-Experience-API-Version', '1.0.3').then((r) => r),
  );
  await untilRefusing(before);
  // The site credential was verified before the flood: its check is a cache hit, no hash.
  const ok = await request(w.app).get('/xapi/statements').set('Authorization', w.creds.site).set('X-Experience-API-Version', '1.0.3');
  expect(ok.status).toBe(200);
  expect(kdfGate.state.waiting).toBeGreaterThan(0);
  const answers = await Promise.all(pending);
  const busy = answers.filter((r) => r.status === 503);
  expect(busy.length).toBeGreaterThan(0);
  expect(answers.filter((r) => r.status === 401).length + busy.length).toBe(flood);
  for (const r of busy) expect(r.headers['retry-after']).toBe('1');
  expect(seen.active).toBeLessThanOrEqual(KDF_MAX_ACTIVE);
  expect(seen.waiting).toBeLessThanOrEqual(KDF_MAX_WAITING);
});
