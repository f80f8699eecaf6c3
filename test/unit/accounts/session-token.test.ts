import jwt from 'jsonwebtoken';
import { csrfTokenFor, needsRenewal, signSessionToken, verifySessionToken } from '../../../src/accounts/session-token';

const secret = 's'.repeat(40);
const now = new Date('2030-01-01T00:00:00.000Z');
const in8h = now.getTime() + 8 * 3600_000;
const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('session JWT', () => {
  it('round-trips sid, sub, iat and exp', () => {
    const token = signSessionToken(secret, 'sid-1', 'user-1', now, in8h);
    expect(verifySessionToken(secret, token, now)).toEqual({ sid: 'sid-1', sub: 'user-1', iat: now.getTime() / 1000, exp: in8h / 1000 });
  });

  it('rejects an expired token, by the injected clock', () => {
    const token = signSessionToken(secret, 'sid', 'u', now, in8h);
    expect(verifySessionToken(secret, token, new Date(in8h - 1000))).toBeDefined();
    expect(verifySessionToken(secret, token, new Date(in8h + 1000))).toBeUndefined();
  });

  it('rejects alg=none, other algorithms, other keys, other audiences and tampered payloads', () => {
    const payload = { sid: 'sid', sub: 'u', iat: now.getTime() / 1000, exp: in8h / 1000, aud: 'learnhq:session' };
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
    expect(verifySessionToken(secret, none, now)).toBeUndefined();
    expect(verifySessionToken(secret, jwt.sign(payload, secret, { algorithm: 'HS384' }), now)).toBeUndefined();
    expect(verifySessionToken(secret, jwt.sign(payload, 'other'.repeat(10), { algorithm: 'HS256' }), now)).toBeUndefined();
    expect(verifySessionToken(secret, jwt.sign({ ...payload, aud: 'learnhq:launch' }, secret, { algorithm: 'HS256' }), now)).toBeUndefined();
    expect(verifySessionToken(secret, jwt.sign(payload, secret, { algorithm: 'HS256' }), now)).toBeDefined();
    const good = signSessionToken(secret, 'sid', 'u', now, in8h);
    const [h, , sig] = good.split('.');
    expect(verifySessionToken(secret, `${h}.${b64({ ...payload, sub: 'admin' })}.${sig}`, now)).toBeUndefined();
    expect(verifySessionToken(secret, 'not.a.jwt', now)).toBeUndefined();
  });

  it('rejects a validly signed token missing the session id', () => {
    const token = jwt.sign({ sub: 'u', aud: 'learnhq:session', exp: in8h / 1000 }, secret, { algorithm: 'HS256' });
    expect(verifySessionToken(secret, token, now)).toBeUndefined();
  });

  it('asks for renewal only past half of the lifetime', () => {
    const claims = { sid: 's', sub: 'u', iat: 0, exp: 8 * 3600 };
    expect(needsRenewal(claims, new Date(4 * 3600_000 - 1000))).toBe(false);
    expect(needsRenewal(claims, new Date(4 * 3600_000 + 1000))).toBe(true);
  });
});

describe('CSRF token', () => {
  it('is a stable HMAC of the session id: different per session and per key', () => {
    expect(csrfTokenFor(secret, 'a')).toBe(csrfTokenFor(secret, 'a'));
    expect(csrfTokenFor(secret, 'a')).not.toBe(csrfTokenFor(secret, 'b'));
    expect(csrfTokenFor(secret, 'a')).not.toBe(csrfTokenFor('k'.repeat(40), 'a'));
    expect(csrfTokenFor(secret, 'a')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
