/**
 * `npm run projections -- status | rebuild NAME` (issue 13) against a SQLite file: with no
 * instance running the subscriber the CLI rebuilds it itself; with one running (this test
 * process holds the lease) that instance rebuilds it while the CLI waits.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { testConfig } from '../../../src/config';
import { progressSubscriber } from '../../../src/launch/progress/subscriber';
import { createLogger } from '../../../src/logger';
import { Pipeline } from '../../../src/pipeline/engine';
import { openStore } from '../../../src/store';
import type { Store } from '../../../src/store/ports';
import { progressStatement, trackFor } from './kill-fixture';

const ROOT = resolve(__dirname, '../../..');
const run = promisify(execFile);

describe('projections CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'learnhq-cli-'));
  const path = join(dir, 'learnhq.sqlite');
  const env = { ...process.env, LEARNHQ_DB: path, LEARNHQ_DATA_DIR: dir, LOG_LEVEL: 'silent' };
  const registration = randomUUID();
  const actor = `mailto:cli-${randomUUID().slice(0, 8)}@example.com`;
  const course = `http://example.com/course/${randomUUID()}`;
  let store: Store;
  let pipeline: Pipeline | undefined;

  const cli = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
    run(process.execPath, ['-r', './scripts/register-ts.js', 'src/projections-cli.ts', ...args], { cwd: ROOT, env, timeout: 60_000 });
  const startPipeline = (): Pipeline => {
    const p = new Pipeline({ store, logger: createLogger('silent'), pollMs: 50 });
    p.register(progressSubscriber({ store, config: testConfig(), now: () => new Date() }));
    p.start();
    return p;
  };
  const row = async (): Promise<unknown> => {
    const [r] = await store.progress.findProgress({ registration });
    return r && { ...r, updatedAt: undefined };
  };

  beforeAll(async () => {
    store = await openStore({ kind: 'sqlite', path });
    await store.progress.insertProgressTrack(trackFor(registration, actor, course));
    pipeline = startPipeline();
    const ids: string[] = [];
    for (let b = 0; b < 5; b++) {
      const batch = Array.from({ length: 20 }, (_, i) => progressStatement(registration, actor, course, b * 20 + i, ids));
      ids.push(...batch.filter((s) => s.voidsId === undefined).map((s) => s.id));
      const res = await store.statements.insertStatements(batch, []);
      await pipeline.afterStatementsStored(res.lastSeq);
    }
  });
  afterAll(async () => {
    await pipeline?.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rebuilds through the running instance while it serves, and prints the status', async () => {
    const before = await row();
    expect(before).toMatchObject({ statements: expect.any(Number) });
    const out = await cli('rebuild', 'progress');
    expect(out.stdout).toContain('rebuild of progress requested');
    expect(out.stdout).toContain(`the instance ${pipeline!.instance} runs it`);
    expect(out.stdout).toContain('progress rebuilt');
    expect(await row()).toEqual(before);
    const status = await cli('status');
    expect(status.stdout).toMatch(/^progress\s+cursor\s+\d+ \/ \d+\s+lag\s+0 statements/m);
  });

  it('rebuilds by itself when no instance runs the subscriber', async () => {
    const before = await row();
    await pipeline!.stop();
    pipeline = undefined;
    // Rows broken behind the pipeline's back: the rebuild must set them right again.
    await store.progress.resetProgressStatus([registration]);
    expect(await row()).not.toEqual(before);
    const out = await cli('rebuild', 'progress');
    expect(out.stdout).not.toContain('runs it');
    expect(out.stdout).toContain('progress rebuilt');
    expect(await row()).toEqual(before);
  });

  it('refuses an unknown name', async () => {
    await expect(cli('rebuild', 'nobody')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('no subscriber is named "nobody"') });
  });
});
