/**
 * Attempt limits (sign-in per account and per client address): counters that must be atomic
 * under concurrent requests and, on MongoDB, shared by every instance. Both adapters are built on
 * rate-limiter-flexible (its Memory store on SQLite, its Mongo store on MongoDB); see ADR 0010.
 */

/** The shape of one limit: at most `points` attempts per `durationSeconds`, then blocked. */
export interface LimitOptions {
  /** Name of the limit; keys of different limits never meet. Letters, digits, '-' and '_'. */
  readonly name: string;
  /** Attempts allowed in one window. */
  readonly points: number;
  /** Length of the window, seconds. */
  readonly durationSeconds: number;
  /** How long a key stays refused once it went over, seconds (0: until the window ends). */
  readonly blockSeconds: number;
}

/** The answer to one attempt. */
export interface LimitDecision {
  /** False when the attempt is over the limit (it was not counted as a success can be). */
  readonly allowed: boolean;
  /** Attempts counted in the current window, this one included. */
  readonly consumed: number;
  /** When refused: milliseconds until an attempt may come again; otherwise until the window ends. */
  readonly retryAfterMs: number;
}

/** One limit. Every method is atomic per key under concurrent calls. */
export interface AttemptLimiter {
  /**
   * Counts one attempt for `key` and says whether it may go ahead. Of N concurrent calls on a key
   * with R attempts left, exactly min(N, R) are allowed.
   */
  consume(key: string): Promise<LimitDecision>;
  /** Gives one counted attempt back (it succeeded). Never below zero; unknown keys: no-op. */
  reward(key: string): Promise<void>;
  /** Forgets the key: its count and block (e.g. after a password reset). Idempotent. */
  reset(key: string): Promise<void>;
}

export interface LimitStore {
  /** A limiter for `options`. Limiters with the same name share their counters. */
  limiter(options: LimitOptions): AttemptLimiter;
}
