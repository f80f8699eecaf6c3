/**
 * The course rollup plan of a SCORM 2004 version: a single-SCO course whose manifest cannot make
 * the root differ from its SCO takes the SCO's status (checked against scorm-again's engine over
 * many statuses), anything else goes to the engine; and which commits change the rollup's inputs.
 */
import type { ScormCourseModel } from '../../../src/packages/course-model';
import { parsePackage, toScormAgainSequencing } from '../../../src/packages/manifest';
import {
  courseRollupPlan, courseStatus, engineCourseStatus, rollupInputsChanged, singleScoOf, type StoredSco,
} from '../../../src/launch/scorm/course-rollup';
import { twoScoManifest } from '../../fixtures/scorm-packages';

const NS = `xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"`;

/** A SCORM 2004 manifest: organization sequencing `orgSeq`, SCOs with their own sequencing markup. */
function model(orgSeq: string, items: Record<string, string>, itemAttrs = ''): ScormCourseModel {
  const its = Object.entries(items).map(([id, seq]) => `<item identifier="${id}" identifierref="r1"${itemAttrs}><title>${id}</title>${seq}</item>`).join('\n');
  const xml = `<?xml version="1.0"?><manifest identifier="m" version="1" ${NS}>
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="o1"><organization identifier="o1"><title>Course</title>${its}${orgSeq}</organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="sco.html"><file href="sco.html"/></resource></resources>
</manifest>`;
  const { model: m, report } = parsePackage('scorm', xml, new Set(['imsmanifest.xml', 'sco.html']));
  expect(report.errors).toEqual([]);
  return m as ScormCourseModel;
}

const cmi = (fields: Record<string, unknown>): Record<string, unknown> => ({ cmi: fields });

// scorm-again's delivery handler logs with console.debug.
beforeAll(() => jest.spyOn(console, 'debug').mockImplementation(() => undefined));
afterAll(() => jest.restoreAllMocks());

describe('singleScoOf', () => {
  it('takes a plain one-SCO course (no sequencing, or sequencing that leaves the default rollup alone)', () => {
    expect(singleScoOf(model('', { sco1: '' }))).toBe('sco1');
    expect(singleScoOf(model('<imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>', {
      sco1: '<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p"/></imsss:objectives></imsss:sequencing>',
    }))).toBe('sco1');
  });

  it.each([
    ['two SCOs', model('', { sco1: '', sco2: '' })],
    ['a rollup rule on the root', model(`<imsss:sequencing><imsss:rollupRules><imsss:rollupRule childActivitySet="all">
      <imsss:rollupConditions><imsss:rollupCondition condition="attempted"/></imsss:rollupConditions>
      <imsss:rollupAction action="completed"/></imsss:rollupRule></imsss:rollupRules></imsss:sequencing>`, { sco1: '' })],
    ['the SCO left out of satisfaction rollup', model('', { sco1: '<imsss:sequencing><imsss:rollupRules rollupObjectiveSatisfied="false"/></imsss:sequencing>' })],
    ['an untracked SCO', model('', { sco1: '<imsss:sequencing><imsss:deliveryControls tracked="false"/></imsss:sequencing>' })],
    ['satisfaction by measure', model('', { sco1: `<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p" satisfiedByMeasure="true">
      <imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure></imsss:primaryObjective></imsss:objectives></imsss:sequencing>` })],
    ['a global objective map', model('', { sco1: `<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p">
      <imsss:mapInfo targetObjectiveID="urn:x:g" readSatisfiedStatus="true"/></imsss:primaryObjective></imsss:objectives></imsss:sequencing>` })],
    ['a rollup consideration', model('', { sco1: '<imsss:sequencing><adlseq:rollupConsiderations requiredForCompleted="ifNotSuspended"/></imsss:sequencing>' })],
    ['completion by progress measure', model('', { sco1: '<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.8"/>' })],
  ])('leaves %s to the engine', (_name, m) => {
    expect(singleScoOf(m)).toBeUndefined();
    expect(courseRollupPlan(m).kind).toBe('engine');
  });
});

describe('the single-SCO status equals the engine rollup', () => {
  const m = model('', { sco1: '' });
  const plan = courseRollupPlan(m);
  const tree = toScormAgainSequencing(m).activityTree;
  const completions = ['completed', 'incomplete', 'not attempted', 'unknown'];
  const successes = ['passed', 'failed', 'unknown'];
  const cases: [string, StoredSco[]][] = [['no data', []]];
  for (const c of completions) {
    for (const s of successes) {
      cases.push([`${c}/${s}`, [{ scoId: 'sco1', cmi: cmi({ completion_status: c, success_status: s }) }]]);
      cases.push([`${c}/${s} scored, suspended`, [{ scoId: 'sco1', cmi: cmi({ completion_status: c, success_status: s, score: { scaled: '0.4' }, progress_measure: '0.5', exit: 'suspend' }), scoAttempts: 2 }]]);
    }
  }

  it('uses the shortcut', () => {
    expect(plan).toEqual({ kind: 'single-sco', scoId: 'sco1' });
  });

  it.each(cases)('%s', (_name, stored) => {
    expect(courseStatus(plan, stored)).toEqual(engineCourseStatus(tree, stored));
  });
});

describe('rollupInputsChanged', () => {
  const base = { completion_status: 'incomplete', success_status: 'unknown', location: 'p1', suspend_data: 'a', session_time: 'PT1M', score: { scaled: '0.5' } };
  const prev: StoredSco = { scoId: 'sco1', cmi: cmi(base), scoAttempts: 1 };
  const next = (over: Record<string, unknown>, scoAttempts = 1): StoredSco => ({ scoId: 'sco1', cmi: cmi({ ...base, ...over }), scoAttempts });

  it('is true for the first commit of a SCO', () => {
    expect(rollupInputsChanged(undefined, prev)).toBe(true);
  });

  it('is false when only location, suspend data, time or interactions change', () => {
    expect(rollupInputsChanged(prev, next({ location: 'p9', suspend_data: 'zzz', session_time: 'PT9M', interactions: { '0': { id: 'q1', learner_response: 'b' } } }))).toBe(false);
    // Stored data from before SCO attempts were counted reads as one attempt.
    expect(rollupInputsChanged({ scoId: 'sco1', cmi: cmi(base) }, next({}))).toBe(false);
  });

  it.each([
    ['completion', { completion_status: 'completed' }, 1],
    ['success', { success_status: 'passed' }, 1],
    ['scaled score', { score: { scaled: '0.9' } }, 1],
    ['progress measure', { progress_measure: '0.3' }, 1],
    ['an objective', { objectives: { '0': { id: 'o1', success_status: 'passed' } } }, 1],
    ['suspension', { exit: 'suspend' }, 1],
    ['the SCO attempt count', {}, 2],
  ] as const)('is true when the %s changes', (_name, over, attempts) => {
    expect(rollupInputsChanged(prev, next(over, attempts))).toBe(true);
  });

  it('keeps the two-SCO course (global objectives) on the engine', () => {
    const two = parsePackage('scorm', twoScoManifest(), new Set(['imsmanifest.xml', 'sco/index.html'])).model as ScormCourseModel;
    expect(courseRollupPlan(two).kind).toBe('engine');
  });
});
