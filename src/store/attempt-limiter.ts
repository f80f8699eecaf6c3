/**
 * The one AttemptLimiter (src/store/ports/limits.ts) over a rate-limiter-flexible limiter; the
 * SQLite adapter hands it the library's Memory store, the MongoDB adapter its Mongo store.
 */
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AttemptLimiter, LimitDecision, LimitOptions } from './ports/limits';

/**
 * Runs calls with the same key one after the other (calls with other keys run freely). FerretDB
 * 1.24 does not apply concurrent findAndModify calls on one document atomically (measured: 30
 * parallel consumes of a 5-point limit let 14 through), so each instance sends the updates of a
 * key one at a time; MongoDB itself is atomic also across instances.
 */
class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(fn, fn);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/** The checked name of a limit (it becomes a key prefix). */
export function limitName(options: LimitOptions): string {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(options.name)) throw new Error(`limit name "${options.name}": letters, digits, - and _ only`);
  if (!(options.points >= 1 && options.durationSeconds >= 1 && options.blockSeconds >= 0)) throw new Error(`limit ${options.name}: bad numbers`);
  return options.name;
}

/** An AttemptLimiter over `limiter` (built with points, duration and blockDuration of `options`). */
export function attemptLimiter(limiter: RateLimiterAbstract, serialize: boolean): AttemptLimiter {
  const queue = serialize ? new KeyedQueue() : undefined;
  const one = <T>(key: string, fn: () => Promise<T>): Promise<T> => (queue ? queue.run(key, fn) : fn());
  return {
    consume: (key) =>
      one(key, async (): Promise<LimitDecision> => {
        try {
          const r = await limiter.consume(key, 1);
          return { allowed: true, consumed: r.consumedPoints, retryAfterMs: r.msBeforeNext };
        } catch (err) {
          // The library rejects with its result object when the key is over the limit, and with
          // an Error when its store fails (that one goes on as a store error).
          if (err instanceof RateLimiterRes) return { allowed: false, consumed: err.consumedPoints, retryAfterMs: Math.max(1, err.msBeforeNext) };
          throw err;
        }
      }),
    reward: (key) =>
      one(key, async () => {
        const r = await limiter.get(key);
        if (r && r.consumedPoints > 0) await limiter.reward(key, 1);
      }),
    reset: (key) => one(key, async () => void (await limiter.delete(key))),
  };
}
