/** Statements and the track of the kill -9 test (shared by the test and its child process). */
import { randomUUID } from 'node:crypto';
import type { NewStatement, ProgressTrack } from '../../../src/store/ports';
import { statement } from '../contract/builders';

const VERBS = [
  'http://adlnet.gov/expapi/verbs/initialized',
  'http://adlnet.gov/expapi/verbs/progressed',
  'http://adlnet.gov/expapi/verbs/terminated',
  'http://adlnet.gov/expapi/verbs/completed',
  'http://adlnet.gov/expapi/verbs/passed',
  'http://adlnet.gov/expapi/verbs/failed',
];

export function trackFor(registration: string, actor: string, course: string): ProgressTrack {
  return {
    registration, courseId: 'course-kill', versionId: 'v1', userId: 'user-kill', agentKey: `mbox:${actor}`,
    courseActivityIds: [course], unitActivityIds: [`${course}/unit`], createdAt: '2026-01-01T00:00:00.000Z',
  };
}

/** The n-th statement: verbs in turn, durations and scores; every 17th voids an earlier one of `ids`. */
export function progressStatement(registration: string, actor: string, course: string, n: number, ids: readonly string[]): NewStatement {
  if (n % 17 === 16 && ids.length > 0) {
    const target = ids[(n * 7) % ids.length]!;
    const v = statement({ actor, registration, voids: target });
    return { ...v, refs: [...v.refs, `r|${registration}`], statement: { ...v.statement, context: { registration } } };
  }
  const verb = VERBS[n % VERBS.length]!;
  const s = statement({ actor, registration, activity: n % 3 === 0 ? `${course}/unit` : course, verb, id: randomUUID() });
  const result = verb.endsWith('terminated') ? { duration: `PT${(n % 5) + 1}S` }
    : verb.endsWith('passed') ? { success: true, score: { scaled: (n % 10) / 10 } }
      : verb.endsWith('failed') ? { success: false, score: { scaled: (n % 7) / 10 } } : undefined;
  return { ...s, statement: { ...s.statement, ...(result ? { result } : {}) } };
}
