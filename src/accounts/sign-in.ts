import type { AppServices } from '../deps';
import type { User } from '../store/ports';
import { signInRequired } from './input';
import { verifySecretGated } from './kdf-gate';
import { hashSecret } from './secret-hash';
import { endSession, startSession, type StartedSession } from './sessions';
import { admitSignInAttempt, signInSucceeded, type SignInAttempt } from './sign-in-limits';

/** A successful sign-in: the person and their new session. */
export interface SignedIn {
  readonly user: User;
  readonly session: StartedSession;
}

// A real scrypt hash of a random secret: unknown emails cost the same KDF time (through the same
// gate) as known ones, so neither time nor a 503 tells whether an account exists.
let dummyHash: Promise<string> | undefined;
const dummy = (): Promise<string> => (dummyHash ??= hashSecret(`dummy-${Math.random()}`));

const WRONG = 'email or password is wrong';

/**
 * Email + password sign-in from a client address. 401 (same message) for an unknown email, a
 * wrong password, an account without a password or a disabled one; 429 with Retry-After when the
 * account or the address is over its limit (sign-in-limits.ts); 503 with Retry-After when too
 * many password checks run at once (kdf-gate.ts).
 */
export async function signIn(s: AppServices, input: { readonly email: string; readonly password: string; readonly address: string }): Promise<SignedIn> {
  const email = input.email.trim().toLowerCase();
  const user = await s.store.accounts.findUserByEmail(email);
  if (!(await checkPassword(s, user, input.password, { email, address: input.address })) || !user) throw signInRequired(WRONG);
  return { user, session: await startSession(s, user) };
}

/**
 * Checks a person's password under the sign-in limits: throws 429 (Retry-After) when the account
 * or address is over its limit, 503 when the hash gate is full; otherwise true when the password
 * is right (the account's count starts afresh), false when not. Unknown users (undefined) and
 * disabled ones answer false after the same scrypt work. Used by sign-in and by invitation
 * acceptance for an existing account.
 */
export async function checkPassword(s: AppServices, user: User | undefined, password: string, attempt: SignInAttempt): Promise<boolean> {
  await admitSignInAttempt(s, attempt);
  const ok = await verifySecretGated(password, user?.passwordHash ?? (await dummy()));
  if (!user || !ok || user.passwordHash === undefined || user.disabledAt !== undefined) return false;
  await signInSucceeded(s, attempt);
  return true;
}

/** Ends the session (sign-out). Idempotent. */
export async function signOut(s: AppServices, sessionId: string): Promise<void> {
  await endSession(s, sessionId);
}
