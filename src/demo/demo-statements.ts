/**
 * Demo content for a first start on the embedded default: a few library courses and learners from
 * two member libraries, with the statements their work would leave in the LRS. Deterministic, so
 * every newcomer sees the same picture.
 */

const LIBRARIES = [
  { slug: 'riverside', name: 'Riverside Public Library' },
  { slug: 'hillcrest', name: 'Hillcrest Community Library' },
];

const LEARNERS = [
  { name: 'Amara Okafor', lib: 0 },
  { name: 'Ben Lindqvist', lib: 0 },
  { name: 'Chen Wei', lib: 0 },
  { name: 'Dolores Ruiz', lib: 1 },
  { name: 'Eamon Byrne', lib: 1 },
  { name: 'Farah Haddad', lib: 1 },
];

const COURSES = [
  { id: 'reference-interview', title: 'The Reference Interview', modules: ['Opening the conversation', 'Open and closed questions', 'Following up'] },
  { id: 'trustee-essentials', title: 'Library Trustee Essentials', modules: ['Governance and the board', 'Budgets and funding', 'Policy making'] },
  { id: 'accessible-services', title: 'Serving Patrons with Disabilities', modules: ['Welcoming spaces', 'Assistive technology', 'Accessible programs'] },
];

const SITE = 'https://learnhq.example.org';
const V = (verb: string): string => `http://adlnet.gov/expapi/verbs/${verb}`;

function uuidFrom(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `d3e0a1b2-c4d5-4e6f-8a7b-${hex}`;
}

/** The demo statements, oldest first (timestamps spread over the 30 days before `now`). */
export function demoStatements(now: Date): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let n = 0;
  const start = now.getTime() - 30 * 86400000;
  const at = (): string => new Date(start + n * 3 * 3600000).toISOString();
  LEARNERS.forEach((learner, li) => {
    const lib = LIBRARIES[learner.lib]!;
    const first = learner.name.split(' ')[0]!.toLowerCase();
    const actor = { objectType: 'Agent', name: learner.name, mbox: `mailto:${first}@${lib.slug}.library.example.org` };
    COURSES.forEach((course, ci) => {
      if ((li + ci) % 3 === 2) return; // not everyone takes every course
      const registration = uuidFrom(li * 10 + ci + 1);
      const courseAct = {
        objectType: 'Activity',
        id: `${SITE}/courses/${course.id}`,
        definition: { name: { 'en-US': course.title }, type: 'http://adlnet.gov/expapi/activities/course' },
      };
      const ctx = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
        registration,
        platform: 'LearnHQ',
        language: 'en-US',
        ...extra,
      });
      out.push({ id: uuidFrom(1000 + n++), actor, verb: { id: V('launched'), display: { 'en-US': 'launched' } }, object: courseAct, context: ctx(), timestamp: at() });
      const finished = (li + ci) % 4 !== 3;
      course.modules.forEach((title, mi) => {
        if (!finished && mi === 2) return;
        const score = 0.6 + (((li + 1) * (mi + 2) * (ci + 3)) % 40) / 100;
        out.push({
          id: uuidFrom(1000 + n++),
          actor,
          verb: { id: V('completed'), display: { 'en-US': 'completed' } },
          object: {
            objectType: 'Activity',
            id: `${SITE}/courses/${course.id}/modules/${mi + 1}`,
            definition: { name: { 'en-US': title }, type: 'http://adlnet.gov/expapi/activities/module' },
          },
          result: { completion: true, success: score >= 0.7, score: { scaled: Math.round(score * 100) / 100 }, duration: `PT${12 + ((li + mi) % 5) * 7}M` },
          context: ctx({ contextActivities: { parent: [{ id: courseAct.id, objectType: 'Activity' }] } }),
          timestamp: at(),
        });
      });
      if (finished) {
        out.push({
          id: uuidFrom(1000 + n++),
          actor,
          verb: { id: V('passed'), display: { 'en-US': 'passed' } },
          object: courseAct,
          result: { success: true, completion: true, score: { scaled: 0.85 } },
          context: ctx(),
          timestamp: at(),
        });
      } else {
        out.push({
          id: uuidFrom(1000 + n++),
          actor,
          verb: { id: V('suspended'), display: { 'en-US': 'suspended' } },
          object: courseAct,
          context: ctx(),
          timestamp: at(),
        });
      }
    });
  });
  return out;
}

/** The authority recorded on demo statements. */
export function demoAuthority(publicUrl: string): Record<string, unknown> {
  return { objectType: 'Agent', name: 'LearnHQ demo content', account: { homePage: publicUrl, name: 'demo' } };
}
