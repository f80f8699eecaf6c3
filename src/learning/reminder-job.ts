/**
 * The assignment reminder job (issue 18): every instance runs sendAssignmentReminders for every
 * organization each LEARNHQ_REMINDER_INTERVAL_SECONDS. Instances need no coordination: each
 * reminder is claimed in the store (a unique mark) before it is mailed, so with several instances
 * on one store every reminder still goes once. Runs never overlap within an instance; the timer
 * is unref'd (it never keeps a process alive) and stop() waits for a run in progress, so the store
 * can be closed right after.
 */
import type { AppServices } from '../deps';
import { sendAssignmentReminders } from './reminders';

/** A started job. */
export interface ReminderJob {
  /** Runs now (after a run in progress, if any); returns how many mails this run sent. */
  runOnce(): Promise<number>;
  /** Stops the timer and waits for a run in progress; idempotent. */
  stop(): Promise<void>;
}

/** Jobs started and not stopped yet (tests stop them after each file). */
const RUNNING = new Set<ReminderJob>();

/** Stops every reminder job of this process (test/helpers/stop-pipelines.ts). */
export async function stopAllReminderJobs(): Promise<void> {
  await Promise.all([...RUNNING].map((j) => j.stop()));
}

/** One pass over every organization; an organization whose mail fails does not hold up the others. */
async function runAll(s: AppServices): Promise<number> {
  let sent = 0;
  for (const org of await s.store.accounts.findOrganizations()) {
    try {
      sent += await sendAssignmentReminders(s, [org.id]);
    } catch (err) {
      s.logger.error({ err, orgId: org.id }, 'reminders: could not send the reminders of an organization (retried at the next run)');
    }
  }
  return sent;
}

/**
 * Starts the job: first run after min(interval, 60 s), then every interval after the previous
 * run ended. `intervalMs` defaults to the configured interval; 0 or less starts nothing useful
 * (runOnce still works).
 */
export function startReminderJob(s: AppServices, intervalMs = s.config.reminderIntervalSeconds * 1000): ReminderJob {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let current: Promise<number> = Promise.resolve(0);

  const runOnce = (): Promise<number> => {
    const next = current.catch(() => 0).then(() => runAll(s));
    current = next;
    return next;
  };
  const schedule = (ms: number): void => {
    if (stopped || intervalMs <= 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      runOnce().then(
        (sent) => {
          if (sent > 0) s.logger.info({ sent }, 'reminders: mailed assignment reminders');
        },
        (err: unknown) => s.logger.error({ err }, 'reminders: the run failed (retried at the next run)'),
      ).finally(() => schedule(intervalMs));
    }, ms);
    timer.unref();
  };

  const job: ReminderJob = {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      RUNNING.delete(job);
      await current.catch(() => 0);
    },
  };
  RUNNING.add(job);
  schedule(Math.min(intervalMs, 60_000));
  return job;
}
