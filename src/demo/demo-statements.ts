/**
 * Demo learning records for a first start on the embedded default: the demo learners of the
 * demo member libraries (Riverside Library, Harbor Cooperative) taking the demo course, with the
 * statements a SCORM sitting leaves in the LRS. Every statement is about a LearnHQ person (their
 * account agent) in a LearnHQ registration, so the statements are filed under the person's
 * organization and the report projections count them (ADR 0032). Deterministic, so every
 * newcomer sees the same picture.
 */

/** One demo learner's registration of the demo course. */
export interface DemoSitting {
  readonly userId: string;
  readonly name: string;
  readonly registration: string;
  /** How the story ends: passed, failed then passed, failed, or still in progress. */
  readonly story: 'passed' | 'retook' | 'failed' | 'inProgress';
}

const V = (verb: string): { id: string; display: Record<string, string> } => ({ id: `http://adlnet.gov/expapi/verbs/${verb}`, display: { 'en-US': verb } });

/** A UUID built from a number (the demo's ids are stable across starts). */
export function demoUuid(n: number): string {
  return `d3e0a1b2-c4d5-4e6f-8a7b-${n.toString(16).padStart(12, '0')}`;
}

/**
 * The statements of the demo sittings, oldest first, their timestamps spread over the 30 days
 * before `now`. `homePage` is the site's public URL (the people's account agents), `courseIri`
 * the demo course's activity; statement ids count up from `idBase`.
 */
export function demoStatements(now: Date, homePage: string, courseIri: string, courseTitle: string, sittings: readonly DemoSitting[], idBase = 1000): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const object = { objectType: 'Activity', id: courseIri, definition: { name: { 'en-US': courseTitle }, type: 'http://adlnet.gov/expapi/activities/course' } };
  // Each sitting's statements lie on one day; sittings are spread over the 30 days.
  const slots: { person: number; day: number; build: (at: (minutes: number) => string) => Record<string, unknown>[] }[] = [];
  sittings.forEach((p, i) => {
    const actor = { objectType: 'Agent', name: p.name, account: { homePage, name: p.userId } };
    const ctx = { registration: p.registration, platform: 'LearnHQ', language: 'en-US' };
    const score = (k: number): number => Math.round((0.55 + ((i * 7 + k * 13) % 40) / 100) * 100) / 100;
    const sitting = (end: 'passed' | 'failed' | 'suspended', k: number, minutes: number) => (at: (m: number) => string): Record<string, unknown>[] => {
      const s: Record<string, unknown>[] = [{ actor, verb: V('initialized'), object, context: ctx, timestamp: at(0) }];
      if (end === 'suspended') {
        s.push({ actor, verb: V('suspended'), object, result: { duration: `PT${minutes}M` }, context: ctx, timestamp: at(minutes) });
        return s;
      }
      const scaled = end === 'passed' ? Math.max(0.8, score(k)) : Math.min(0.6, score(k));
      s.push({ actor, verb: V('completed'), object, result: { completion: true }, context: ctx, timestamp: at(minutes - 1) });
      s.push({ actor, verb: V(end), object, result: { success: end === 'passed', score: { scaled } }, context: ctx, timestamp: at(minutes - 1) });
      s.push({ actor, verb: V('terminated'), object, result: { duration: `PT${minutes}M` }, context: ctx, timestamp: at(minutes) });
      return s;
    };
    const first = 2 + ((i * 5) % 20);
    switch (p.story) {
      case 'passed': slots.push({ person: i, day: first, build: sitting('passed', 1, 25 + (i % 4) * 5) }); break;
      case 'failed': slots.push({ person: i, day: first, build: sitting('failed', 1, 20) }); break;
      case 'inProgress': slots.push({ person: i, day: first + 5, build: sitting('suspended', 1, 10 + (i % 3) * 4) }); break;
      case 'retook':
        slots.push({ person: i, day: first, build: sitting('failed', 1, 18) });
        slots.push({ person: i, day: first + 4, build: sitting('passed', 2, 22) });
        break;
    }
  });
  const start = now.getTime() - 30 * 86_400_000;
  slots.sort((a, b) => a.day - b.day || a.person - b.person);
  let n = 0;
  slots.forEach((slot, si) => {
    const dayStart = start + slot.day * 86_400_000 + (9 + (si % 7)) * 3_600_000;
    for (const s of slot.build((m) => new Date(Math.min(now.getTime() - 60_000, dayStart + m * 60_000)).toISOString())) {
      out.push({ id: demoUuid(idBase + n++), ...s });
    }
  });
  return out;
}
