/**
 * Sign-in limits (issue 11, ADR 0010): attempts are counted per account (the email as typed,
 * whether or not it has an account, so a refusal says nothing about existence) and per client
 * address, atomically in the store's LimitStore, before the password is checked. Of 60 parallel
 * wrong passwords for one account only ACCOUNT_LIMIT.points are checked; the others get 429 with
 * Retry-After without costing a hash.
 */
import type { AppServices } from '../deps';
import { AppError } from '../errors';
import type { LimitDecision, LimitOptions } from '../store/ports';

/** Per account: 10 attempts per 15 minutes, then 15 minutes refused. A success starts afresh. */
export const ACCOUNT_LIMIT: LimitOptions = { name: 'signin-account', points: 10, durationSeconds: 15 * 60, blockSeconds: 15 * 60 };
/**
 * Per client address: 50 attempts per 10 minutes, then 10 minutes refused. A success gives its
 * attempt back, so a library branch behind one address is not locked out by its staff signing in.
 */
export const ADDRESS_LIMIT: LimitOptions = { name: 'signin-address', points: 50, durationSeconds: 10 * 60, blockSeconds: 10 * 60 };

/** Who is trying: the email given and the client address the request came from. */
export interface SignInAttempt {
  readonly email: string;
  readonly address: string;
}

function refused(d: LimitDecision, what: string): AppError {
  const seconds = Math.max(1, Math.ceil(d.retryAfterMs / 1000));
  return new AppError('too_many_requests', `too many sign-in attempts ${what}: try again in ${seconds} s`, { 'Retry-After': String(seconds) });
}

const accountKey = (email: string): string => email.trim().toLowerCase();

/** Counts one attempt; throws 429 with Retry-After when the address or the account is over its limit. */
export async function admitSignInAttempt(s: AppServices, a: SignInAttempt): Promise<void> {
  const byAddress = await s.store.limits.limiter(ADDRESS_LIMIT).consume(a.address);
  if (!byAddress.allowed) throw refused(byAddress, 'from this address');
  const byAccount = await s.store.limits.limiter(ACCOUNT_LIMIT).consume(accountKey(a.email));
  if (!byAccount.allowed) throw refused(byAccount, 'for this account');
}

/** After a right password: the account starts afresh, the address gets its attempt back. */
export async function signInSucceeded(s: AppServices, a: SignInAttempt): Promise<void> {
  await s.store.limits.limiter(ACCOUNT_LIMIT).reset(accountKey(a.email));
  await s.store.limits.limiter(ADDRESS_LIMIT).reward(a.address);
}

/** A password reset lifts the account's limit (the person proved they own the address). */
export async function clearAccountLimit(s: AppServices, email: string): Promise<void> {
  await s.store.limits.limiter(ACCOUNT_LIMIT).reset(accountKey(email));
}
