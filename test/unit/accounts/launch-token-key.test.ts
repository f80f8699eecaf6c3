/**
 * Launch tokens are signed and verified with a KeyObject made once per session secret (a string
 * key makes jsonwebtoken try a PEM parse on every call). The key bytes must stay those of the
 * derived string key, so tokens issued before the change still verify and the other way round.
 */
import { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { issueLaunchToken, launchSigningKey, verifyLaunchToken } from '../../../src/accounts/launch-tokens';
import { hmac } from '../../../src/accounts/tokens';
import { testConfig } from '../../../src/config';

const config = testConfig({ sessionSecret: 'k'.repeat(40) });
const other = testConfig({ sessionSecret: 'm'.repeat(40) });
const t0 = new Date('2026-03-01T10:00:00Z');
const input = {
  userId: 'u1', actor: { objectType: 'Agent', mbox: 'mailto:learner@example.com' },
  registration: '6f1c1f9e-6d4e-4b8a-9a43-0a4c1f7f3c11', activityId: 'https://lhq.example/courses/c1', ttlSeconds: 600,
};
const jwtOf = (header: string): string => Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8').replace(/^launch:/, '');
/** The key as a plain string, as tokens were signed before the KeyObject. */
const stringKey = (secret: string): string => hmac(secret, 'learnhq/launch-token/v1');

afterEach(() => jest.restoreAllMocks());

it('signs and verifies with one secret KeyObject per session secret', () => {
  const sign = jest.spyOn(jwt, 'sign');
  const verify = jest.spyOn(jwt, 'verify');
  const token = jwtOf(issueLaunchToken({ config, now: () => t0 }, input));
  expect(verifyLaunchToken(config, token, t0)?.userId).toBe('u1');
  expect(verifyLaunchToken(config, token, t0)?.userId).toBe('u1');
  const used = [sign.mock.calls[0]?.[1], verify.mock.calls[0]?.[1], verify.mock.calls[1]?.[1]];
  for (const key of used) {
    expect(key).toBeInstanceOf(KeyObject);
    expect((key as KeyObject).type).toBe('secret');
  }
  expect(used[1]).toBe(used[0]);
  expect(used[2]).toBe(used[0]);
  expect(launchSigningKey(config)).toBe(used[0]);
  expect(launchSigningKey(other)).not.toBe(used[0]);
});

it('keeps the key bytes: string-key tokens verify, KeyObject tokens verify with the string key', () => {
  const iat = Math.floor(t0.getTime() / 1000);
  const legacy = jwt.sign(
    { iat, exp: iat + 600, agent: input.actor, reg: input.registration, act: input.activityId },
    stringKey('k'.repeat(40)),
    { algorithm: 'HS256', subject: 'u1', audience: 'learnhq:launch', jwtid: 'j1', noTimestamp: true },
  );
  expect(verifyLaunchToken(config, legacy, t0)).toMatchObject({ jti: 'j1', userId: 'u1', registration: input.registration, exp: iat + 600 });
  expect(verifyLaunchToken(other, legacy, t0)).toBeUndefined();

  const fresh = jwtOf(issueLaunchToken({ config, now: () => t0 }, input));
  expect(jwt.verify(fresh, stringKey('k'.repeat(40)), { algorithms: ['HS256'], audience: 'learnhq:launch', clockTimestamp: iat })).toMatchObject({ sub: 'u1' });
  // Expiry still holds: one second past exp is refused.
  expect(verifyLaunchToken(config, fresh, new Date(t0.getTime() + 600_000))).toBeUndefined();
  expect(verifyLaunchToken(config, fresh, new Date(t0.getTime() + 599_000))).toBeDefined();
});
