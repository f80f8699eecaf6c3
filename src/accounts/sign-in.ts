import type { AppServices } from '../deps';
import { AppError } from '../errors';
import type { User } from '../store/ports';
import { signInRequired } from './input';
import { hashSecret, verifySecret } from './secret-hash';
import { endSession, startSession, type StartedSession } from './sessions';
import { LOCK_AFTER_FAILURES, pauseAfterFailure, retryAfterSeconds } from './throttle';

/** A successful sign-in: the person and their new session. */
export interface SignedIn {
  readonly user: User;
  readonly session: StartedSession;
}

// A real scrypt hash of a random secret: unknown emails cost the same KDF time as known ones,
// so response time does not tell whether an account exists.
let dummyHash: Promise<string> | undefined;
const dummy = (): Promise<string> => (dummyHash ??= hashSecret(`dummy-${Math.random()}`));

const WRONG = 'email or password is wrong';

/**
 * Email + password sign-in. 401 (same message) for an unknown email, a wrong password, an
 * account without a password or a disabled one; 429 with Retry-After while the account is
 * paused or locked after repeated failures (see throttle.ts). Success resets the failure count.
 */
export async function signIn(s: AppServices, input: { readonly email: string; readonly password: string }): Promise<SignedIn> {
  const user = await s.store.accounts.findUserByEmail(input.email.trim().toLowerCase());
  if (!(await checkPassword(s, user, input.password)) || !user) throw signInRequired(WRONG);
  const fresh: User = { ...user, failedSignIns: 0 };
  delete (fresh as { lockedUntil?: string }).lockedUntil;
  return { user: fresh, session: await startSession(s, fresh) };
}

/**
 * Checks a person's password under the sign-in throttle: throws 429 (Retry-After) while the
 * account is paused or locked; otherwise true when the password is right (the failure count is
 * reset), false when not (the failure is counted). Unknown users (undefined) and disabled ones
 * answer false after the same scrypt work. Used by sign-in and by invitation acceptance.
 */
export async function checkPassword(s: AppServices, user: User | undefined, password: string): Promise<boolean> {
  const now = s.now();
  if (user?.lockedUntil !== undefined && Date.parse(user.lockedUntil) > now.getTime()) {
    const until = new Date(user.lockedUntil);
    const locked = user.failedSignIns >= LOCK_AFTER_FAILURES;
    throw new AppError(
      'too_many_requests',
      locked
        ? `sign-in to this account is locked until ${until.toISOString()} after ${user.failedSignIns} failed attempts`
        : `too many failed sign-ins: wait ${retryAfterSeconds(until, now)} s before trying again`,
      { 'Retry-After': String(retryAfterSeconds(until, now)) },
    );
  }
  const ok = await verifySecret(password, user?.passwordHash ?? (await dummy()));
  if (!user || !ok || user.passwordHash === undefined || user.disabledAt !== undefined) {
    if (user && user.disabledAt === undefined) await recordFailure(s, user, now);
    return false;
  }
  if (user.failedSignIns > 0 || user.lockedUntil !== undefined) {
    await s.store.accounts.updateUser(user.id, { failedSignIns: 0, clearLockedUntil: true });
  }
  return true;
}

async function recordFailure(s: AppServices, user: User, now: Date): Promise<void> {
  const failures = await s.store.accounts.updateUserFailedSignIn(user.id);
  const until = pauseAfterFailure(failures, now);
  if (until) await s.store.accounts.updateUser(user.id, { lockedUntil: until.toISOString() });
  if (failures === LOCK_AFTER_FAILURES) s.logger.warn({ userId: user.id, failures }, 'sign-in locked after repeated failures');
}

/** Ends the session (sign-out). Idempotent. */
export async function signOut(s: AppServices, sessionId: string): Promise<void> {
  await endSession(s, sessionId);
}
