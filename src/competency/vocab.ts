/** IRIs LearnHQ uses for competencies in xAPI (our own namespace under the site's public URL is not stable across sites, so a fixed one). */
export const COMPETENCY_IRI = {
  /** Activity definition extension: the competencies an activity is aligned to. */
  alignmentsExtension: 'https://learnhq.org/xapi/extensions/competency-alignments',
  /** Result extension of an attainment statement: the level reached. */
  levelExtension: 'https://learnhq.org/xapi/extensions/competency-level',
  /** Activity type of a competency (the object of an attainment statement). */
  competencyType: 'https://learnhq.org/xapi/activities/competency',
  /** Verb of an attainment. */
  attained: 'http://adlnet.gov/expapi/verbs/mastered',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  satisfied: 'https://w3id.org/xapi/adl/verbs/satisfied',
} as const;
