import { randomUUID } from 'node:crypto';

/** Deterministic pseudo-random numbers so runs are comparable. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VERBS = [
  'http://adlnet.gov/expapi/verbs/experienced',
  'http://adlnet.gov/expapi/verbs/completed',
  'http://adlnet.gov/expapi/verbs/passed',
  'http://adlnet.gov/expapi/verbs/failed',
  'http://adlnet.gov/expapi/verbs/answered',
  'http://adlnet.gov/expapi/verbs/attempted',
  'http://adlnet.gov/expapi/verbs/initialized',
  'http://adlnet.gov/expapi/verbs/terminated',
  'https://w3id.org/xapi/adl/verbs/satisfied',
  'http://adlnet.gov/expapi/verbs/progressed',
];

export interface GenOptions {
  readonly actors: number;
  readonly activities: number;
  readonly registrations: number;
}

export const DEFAULT_GEN: GenOptions = { actors: 5000, activities: 2000, registrations: 20000 };

/** Stable ids of the generated population, so query benches can pick filters that match. */
export function actorMbox(i: number): string {
  return `mailto:learner${i}@library${i % 40}.example.org`;
}
export function activityId(i: number): string {
  return `https://learnhq.example.org/courses/c${i % 200}/activities/a${i}`;
}
export function registrationId(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `6f1e2d3c-4b5a-4978-8a6b-${hex}`;
}
export function verbId(i: number): string {
  return VERBS[i % VERBS.length]!;
}

/** A realistic statement of about 700 bytes: actor, verb, activity with definition, result, context. */
export function makeStatement(r: () => number, opts: GenOptions = DEFAULT_GEN, withId = false): Record<string, unknown> {
  const a = Math.floor(r() * opts.actors);
  const act = Math.floor(r() * opts.activities);
  const v = Math.floor(r() * VERBS.length);
  const reg = Math.floor(r() * opts.registrations);
  const course = act % 200;
  const st: Record<string, unknown> = {
    actor: { objectType: 'Agent', name: `Learner ${a}`, mbox: actorMbox(a) },
    verb: { id: verbId(v), display: { 'en-US': verbId(v).split('/').pop() } },
    object: {
      objectType: 'Activity',
      id: activityId(act),
      definition: {
        name: { 'en-US': `Activity ${act} of course ${course}` },
        description: { 'en-US': 'A learning activity of the library staff curriculum.' },
        type: 'http://adlnet.gov/expapi/activities/lesson',
      },
    },
    result: { score: { scaled: Math.round(r() * 100) / 100, raw: Math.round(r() * 100), min: 0, max: 100 }, success: r() > 0.3, completion: true, duration: `PT${Math.floor(r() * 3600)}S` },
    context: {
      registration: registrationId(reg),
      contextActivities: {
        parent: [{ id: `https://learnhq.example.org/courses/c${course}`, objectType: 'Activity' }],
        grouping: [{ id: 'https://learnhq.example.org/programs/staff-development', objectType: 'Activity' }],
      },
      platform: 'LearnHQ bench',
      language: 'en-US',
    },
    timestamp: new Date(Date.UTC(2026, 0, 1) + Math.floor(r() * 300 * 86400000)).toISOString(),
  };
  if (withId) st['id'] = randomUUID();
  return st;
}
