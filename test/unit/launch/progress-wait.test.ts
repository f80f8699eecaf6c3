import { randomUUID } from 'node:crypto';
import { mayMoveProgress } from '../../../src/launch/progress/subscriber';
import { forgetUnknownRegistration, isUnknownRegistration, lookUpRegistrations, REGISTRATION_MEMO_MAX } from '../../../src/launch/progress/tracks';
import type { Store } from '../../../src/store/ports';

/**
 * A store that knows no registration: each lookup through it remembers its registrations as
 * ones nobody launched (no I/O; a new one per test, so each test has a memo of its own).
 */
function emptyStore(): Pick<Store, 'launch' | 'progress'> {
  return {
    launch: { findRegistrationsByIds: async () => [] },
    progress: { findProgressTracks: async () => [] },
  } as unknown as Pick<Store, 'launch' | 'progress'>;
}

/** Which writes wait for the progress projection (read-your-writes only where it can change). */
describe('mayMoveProgress', () => {
  const actor = { mbox: 'mailto:learner@example.org' };
  const withRegistration = (registration: string) => ({
    actor, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' }, object: { id: 'http://example.org/a' }, context: { registration },
  });

  it('waits for statements of a registration that may be tracked, and for voiding statements', () => {
    const store = emptyStore();
    expect(mayMoveProgress(store, withRegistration(randomUUID()))).toBe(true);
    const voiding = { actor, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: randomUUID() } };
    expect(mayMoveProgress(store, voiding)).toBe(true);
  });

  it('does not wait for a statement without a registration, nor for one of a registration nobody launched', async () => {
    const store = emptyStore();
    expect(mayMoveProgress(store, { actor, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' }, object: { id: 'http://example.org/a' } })).toBe(false);
    const reg = randomUUID();
    await lookUpRegistrations(store, [reg]);
    // Compared in lower case, as the subscriber reads registrations.
    expect(mayMoveProgress(store, withRegistration(reg.toUpperCase()))).toBe(false);
    // Another store's memo does not know it.
    expect(mayMoveProgress(emptyStore(), withRegistration(reg))).toBe(true);
    // A launch that creates it makes its statements wait again.
    forgetUnknownRegistration(store, reg.toUpperCase());
    expect(mayMoveProgress(store, withRegistration(reg))).toBe(true);
  });
});

describe('the memo of registrations nobody launched', () => {
  it('when full, forgets the expired ones first and keeps those still fresh', async () => {
    const store = emptyStore();
    const t0 = 1_000_000_000_000;
    // Expired by the time the memo fills (a minute each).
    const old = Array.from({ length: REGISTRATION_MEMO_MAX / 2 }, (_, i) => `old-${i}`);
    await lookUpRegistrations(store, old, t0);
    const live = Array.from({ length: REGISTRATION_MEMO_MAX / 2 }, (_, i) => `live-${i}`);
    const t1 = t0 + 120_000;
    await lookUpRegistrations(store, live, t1);
    // One more: the memo is full and the expired half goes, the fresh half stays.
    await lookUpRegistrations(store, ['last'], t1);
    expect(isUnknownRegistration(store, 'last', t1)).toBe(true);
    expect(live.every((r) => isUnknownRegistration(store, r, t1 + 1000))).toBe(true);
    expect(isUnknownRegistration(store, old[0]!, t0)).toBe(false);
  });
});
