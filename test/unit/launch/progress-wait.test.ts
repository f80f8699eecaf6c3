import { randomUUID } from 'node:crypto';
import { mayMoveProgress } from '../../../src/launch/progress/subscriber';
import { forgetUnknownRegistration, rememberUnknownRegistration } from '../../../src/launch/progress/tracks';

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
