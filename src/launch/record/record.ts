/**
 * The learner record of a registration: its attempts with their status, score and time, and the
 * summary the course page heads with. Every surface — the course page, its API twin
 * GET /api/courses/:id/me, the attempt rows, GET /api/progress, the launch rules — reads these
 * figures from here, so they cannot disagree (issue 17 item 9). See docs/adr for where each
 * format's figures come from (src/launch/record/read-records.ts reads them). Pure.
 */
import type { PackageFormat } from '../../packages/course-model';
import type { CompletionState, SuccessState } from '../../store/ports';

/**
 * Where an attempt's time comes from: reported by the content (SCORM cmi total time, xAPI
 * result.duration) or, when the content reports none, measured by LearnHQ's player page.
 */
export type TimeSource = 'content' | 'player';

/** One attempt as every surface shows it. */
export interface AttemptRecord {
  readonly id: string;
  /** 1, 2, ... within the registration. */
  readonly number: number;
  readonly completion: CompletionState;
  readonly success: SuccessState;
  /** Scaled score -1..1 when known. */
  readonly scoreScaled?: number;
  /** Time spent in the attempt, seconds. */
  readonly totalSeconds: number;
  readonly timeSource: TimeSource;
  /** The learner left it suspended (SCORM exit=suspend / suspendAll). */
  readonly suspended: boolean;
  readonly startedAt: string;
  /** Latest activity in the attempt. */
  readonly updatedAt: string;
  /** When it finished (completed, passed or failed), when known. */
  readonly completedAt?: string;
}

/** The head of the course page: the latest attempt's status and score, the time of all attempts. */
export interface RecordSummary {
  readonly completion: CompletionState;
  readonly success: SuccessState;
  readonly scoreScaled?: number;
  /** Time spent in every attempt of the registration, seconds. */
  readonly totalSeconds: number;
  /** 'player' when all of that time was measured by the player (the content reported none). */
  readonly timeSource: TimeSource;
  /** How many attempts the registration has. */
  readonly attempts: number;
  readonly lastActivityAt?: string;
  /**
   * The latest finished attempt when the latest attempt is not it (the learner started a new
   * attempt): its result stays worth showing beside the empty new one.
   */
  readonly lastFinished?: AttemptRecord;
}

/** A registration's record. */
export interface RegistrationRecord {
  readonly registrationId: string;
  readonly format: PackageFormat;
  /** In number order. */
  readonly attempts: readonly AttemptRecord[];
  readonly summary: RecordSummary;
}

/** True when an attempt is finished: completed, or judged passed or failed. */
export function finished(a: Pick<AttemptRecord, 'completion' | 'success'>): boolean {
  return a.completion === 'completed' || a.success === 'passed' || a.success === 'failed';
}

/** The summary of a registration's attempts (in number order). */
export function summarise(attempts: readonly AttemptRecord[]): RecordSummary {
  const last = attempts[attempts.length - 1];
  const timed = attempts.filter((a) => a.totalSeconds > 0);
  const lastFinished = [...attempts].reverse().find(finished);
  const lastActivityAt = attempts.map((a) => a.updatedAt).sort().pop();
  return {
    completion: last?.completion ?? 'not attempted',
    success: last?.success ?? 'unknown',
    ...(last?.scoreScaled !== undefined ? { scoreScaled: last.scoreScaled } : {}),
    totalSeconds: Math.round(attempts.reduce((sum, a) => sum + a.totalSeconds, 0) * 100) / 100,
    timeSource: timed.length > 0 && timed.every((a) => a.timeSource === 'player') ? 'player' : 'content',
    attempts: attempts.length,
    ...(lastActivityAt !== undefined ? { lastActivityAt } : {}),
    ...(lastFinished && lastFinished !== last ? { lastFinished } : {}),
  };
}
