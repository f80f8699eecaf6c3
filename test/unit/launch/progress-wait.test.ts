import { randomUUID } from 'node:crypto';
import { mayMoveProgress } from '../../../src/launch/progress/subscriber';
import { forgetUnknownRegistration, isUnknownRegistration, REGISTRATION_MEMO_MAX, rememberUnknownRegistration } from '../../../src/launch/progress/tracks';

/** Which writes wait for the progress projection (read-your-writes only where it can change). */
describe('mayMoveProgress', () => {
  const actor = { mbox: 'mailto:learner@example.org' };
  const withRegistration = (registration: string) => ({
    actor, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' }, object: { id: 'http://example.org/a' }, context: { registration },
  });

  it('waits for statements of a registration that may be tracked, and for voiding statements', () => {
    expect(mayMoveProgress(withRegistration(randomUUID()))).toBe(true);
    const voiding = { actor, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: randomUUID() } };
    expect(mayMoveProgress(voiding)).toBe(true);
  });

  it('does not wait for a statement without a registration, nor for one of a registration nobody launched', () => {
    expect(mayMoveProgress({ actor, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' }, object: { id: 'http://example.org/a' } })).toBe(false);
    const reg = randomUUID();
    rememberUnknownRegistration(reg);
    // Compared in lower case, as the subscriber reads registrations.
    expect(mayMoveProgress(withRegistration(reg.toUpperCase()))).toBe(false);
    // A launch that creates it makes its statements wait again.
    forgetUnknownRegistration(reg);
    expect(mayMoveProgress(withRegistration(reg))).toBe(true);
  });
});

describe('the memo of registrations nobody launched', () => {
  it('when full, forgets the expired ones first and keeps those still fresh', () => {
    const t0 = 1_000_000_000_000;
    // Expired by the time the memo fills (a minute each).
    const old = Array.from({ length: REGISTRATION_MEMO_MAX / 2 }, (_, i) => `old-${i}`);
    for (const r of old) rememberUnknownRegistration(r, t0);
    const live = Array.from({ length: REGISTRATION_MEMO_MAX / 2 }, (_, i) => `live-${i}`);
    const t1 = t0 + 120_000;
    for (const r of live) rememberUnknownRegistration(r, t1);
    // One more: the memo is full and the expired half goes, the fresh half stays.
    rememberUnknownRegistration('last', t1);
    expect(isUnknownRegistration('last', t1)).toBe(true);
    expect(live.every((r) => isUnknownRegistration(r, t1 + 1000))).toBe(true);
    expect(isUnknownRegistration(old[0]!, t0)).toBe(false);
  });
});
