import { RateLimiterMemory } from 'rate-limiter-flexible';
import { attemptLimiter, limitName } from '../attempt-limiter';
import type { AttemptLimiter, LimitStore } from '../ports';

/**
 * Limits of the SQLite store: rate-limiter-flexible's Memory store. A SQLite deployment is one
 * process on one machine, so counters in its memory are shared by every request; they start
 * afresh when the process restarts, which only forgives a few attempts.
 */
export function createSqliteLimitStore(): LimitStore {
  const limiters = new Map<string, AttemptLimiter>();
  return {
    limiter(options) {
      const name = limitName(options);
      let l = limiters.get(name);
      if (!l) {
        l = attemptLimiter(
          new RateLimiterMemory({ keyPrefix: name, points: options.points, duration: options.durationSeconds, blockDuration: options.blockSeconds }),
          false,
        );
        limiters.set(name, l);
      }
      return l;
    },
  };
}
