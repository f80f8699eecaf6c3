/** cmi5 vocabulary (cmi5 spec, Quartz: sections 9.3, 9.5.5, 9.6). */
export const CMI5 = {
  category: 'https://w3id.org/xapi/cmi5/context/categories/cmi5',
  moveOnCategory: 'https://w3id.org/xapi/cmi5/context/categories/moveon',
  ext: {
    sessionId: 'https://w3id.org/xapi/cmi5/context/extensions/sessionid',
    masteryScore: 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore',
    launchMode: 'https://w3id.org/xapi/cmi5/context/extensions/launchmode',
    launchUrl: 'https://w3id.org/xapi/cmi5/context/extensions/launchurl',
    moveOn: 'https://w3id.org/xapi/cmi5/context/extensions/moveon',
    launchParameters: 'https://w3id.org/xapi/cmi5/context/extensions/launchparameters',
    reason: 'https://w3id.org/xapi/cmi5/result/extensions/reason',
  },
  activityType: {
    block: 'https://w3id.org/xapi/cmi5/activitytype/block',
    course: 'https://w3id.org/xapi/cmi5/activitytype/course',
  },
  verb: {
    launched: 'http://adlnet.gov/expapi/verbs/launched',
    initialized: 'http://adlnet.gov/expapi/verbs/initialized',
    completed: 'http://adlnet.gov/expapi/verbs/completed',
    passed: 'http://adlnet.gov/expapi/verbs/passed',
    failed: 'http://adlnet.gov/expapi/verbs/failed',
    abandoned: 'https://w3id.org/xapi/adl/verbs/abandoned',
    waived: 'https://w3id.org/xapi/adl/verbs/waived',
    terminated: 'http://adlnet.gov/expapi/verbs/terminated',
    satisfied: 'https://w3id.org/xapi/adl/verbs/satisfied',
  },
  /** State document the LMS writes before each launch (cmi5 10.0). */
  launchDataStateId: 'LMS.LaunchData',
  /** Agent Profile document an AU reads on startup, before initialized (cmi5 11.0). */
  learnerPreferencesProfileId: 'cmi5LearnerPreferences',
} as const;

/** Display names of the cmi5 verbs (en-US), for the statements the LMS writes. */
export const CMI5_VERB_DISPLAY: Readonly<Record<string, string>> = {
  [CMI5.verb.launched]: 'launched',
  [CMI5.verb.abandoned]: 'abandoned',
  [CMI5.verb.waived]: 'waived',
  [CMI5.verb.satisfied]: 'satisfied',
};
