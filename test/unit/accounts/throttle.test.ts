import { FREE_FAILURES, LOCK_AFTER_FAILURES, LOCK_MS, pauseAfterFailure, retryAfterSeconds } from '../../../src/accounts/throttle';

const now = new Date('2030-01-01T00:00:00.000Z');
const pause = (failures: number): number | undefined => {
  const until = pauseAfterFailure(failures, now);
  return until === undefined ? undefined : until.getTime() - now.getTime();
};

describe('sign-in throttle', () => {
  it('lets the first failures go without a pause', () => {
    for (let f = 0; f < FREE_FAILURES; f++) expect(pause(f)).toBeUndefined();
  });

  it('doubles the pause from the 5th failure to the 9th', () => {
    expect([5, 6, 7, 8, 9].map(pause)).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it('locks for 15 minutes at the 10th failure and at every later one', () => {
    expect(LOCK_AFTER_FAILURES).toBe(10);
    for (const f of [10, 11, 50]) expect(pause(f)).toBe(LOCK_MS);
    expect(LOCK_MS).toBe(15 * 60 * 1000);
  });

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    expect(retryAfterSeconds(new Date(now.getTime() + 1500), now)).toBe(2);
    expect(retryAfterSeconds(new Date(now.getTime() - 5), now)).toBe(1);
    expect(retryAfterSeconds(new Date(now.getTime() + LOCK_MS), now)).toBe(900);
  });
});
