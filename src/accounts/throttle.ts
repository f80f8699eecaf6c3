/** Failed sign-ins in a row that cost nothing. */
export const FREE_FAILURES = 5;
/** Failed sign-ins in a row after which the account is locked for LOCK_MS. */
export const LOCK_AFTER_FAILURES = 10;
export const LOCK_MS = 15 * 60 * 1000;
/** First pause after FREE_FAILURES; doubles with each further failure (1, 2, 4, 8, 16 s). */
export const FIRST_PAUSE_MS = 1000;

/**
 * Until when sign-in is refused after the `failures`-th consecutive failure at `now`, or
 * undefined when the next attempt may come at once. Failures 1-4: no pause; 5-9: a growing
 * pause; 10 and every later failure: a 15-minute lock. The pause is enforced by refusing
 * attempts (429 with Retry-After) rather than by holding the connection open, so a brute-force
 * client cannot tie up server sockets.
 */
export function pauseAfterFailure(failures: number, now: Date): Date | undefined {
  if (failures < FREE_FAILURES) return undefined;
  if (failures >= LOCK_AFTER_FAILURES) return new Date(now.getTime() + LOCK_MS);
  return new Date(now.getTime() + FIRST_PAUSE_MS * 2 ** (failures - FREE_FAILURES));
}

/** Whole seconds until `until` (at least 1), for Retry-After. */
export function retryAfterSeconds(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}
