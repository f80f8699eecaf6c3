/**
 * SCO attempt counting (server and launcher rules, fed to the sequencing engine's limit
 * conditions), manifest values seeded into read-only cmi elements, learner preferences seeded from
 * and written to the xAPI SCORM Profile's Agent Profile document.
 */
import { engineNavigator } from '../../../player/sequencing';
import { seedCmi, seedItemOf } from '../../../src/launch/scorm/cmi';
import { AGENT_PROFILE_ID, agentProfileOf, readAgentPreferences, writeProfileDocuments } from '../../../src/launch/scorm/profile-documents';
import { scorm2004ApiClass } from '../../../src/launch/scorm/scorm-again-node';
import {
  entryOf, scoAttemptsAfter, scoAttemptsOnInitialize, startsNewScoAttempt, trackingFromCmi2004,
} from '../../../src/launch/scorm/sco-tracking';
import type { ScormCourseModel, ScormItem } from '../../../src/packages/course-model';
import { parsePackage, toScormAgainSequencing } from '../../../src/packages/manifest';
import type { DocumentKey, DocumentStore, StoredDocument, WriteCondition } from '../../../src/store/ports/documents';

const NS = `xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"`;

function model2004(items: Record<string, string>): ScormCourseModel {
  const its = Object.entries(items).map(([id, body]) => `<item identifier="${id}" identifierref="r1"><title>${id}</title>${body}</item>`).join('\n');
  const xml = `<?xml version="1.0"?><manifest identifier="m" version="1" ${NS}>
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="o1"><organization identifier="o1"><title>Course</title>${its}
    <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing></organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="sco.html"><file href="sco.html"/></resource></resources>
</manifest>`;
  const { model, report } = parsePackage('scorm', xml, new Set(['imsmanifest.xml', 'sco.html']));
  expect(report.errors).toEqual([]);
  return model as ScormCourseModel;
}
const itemOf = (m: ScormCourseModel, id: string): ScormItem => m.organizations[0]!.items.find((i) => i.identifier === id)!;

beforeAll(() => jest.spyOn(console, 'debug').mockImplementation(() => undefined));
afterAll(() => jest.restoreAllMocks());

describe('SCO attempt counting', () => {
  it('the server counts an Initialize without resume after earlier data as a new attempt, nothing else', () => {
    expect(scoAttemptsAfter(undefined, false)).toBe(1);
    expect(scoAttemptsAfter({}, true)).toBe(2); // data stored before counts existed is attempt 1
    expect(scoAttemptsAfter({ scoAttempts: 2 }, true)).toBe(3);
    expect(scoAttemptsAfter({ scoAttempts: 2 }, false)).toBe(2);
    expect(startsNewScoAttempt('initialize', true, 'ab-initio')).toBe(true);
    expect(startsNewScoAttempt('initialize', true, '')).toBe(true); // SCORM 1.2 relaunch after a normal exit
    expect(startsNewScoAttempt('initialize', true, 'resume')).toBe(false);
    expect(startsNewScoAttempt('initialize', false, 'ab-initio')).toBe(false);
    expect(startsNewScoAttempt('commit', true, 'ab-initio')).toBe(false);
  });

  it('the launcher counts the same way from the entry of the rendered cmi', () => {
    expect(entryOf({ cmi: { entry: 'resume' } })).toBe('resume');
    expect(entryOf({ cmi: { core: { entry: 'ab-initio' } } })).toBe('ab-initio');
    expect(scoAttemptsOnInitialize(0, 'ab-initio')).toBe(1);
    expect(scoAttemptsOnInitialize(1, 'ab-initio')).toBe(2);
    expect(scoAttemptsOnInitialize(2, 'resume')).toBe(2);
  });

  it('the stored count reaches the engine: attemptLimit=3 refuses delivery at the third attempt, not before', () => {
    const m = model2004({ quiz: '<imsss:sequencing><imsss:limitConditions attemptLimit="3"/></imsss:sequencing>', notes: '' });
    const tree = toScormAgainSequencing(m).activityTree;
    const nav = (attempts: number | undefined) => engineNavigator(scorm2004ApiClass(), tree, new Map([
      ['quiz', trackingFromCmi2004({ cmi: { completion_status: 'completed', success_status: 'failed' } }, attempts)],
      ['notes', trackingFromCmi2004({ cmi: { completion_status: 'incomplete' } })],
    ]));
    expect(trackingFromCmi2004({ cmi: {} }, 2).attempts).toBe(2);
    expect(trackingFromCmi2004({ cmi: {} })).not.toHaveProperty('attempts');
    expect(nav(undefined).choiceAllowed('quiz', 'notes')).toBe(true);
    expect(nav(2).choiceAllowed('quiz', 'notes')).toBe(true);
    expect(nav(3).choiceAllowed('quiz', 'notes')).toBe(false);
    expect(nav(3).previous('notes')).toBeUndefined();
  });

  it('a duration limit does not make the engine refuse a SCO nobody has started (scorm-again reads the limit as the elapsed time)', () => {
    const m = model2004({ timed: '<imsss:sequencing><imsss:limitConditions attemptAbsoluteDurationLimit="PT30M"/></imsss:sequencing>', other: '' });
    const nav = engineNavigator(scorm2004ApiClass(), toScormAgainSequencing(m).activityTree, new Map());
    expect(nav.start()).toBe('timed');
    expect(nav.choiceAllowed('timed', 'other')).toBe(true);
  });
});

describe('seeding read-only cmi elements', () => {
  const ctx = { learnerId: 'u1', learnerName: 'Ann', review: false };

  it('SCORM 2004: the manifest values, scaled_passing_score only when satisfiedByMeasure', () => {
    const m = model2004({
      quiz: `<adlcp:timeLimitAction>exit,no message</adlcp:timeLimitAction><adlcp:dataFromLMS>x=1</adlcp:dataFromLMS>
        <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.6"/>
        <imsss:sequencing><imsss:limitConditions attemptAbsoluteDurationLimit="PT1H30M"/>
          <imsss:objectives><imsss:primaryObjective objectiveID="p" satisfiedByMeasure="true"><imsss:minNormalizedMeasure>0.85</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives>
        </imsss:sequencing>`,
      unmeasured: `<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p" satisfiedByMeasure="false">
          <imsss:minNormalizedMeasure>0.5</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives></imsss:sequencing>`,
      defaulted: '<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p" satisfiedByMeasure="true"/></imsss:objectives></imsss:sequencing>',
    });
    const quiz = seedItemOf('scorm2004', itemOf(m, 'quiz'));
    expect(quiz).toEqual({ dataFromLms: 'x=1', timeLimitAction: 'exit,no message', maxTimeAllowed: 'PT1H30M', completionThreshold: 0.6, scaledPassingScore: 0.85 });
    expect(seedCmi('scorm2004', undefined, { ...ctx, item: quiz })).toMatchObject({
      scaled_passing_score: '0.85', completion_threshold: '0.6', max_time_allowed: 'PT1H30M', time_limit_action: 'exit,no message', launch_data: 'x=1',
    });
    expect(seedItemOf('scorm2004', itemOf(m, 'unmeasured'))).toEqual({});
    // minNormalizedMeasure defaults to 1.0 (SCORM 2004 SN).
    expect(seedItemOf('scorm2004', itemOf(m, 'defaulted'))).toEqual({ scaledPassingScore: 1 });
  });

  it('SCORM 1.2: mastery score, time limit and launch data; nothing of 2004', () => {
    const item: ScormItem = { identifier: 'i', title: 'I', isVisible: true, children: [], masteryScore: 70, maxTimeAllowed: '00:20:00', timeLimitAction: 'continue,message', dataFromLms: 'd' };
    expect(seedItemOf('scorm12', item)).toEqual({ masteryScore: 70, maxTimeAllowed: '00:20:00', timeLimitAction: 'continue,message', dataFromLms: 'd' });
    expect(seedCmi('scorm12', undefined, { ...ctx, item: seedItemOf('scorm12', item) })).toMatchObject({
      launch_data: 'd', student_data: { mastery_score: '70', max_time_allowed: '00:20:00', time_limit_action: 'continue,message' },
    });
  });

  it('seeds the learner\'s preferences over the stored ones, in each version\'s vocabulary', () => {
    const preferences = { audio_level: 0.5, language: 'de', delivery_speed: 2, audio_captioning: -1 };
    const v04 = seedCmi('scorm2004', { cmi: { learner_preference: { audio_level: '1', language: 'en' } } }, { ...ctx, item: {}, preferences });
    expect(v04['learner_preference']).toEqual({ audio_level: '0.5', language: 'de', delivery_speed: '2', audio_captioning: '-1' });
    const v12 = seedCmi('scorm12', undefined, { ...ctx, item: {}, preferences });
    expect(v12['student_preference']).toEqual({ audio: '1', language: 'de', text: '-1' });
    expect(seedCmi('scorm2004', undefined, { ...ctx, item: {}, preferences: {} })).not.toHaveProperty('learner_preference');
  });
});

/** An in-memory DocumentStore with compare-and-set that counts Agent Profile writes. */
function memoryDocs(): { docs: DocumentStore; writes: () => number; get: (key: DocumentKey) => unknown } {
  const map = new Map<string, StoredDocument>();
  const k = (key: DocumentKey): string => JSON.stringify([key.kind, key.activityId, key.agentKey, key.registration, key.docId]);
  let writes = 0;
  const docs: DocumentStore = {
    findDocument: async (key) => map.get(k(key)),
    findDocumentIds: async () => [],
    findLastUpdated: async () => undefined,
    upsertDocument: async (doc: StoredDocument, cond: WriteCondition) => {
      const cur = map.get(k(doc.key));
      if (cond && 'absent' in cond && cur) return false;
      if (cond && 'etag' in cond && cur?.etag !== cond.etag) return false;
      map.set(k(doc.key), doc);
      if (doc.key.kind === 'agentProfile') writes++;
      return true;
    },
    deleteDocument: async () => true,
    deleteDocuments: async () => 0,
    findDocumentsByAgent: async () => [],
    deleteDocumentsByAgent: async () => 0,
  };
  return {
    docs, writes: () => writes,
    get: (key) => { const d = map.get(k(key)); return d ? JSON.parse(d.content.toString('utf8')) : undefined; },
  };
}

describe('the SCORM Agent Profile document', () => {
  const learner = { id: 'u1', name: 'Ann' };

  it('merges the commit\'s preferences over the stored ones and drops what the schema forbids', () => {
    expect(agentProfileOf(undefined, learner, {})).toEqual({ learner_id: 'u1', learner_name: 'Ann' });
    const stored = { learner_id: 'old', extra: 1, preferences: { language: 'fr', audio_level: 2, bogus: true } };
    expect(agentProfileOf(stored, learner, { audio_level: 0 })).toEqual({ learner_id: 'u1', learner_name: 'Ann', preferences: { audio_level: 0, language: 'fr' } });
    expect(agentProfileOf('not json', { id: 'u2', name: '' }, { audio_captioning: 1 })).toEqual({ learner_id: 'u2', preferences: { audio_captioning: 1 } });
  });

  it('is written with the other profile documents, rewritten only on change, and read back as preferences', async () => {
    const m = memoryDocs();
    const item: ScormItem = { identifier: 'i1', title: 'One', isVisible: true, children: [] };
    const write = (preferences: Record<string, unknown> | undefined) => writeProfileDocuments(m.docs, {
      version: 'scorm2004', item, scoActivityId: 'http://x/sco/i1', baseAttemptIri: 'http://x/sco/i1/attempts/a1', agentKey: 'account:http://x|u1',
      startsNewAttempt: false, attemptState: { credit: 'credit', ...(preferences ? { preferences } : {}) }, learner, at: '2025-01-01T00:00:00.000Z',
    });
    const key: DocumentKey = { kind: 'agentProfile', activityId: '', agentKey: 'account:http://x|u1', registration: '', docId: AGENT_PROFILE_ID };
    await write({ language: 'es', delivery_speed: 1.5 });
    expect(m.get(key)).toEqual({ learner_id: 'u1', learner_name: 'Ann', preferences: { language: 'es', delivery_speed: 1.5 } });
    const afterFirst = m.writes();
    await write({ language: 'es' });
    await write(undefined);
    expect(m.writes()).toBe(afterFirst);
    await write({ audio_captioning: 1 });
    expect(m.writes()).toBe(afterFirst + 1);
    expect(await readAgentPreferences(m.docs, 'account:http://x|u1')).toEqual({ language: 'es', delivery_speed: 1.5, audio_captioning: 1 });
    expect(await readAgentPreferences(m.docs, 'account:http://x|nobody')).toEqual({});
  });
});
