/**
 * Child process of kill-restart.test.ts: stores statements of one tracked registration in paced
 * batches (some voiding earlier ones) while the pipeline's progress subscriber follows them, and
 * prints "cursor N" as the cursor moves, so the parent can kill it with SIGKILL mid-stream.
 * argv: store JSON ({kind:'sqlite',path} or {kind:'mongo',url,dbName}), registration, actor mbox,
 * course activity id, batches.
 */
import { testConfig } from '../../../src/config';
import { progressSubscriber } from '../../../src/launch/progress/subscriber';
import { createLogger } from '../../../src/logger';
import { Pipeline } from '../../../src/pipeline/engine';
import { openStore } from '../../../src/store';
import { progressStatement, trackFor } from './kill-fixture';

async function main(): Promise<void> {
  const [storeJson, registration, actor, course, batchesText] = process.argv.slice(2);
  const store = await openStore(JSON.parse(storeJson!));
  await store.progress.insertProgressTrack(trackFor(registration!, actor!, course!));
  const pipeline = new Pipeline({ store, logger: createLogger('silent'), batchSize: 25, pollMs: 50, leaseMs: 3000 });
  pipeline.register(progressSubscriber({ store, config: testConfig(), now: () => new Date() }));
  pipeline.start();
  let last = -1;
  setInterval(() => {
    store.pipeline.findCursor('progress').then((c) => {
      if (c && c.seq !== last) {
        last = c.seq;
        process.stdout.write(`cursor ${c.seq}\n`);
      }
    }, () => undefined);
  }, 5);
  const ids: string[] = [];
  for (let b = 0; b < Number(batchesText); b++) {
    const batch = Array.from({ length: 20 }, (_, i) => progressStatement(registration!, actor!, course!, b * 20 + i, ids));
    ids.push(...batch.filter((s) => s.voidsId === undefined).map((s) => s.id));
    const res = await store.statements.insertStatements(batch, []);
    pipeline.notify();
    void res;
    await new Promise((r) => setTimeout(r, 5));
  }
  process.stdout.write('written\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`kill-child failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
