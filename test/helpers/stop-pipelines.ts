/**
 * Jest setup (setupFilesAfterEnv): after each test file, stop the pipelines (and the reminder
 * jobs) its apps started.
 * Test files share a worker process; a pipeline left running would keep its runners polling a
 * store nobody uses for the rest of the worker's life, and slow every later file.
 */
import { stopAllReminderJobs } from '../../src/learning/reminder-job';
import { stopAllPipelines } from '../../src/pipeline/engine';

afterAll(async () => {
  await Promise.all([stopAllPipelines(), stopAllReminderJobs()]);
});
