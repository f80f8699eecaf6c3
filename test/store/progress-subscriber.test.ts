/**
 * The progress projection as a pipeline subscriber: statements move it once each (also when a
 * batch comes again), a voided statement's contribution goes, an erased person's rows go, and a
 * rebuild from seq 0 gives the same rows.
 */
import { randomUUID } from 'node:crypto';
import { testConfig } from '../../src/config';
import { progressSubscriber } from '../../src/launch/progress/subscriber';
import { createLogger } from '../../src/logger';
import { Pipeline } from '../../src/pipeline/engine';
import { openStore } from '../../src/store';
import type { NewStatement, Store } from '../../src/store/ports';
import { statement, unique } from './contract/builders';

const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
const INITIALIZED = 'http://adlnet.gov/expapi/verbs/initialized';

describe('progress subscriber', () => {
  let store: Store;
  let pipeline: Pipeline;
  const course = `http://example.com/course/${unique('c')}`;
  const actor = `mailto:${unique('ann')}@example.com`;
  const registration = randomUUID();
  const userId = unique('user');

  beforeAll(async () => {
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
    const deps = { store, config: testConfig(), now: () => new Date() };
    pipeline = new Pipeline({ store, logger: createLogger('silent') });
    pipeline.register(progressSubscriber(deps));
    pipeline.start();
    await store.progress.insertProgressTrack({
      registration, courseId: unique('course'), versionId: unique('v'), userId, agentKey: `mbox:${actor}`,
      courseActivityIds: [course], unitActivityIds: [], createdAt: new Date().toISOString(),
    });
  });
  afterAll(async () => {
    await pipeline.stop();
    await store.close();
  });

  async function write(list: NewStatement[]): Promise<void> {
    const res = await store.statements.insertStatements(list, []);
    await pipeline.afterStatementsStored(res.lastSeq);
  }
  const row = async (): Promise<Record<string, unknown>> => ((await store.progress.findProgress({ registration }))[0] ?? {}) as unknown as Record<string, unknown>;

  it('follows statements, drops a voided one, and rebuilds to the same rows', async () => {
    const started = statement({ actor, registration, activity: course, verb: INITIALIZED });
    const done = statement({ actor, registration, activity: course, verb: COMPLETED });
    await write([started, done]);
    // Read-your-writes: the write returned after the projection moved.
    expect(await row()).toMatchObject({ completion: 'completed', attempts: 1, statements: 2 });

    // Voiding the completion: the registration is replayed without it.
    await write([statement({ voids: done.id })]);
    expect(await row()).toMatchObject({ completion: 'incomplete', attempts: 1, statements: 1 });

    const before = await row();
    await pipeline.rebuild('progress');
    const end = Date.now() + 15_000;
    while ((await store.pipeline.findCursor('progress'))?.rebuildRequestedAt !== undefined || (await store.pipeline.findCursor('progress'))!.seq === 0) {
      if (Date.now() > end) throw new Error('rebuild did not finish');
      await new Promise((r) => setTimeout(r, 10));
    }
    await pipeline.reached(await store.statements.findVisibleSeq());
    const after = await row();
    expect({ ...after, updatedAt: undefined }).toEqual({ ...before, updatedAt: undefined });
  });

  it('forgets an erased person', async () => {
    await pipeline.recordErasure(userId);
    const end = Date.now() + 15_000;
    while ((await store.progress.findProgress({ registration })).length > 0) {
      if (Date.now() > end) throw new Error('the erasure did not reach the projection');
      await new Promise((r) => setTimeout(r, 10));
    }
  });
});
