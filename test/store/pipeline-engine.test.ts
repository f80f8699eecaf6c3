/**
 * The pipeline engine over a real store (in-memory SQLite): order, batches, voiding and erasure
 * as events to every subscriber, retries with the last error recorded, rebuild, read-your-writes.
 */
import { composeServices } from '../../src/compose';
import { testConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { CredentialVerifier } from '../../src/xapi/auth/credential-verifier';
import { Pipeline } from '../../src/pipeline/engine';
import type { PipelineEvent, Subscriber } from '../../src/pipeline/types';
import { openStore } from '../../src/store';
import type { Store } from '../../src/store/ports';
import { statement, unique } from './contract/builders';

const logger = createLogger('silent');

/** A subscriber that records what it is given; `fail` makes its next calls throw. */
function recorder(name: string, over: Partial<Subscriber> = {}): Subscriber & { events: PipelineEvent[]; calls: number[]; fail: number; resets: number } {
  const r = {
    name, events: [] as PipelineEvent[], calls: [] as number[], fail: 0, resets: 0,
    async handle(events: readonly PipelineEvent[]) {
      if (r.fail > 0) {
        r.fail--;
        throw new Error(`${name} is down`);
      }
      r.calls.push(events.length);
      r.events.push(...events);
    },
    async reset() {
      r.resets++;
      r.events.length = 0;
    },
    ...over,
  };
  return r;
}

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 10));
  }
}

const storedIds = (events: readonly PipelineEvent[]): string[] => events.flatMap((e) => (e.kind === 'stored' ? [e.statement.id] : []));

describe('statement pipeline engine', () => {
  let store: Store;
  let pipeline: Pipeline;
  beforeEach(async () => {
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
  });
  afterEach(async () => {
    await pipeline?.stop();
    await store.close();
  });

  async function write(list = [statement()]): Promise<number> {
    const res = await store.statements.insertStatements(list, []);
    await pipeline.afterStatementsStored(res.lastSeq);
    return res.lastSeq!;
  }

  it('delivers every statement once, in seq order, in batches of at most batchSize, with its organizations', async () => {
    const a = recorder('a', { batchSize: 3 });
    pipeline = new Pipeline({ store, logger });
    pipeline.register(a);
    // Statements stored before the pipeline starts are delivered too (the cursor starts at 0).
    const org = unique('org');
    const early = Array.from({ length: 7 }, () => ({ ...statement(), refs: [...statement().refs, `g|${org}`] }));
    await store.statements.insertStatements(early, []);
    pipeline.start();
    const later = Array.from({ length: 5 }, () => statement());
    for (const s of later) await write([s]);
    await until(() => a.events.length === 12, 'twelve events');
    expect(storedIds(a.events)).toEqual([...early, ...later].map((s) => s.id));
    const seqs = a.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(Math.max(...a.calls)).toBeLessThanOrEqual(3);
    expect(a.events.slice(0, 7).every((e) => e.kind === 'stored' && e.orgIds.includes(org))).toBe(true);
    await until(async () => (await store.pipeline.findCursor('a'))?.seq === seqs[seqs.length - 1], 'the cursor at the last seq');
  });

  it('tells every subscriber of a voiding right after the voiding statement, and of an erasure', async () => {
    const a = recorder('a');
    const b = recorder('b');
    pipeline = new Pipeline({ store, logger });
    pipeline.register(a);
    pipeline.register(b);
    pipeline.start();
    const target = statement();
    await write([target]);
    const voiding = statement({ voids: target.id });
    await write([voiding]);
    await pipeline.recordErasure('user-1');
    for (const r of [a, b]) {
      await until(() => r.events.some((e) => e.kind === 'erased'), `${r.name} to hear of the erasure`);
      expect(r.events.map((e) => e.kind)).toEqual(['stored', 'stored', 'voided', 'erased']);
      expect(r.events[2]).toMatchObject({ kind: 'voided', voidedId: target.id, voidingId: voiding.id, seq: r.events[1]!.seq });
      expect(r.events[3]).toMatchObject({ kind: 'erased', userId: 'user-1' });
    }
    // Told once: the erasure is marked done for each.
    expect(await store.pipeline.findPendingErasures('a', 10)).toEqual([]);
  });

  it('retries a failing subscriber with back-off, records its last error, and does not hold the others', async () => {
    const a = recorder('a');
    const b = recorder('b');
    a.fail = 3;
    pipeline = new Pipeline({ store, logger, backoffMs: 20 });
    pipeline.register(a);
    pipeline.register(b);
    pipeline.start();
    const s = statement();
    await write([s]);
    await until(() => b.events.length === 1, 'b to get its event');
    await until(async () => ((await store.pipeline.findCursor('a'))?.failures ?? 0) >= 1, 'a failure recorded');
    const status = await pipeline.status();
    expect(status.find((x) => x.name === 'a')).toMatchObject({ lastError: 'a is down' });
    await until(() => a.events.length === 1, 'a to recover');
    expect(storedIds(a.events)).toEqual([s.id]);
    await until(async () => (await store.pipeline.findCursor('a'))?.failures === 0, 'the failure count cleared');
    expect((await pipeline.status()).find((x) => x.name === 'a')).toMatchObject({ failures: 0, lagStatements: 0 });
  });

  it('rebuilds a subscriber from seq 0 on request', async () => {
    const a = recorder('a');
    pipeline = new Pipeline({ store, logger });
    pipeline.register(a);
    pipeline.start();
    const list = [statement(), statement(), statement()];
    await write(list);
    await until(() => a.events.length === 3, 'three events');
    await pipeline.rebuild('a');
    await until(() => a.resets === 1 && a.events.length === 3, 'the replay');
    expect(storedIds(a.events)).toEqual(list.map((s) => s.id));
    await expect(pipeline.rebuild('nobody')).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('answers a write once read-your-writes subscribers have handled it, but never waits for the others', async () => {
    let release: (() => void) | undefined;
    const slow = recorder('slow', {
      handle: async (events: readonly PipelineEvent[]) => {
        await new Promise<void>((res) => { release = res; });
        slow.events.push(...events);
      },
    });
    const ryw = recorder('ryw', { readYourWrites: true });
    pipeline = new Pipeline({ store, logger });
    pipeline.register(slow);
    pipeline.register(ryw);
    pipeline.start();
    const s = statement();
    await write([s]);
    // The write returned: the read-your-writes subscriber has it, the slow one is still at it.
    expect(storedIds(ryw.events)).toEqual([s.id]);
    expect(slow.events).toEqual([]);
    await until(() => release !== undefined, 'the slow subscriber to start');
    release!();
    await until(() => slow.events.length === 1, 'the slow subscriber');
  });

  it('lets a subscriber that writes statements wait for the other read-your-writes subscribers, never for itself', async () => {
    // Through the composition root, which gives each subscriber services naming it as the writer.
    // The wait is made endless: waiting for itself would never end (the test would time out).
    const other = recorder('other', { readYourWrites: true });
    const written: string[] = [];
    let seenByOther: string[] = [];
    const composed = composeServices(
      { config: testConfig(), store, logger, now: () => new Date(), credentials: new CredentialVerifier(store.credentials) },
      {
        pipeline: { waitMs: 10 * 60_000 },
        forwarding: false,
        subscribers: [
          (services) => ({
            name: 'writer',
            readYourWrites: true,
            async handle(events: readonly PipelineEvent[]) {
              if (written.length > 0 || !events.some((e) => e.kind === 'stored')) return;
              const s = statement();
              written.push(s.id);
              const res = await services.store.statements.insertStatements([s], []);
              await services.afterStatementsStored!(res.lastSeq, [s.statement]);
              seenByOther = storedIds(other.events);
            },
          }),
          () => other,
        ],
      },
    );
    pipeline = composed.pipeline;
    const first = statement();
    const res = await store.statements.insertStatements([first], []);
    await composed.services.afterStatementsStored!(res.lastSeq, [first.statement]);
    // The writer's own write answered once the other subscriber had its statement.
    expect(seenByOther).toEqual([first.id, ...written]);
  }, 60_000);
});
