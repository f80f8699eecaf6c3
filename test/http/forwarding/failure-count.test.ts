/**
 * A forwarding target's failure count survives a restart (issue 13): a batch that failed before
 * the restart keeps its attempts, so it becomes dead letters after maxAttempts in all, not
 * maxAttempts more. The target here refuses every connection (a closed local port).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type AppHandle } from '../../../src/app';
import { testConfig } from '../../../src/config';
import { sealSecret } from '../../../src/forwarding/secrets';
import { forwardSubscriber } from '../../../src/forwarding/subscriber';
import { createLogger } from '../../../src/logger';
import type { PipelineEvent } from '../../../src/pipeline/types';
import { openStore } from '../../../src/store';
import type { ForwardTarget, Store } from '../../../src/store/ports';
import { freePort } from './helpers';

jest.setTimeout(60_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lhq-fwd-failures-'));
const file = path.join(dir, 'sender.sqlite');
const config = testConfig({ dataDir: dir, allowPrivateTargets: true, sessionSecret: 's'.repeat(40) });
let store: Store;
let handle: AppHandle;

async function open(): Promise<void> {
  store = await openStore({ kind: 'sqlite', path: file });
  handle = createApp({ config, store, logger: createLogger('silent') });
}
async function close(): Promise<void> {
  await handle.pipeline.stop();
  await store.close();
}

beforeAll(open);
afterAll(async () => {
  await close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('keeps the attempts of a failing batch across a restart', async () => {
  const orgId = `org-${randomUUID().slice(0, 8)}`;
  const t: ForwardTarget = {
    id: randomUUID(), orgId, kind: 'lrs', name: 'down', url: `http://127.0.0.1:${await freePort()}/xapi/`, filter: { verbs: [], activityPrefixes: [] },
    events: [], secret: sealSecret(config, 'user:password'), createdAt: new Date().toISOString(),
  };
  // Stored directly (no manager sync) so that only this test's subscriber objects deliver.
  await store.forwarding.insertForwardTarget(t);
  const events = (seq: number): PipelineEvent[] => [{
    kind: 'stored', seq, orgIds: [orgId],
    statement: { id: randomUUID(), seq, stored: new Date().toISOString(), voided: false, statement: { actor: { mbox: 'mailto:a@example.org' }, verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' }, object: { id: 'http://example.org/a' } } },
  }];
  const batch = events(7);
  const first = forwardSubscriber(handle.services, t, { maxAttempts: 3 });
  await expect(first.handle(batch)).rejects.toThrow();
  await expect(first.handle(batch)).rejects.toThrow();
  expect(await store.forwarding.findDeadLetters(t.id, 10)).toEqual([]);

  await close();
  await open();
  // After the restart, the third failure of the same batch is its last: dead letters, no throw.
  const second = forwardSubscriber(handle.services, t, { maxAttempts: 3 });
  await second.handle(batch);
  const letters = await store.forwarding.findDeadLetters(t.id, 10);
  expect(letters.map((l) => ({ seq: l.seq, attempts: l.attempts }))).toEqual([{ seq: 7, attempts: 3 }]);
  // The queue moved on: the next batch starts counting again.
  await expect(second.handle(events(8))).rejects.toThrow();
  expect(await store.forwarding.recordForwardFailure(t.id, 8)).toBe(2);
});
