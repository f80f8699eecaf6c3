/**
 * A bound on concurrent slow hashes (issue 11). scrypt runs on libuv's thread pool (4 threads by
 * default), which also reads files for static assets and the content origin: a flood of sign-ins
 * or Basic requests with wrong secrets would otherwise fill every thread and make a 2 ms file
 * read wait seconds. The gate lets MAX_ACTIVE hashes run at once (leaving the other threads to
 * file reads), queues up to MAX_WAITING more, and refuses the rest at once with 503 and
 * Retry-After, before any hashing. Every unauthenticated password or secret check goes through it,
 * unknown emails included (they verify against a dummy hash), so an unknown email costs the same.
 */
import { AppError } from '../errors';
import { verifySecret } from './secret-hash';

/** Hashes that may run at once: half of libuv's default pool of 4. */
export const KDF_MAX_ACTIVE = 2;
/** Hashes that may wait for a place; beyond it requests are refused with 503. */
export const KDF_MAX_WAITING = 32;

/** How full the gate is. */
export interface KdfGateState {
  readonly active: number;
  readonly waiting: number;
  /** Requests refused since the start (503). */
  readonly refused: number;
}

/** A counting semaphore with a bounded queue that refuses instead of growing. */
export class KdfGate {
  private active = 0;
  private refused = 0;
  private readonly queue: (() => void)[] = [];

  constructor(
    private readonly maxActive: number,
    private readonly maxWaiting: number,
  ) {}

  get state(): KdfGateState {
    return { active: this.active, waiting: this.queue.length, refused: this.refused };
  }

  /** Runs `fn` when a place is free; throws 503 (Retry-After: 1) at once when the queue is full. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.maxActive) {
      if (this.queue.length >= this.maxWaiting) {
        this.refused += 1;
        throw new AppError('unavailable', 'too many sign-in and credential checks at once: try again in a moment', { 'Retry-After': '1' });
      }
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return await fn();
    } finally {
      // Hand the place straight to the next waiter (active stays counted), or free it.
      const next = this.queue.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

/** The gate of this process: the thread pool it protects is per process. */
export const kdfGate = new KdfGate(KDF_MAX_ACTIVE, KDF_MAX_WAITING);

/** verifySecret through the process's gate (503 when it is full). */
export function verifySecretGated(secret: string, encoded: string): Promise<boolean> {
  return kdfGate.run(() => verifySecret(secret, encoded));
}
