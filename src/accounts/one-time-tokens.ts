import type { AppServices } from '../deps';
import type { OneTimeToken, OneTimeTokenKind } from '../store/ports';
import { hashToken, newLinkToken } from './tokens';

/** Makes a one-time token of `kind` for a user, valid `ttlMs`; stores only its hash, returns the token. */
export async function issueOneTimeToken(s: AppServices, kind: OneTimeTokenKind, userId: string, ttlMs: number): Promise<string> {
  const now = s.now();
  const token = newLinkToken();
  await s.store.accounts.insertToken({
    tokenHash: hashToken(token),
    kind,
    userId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
  });
  return token;
}

/** The stored token of `kind` behind `token` when it is unused and unexpired; undefined otherwise. */
export async function usableOneTimeToken(s: AppServices, token: string, kind: OneTimeTokenKind): Promise<OneTimeToken | undefined> {
  const t = await s.store.accounts.findToken(hashToken(token));
  return t && t.kind === kind && t.usedAt === undefined && Date.parse(t.expiresAt) > s.now().getTime() ? t : undefined;
}
