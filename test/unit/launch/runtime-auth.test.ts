/**
 * Launch tokens on the runtime API are verified once and then served from a cache: the cache must
 * never accept what verification refuses (another signature, another key, an expired token).
 */
import { issueLaunchToken, verifyLaunchToken } from '../../../src/accounts/launch-tokens';
import { testConfig } from '../../../src/config';
import { launchJwtOf, verifiedLaunchClaims } from '../../../src/launch/runtime-auth';

const config = testConfig({ sessionSecret: 'a'.repeat(40) });
const otherKey = testConfig({ sessionSecret: 'b'.repeat(40) });
const t0 = new Date('2026-03-01T10:00:00Z');

function token(ttlSeconds = 600): string {
  const header = issueLaunchToken({ config, now: () => t0 }, {
    userId: 'u1', actor: { objectType: 'Agent', account: { homePage: 'https://lhq.example', name: 'u1' } },
    registration: '6f1c1f9e-6d4e-4b8a-9a43-0a4c1f7f3c11', activityId: 'https://lhq.example/courses/c1', ttlSeconds,
  });
  const jwt = launchJwtOf(header);
  if (jwt === undefined) throw new Error('no JWT in the issued header');
  return jwt;
}

describe('verifiedLaunchClaims', () => {
  it('gives the verified claims, the second time from the cache', () => {
    const jwt = token();
    const first = verifiedLaunchClaims(config, jwt, t0);
    expect(first).toEqual(verifyLaunchToken(config, jwt, t0));
    expect(first?.userId).toBe('u1');
    expect(verifiedLaunchClaims(config, jwt, new Date(t0.getTime() + 1000))).toBe(first);
  });

  it('refuses a token with a changed signature even while the original is cached', () => {
    const jwt = token();
    expect(verifiedLaunchClaims(config, jwt, t0)).toBeDefined();
    const last = jwt.slice(-1);
    const tampered = `${jwt.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`;
    expect(verifiedLaunchClaims(config, tampered, t0)).toBeUndefined();
  });

  it('refuses a cached token once it has expired', () => {
    const jwt = token(60);
    expect(verifiedLaunchClaims(config, jwt, t0)).toBeDefined();
    expect(verifiedLaunchClaims(config, jwt, new Date(t0.getTime() + 59_000))).toBeDefined();
    expect(verifiedLaunchClaims(config, jwt, new Date(t0.getTime() + 60_000))).toBeUndefined();
    expect(verifiedLaunchClaims(config, jwt, new Date(t0.getTime() + 61_000))).toBeUndefined();
  });

  it('keeps one cache per configuration: a token of another key is refused', () => {
    const jwt = token();
    expect(verifiedLaunchClaims(config, jwt, t0)).toBeDefined();
    expect(verifiedLaunchClaims(otherKey, jwt, t0)).toBeUndefined();
  });
});
