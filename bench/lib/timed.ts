import type { UserContext } from '../../src/accounts/user-context';
import type { Role } from '../../src/store/ports';
import { fmt, percentile } from './stats';

/** Runs `run` `runs` times one after another (each after an untimed `before`) and prints p50/p95 in ms. */
export async function timedRuns(runs: number, run: () => Promise<unknown>, before?: (i: number) => Promise<unknown>): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (before) await before(i);
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return `p50 ${fmt(percentile(times, 50))} ms  p95 ${fmt(percentile(times, 95))} ms`;
}

/** A signed-in person of one organization with these roles, as the services receive them. */
export function benchActor(userId: string, orgId: string, roles: Role[]): UserContext {
  return { userId, email: `${userId}@bench.test`, name: userId, isSiteAdmin: false, roles: new Map([[orgId, new Set(roles)]]), sessionId: 's', csrfToken: 't' };
}
