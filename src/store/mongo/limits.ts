import type { Db } from 'mongodb';
import { RateLimiterMongo } from 'rate-limiter-flexible';
import { attemptLimiter, limitName } from '../attempt-limiter';
import type { AttemptLimiter, LimitStore } from '../ports';
import { toAppError } from './errors';

/** One collection for every limit; documents are `{ key: '<limit>:<key>', points, expire }`. */
const COLLECTION = 'rate_limits';
/** Expired counters are deleted by a sweep at most this often (ms) per process. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;

/**
 * The indexes the library would create, made by us: the unique key index (what makes concurrent
 * first attempts safe), one createIndex per index. The library's TTL index is not created:
 * FerretDB 1.24 answers "Index option expireAfterSeconds is not implemented yet" — expired
 * counters are swept instead (createMongoLimitStore).
 */
export async function ensureMongoLimitIndexes(db: Db): Promise<void> {
  await db.collection(COLLECTION).createIndex({ key: 1 }, { name: 'key_unique', unique: true });
  await db.collection(COLLECTION).createIndex({ expire: 1 }, { name: 'expire' });
}

/**
 * Limits of the MongoDB store: rate-limiter-flexible's Mongo store on the `rate_limits`
 * collection, so every instance shares the counters.
 */
export function createMongoLimitStore(db: Db): LimitStore {
  const limiters = new Map<string, AttemptLimiter>();
  let lastSweep = 0;
  const sweep = (): void => {
    const now = Date.now();
    if (now - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = now;
    db.collection(COLLECTION).deleteMany({ expire: { $lt: new Date(now - 60_000) } }).catch(() => undefined);
  };
  return {
    limiter(options) {
      const name = limitName(options);
      let l = limiters.get(name);
      if (!l) {
        const inner = attemptLimiter(
          new RateLimiterMongo({
            storeClient: db,
            tableName: COLLECTION,
            disableIndexesCreation: true,
            keyPrefix: name,
            points: options.points,
            duration: options.durationSeconds,
            blockDuration: options.blockSeconds,
          }),
          true,
        );
        const guard = <A extends unknown[], T>(what: string, fn: (...a: A) => Promise<T>) => async (...a: A): Promise<T> => {
          sweep();
          try {
            return await fn(...a);
          } catch (err) {
            throw toAppError(err, what);
          }
        };
        l = { consume: guard('counting an attempt', inner.consume), reward: guard('giving an attempt back', inner.reward), reset: guard('resetting a limit', inner.reset) };
        limiters.set(name, l);
      }
      return l;
    },
  };
}
