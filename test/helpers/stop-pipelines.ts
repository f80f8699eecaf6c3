/**
 * Jest setup (setupFilesAfterEnv): after each test file, stop the pipelines its apps started.
 * Test files share a worker process; a pipeline left running would keep its runners polling a
 * store nobody uses for the rest of the worker's life, and slow every later file.
 */
import { stopAllPipelines } from '../../src/pipeline/engine';

afterAll(async () => {
  await stopAllPipelines();
});
