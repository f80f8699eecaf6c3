/**
 * SCORM navigation and course rollup: SCORM 2004 answered by scorm-again's sequencing engine fed
 * with manifests built here (preconditions, control modes, attempt limits, rollup rules and
 * controls); SCORM 1.2 gated by adlcp:prerequisites.
 */
import { engineNavigator, flowNavigator } from '../../../player/sequencing';
import type { ScormCourseModel } from '../../../src/packages/course-model';
import { parsePackage, toScormAgainSequencing } from '../../../src/packages/manifest';
import { sequencedCourseStatus } from '../../../src/launch/scorm/course-rollup';
import { scorm2004ApiClass } from '../../../src/launch/scorm/scorm-again-node';
import type { ScoTracking } from '../../../src/launch/scorm/sequencing-engine';
import { twoScoManifest } from '../../fixtures/scorm-packages';

const NS = `xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"`;

/** A SCORM 2004 manifest whose organization has `orgSeq` and items sco1..scoN with their own sequencing. */
function manifest2004(orgSeq: string, items: Record<string, string>): string {
  const its = Object.entries(items).map(([id, seq]) => `<item identifier="${id}" identifierref="r1"><title>${id}</title>${seq}</item>`).join('\n');
  return `<?xml version="1.0"?><manifest identifier="m" version="1" ${NS}>
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="o1"><organization identifier="o1"><title>Course</title>${its}${orgSeq}</organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="sco.html"><file href="sco.html"/></resource></resources>
</manifest>`;
}

function model2004(xml: string): ScormCourseModel {
  const { model, report } = parsePackage('scorm', xml, new Set(['imsmanifest.xml', 'sco.html', 'sco/index.html']));
  expect(report.errors).toEqual([]);
  return model as ScormCourseModel;
}

function nav(model: ScormCourseModel, st: Record<string, ScoTracking>) {
  return engineNavigator(scorm2004ApiClass(), toScormAgainSequencing(model).activityTree, new Map(Object.entries(st)));
}

// scorm-again's delivery handler logs every delivery with console.debug.
beforeAll(() => jest.spyOn(console, 'debug').mockImplementation(() => undefined));
afterAll(() => jest.restoreAllMocks());

const cmi = (completion: string, success = 'unknown', extra: Record<string, unknown> = {}) => ({ cmi: { completion_status: completion, success_status: success, ...extra } });

describe('SCORM 2004 navigation by the sequencing engine', () => {
  const twoSco = model2004(twoScoManifest());

  it('starts at the first SCO and keeps the second disabled until the first satisfies the shared objective', () => {
    const none = nav(twoSco, {});
    expect(none.leaves).toEqual(['sco1', 'sco2']);
    expect(none.start()).toBe('sco1');
    expect(none.choiceAllowed('sco1', 'sco1')).toBe(true);
    expect(none.choiceAllowed('sco2', 'sco1')).toBe(false);
    expect(none.next('sco1')).toBeUndefined();
    const completedOnly = nav(twoSco, { sco1: { completion: 'completed', success: 'unknown' } });
    expect(completedOnly.choiceAllowed('sco2', 'sco1')).toBe(false);
    expect(completedOnly.next('sco1')).toBeUndefined();
    const failed = nav(twoSco, { sco1: { completion: 'completed', success: 'failed' } });
    expect(failed.next('sco1')).toBeUndefined();
    const passed = nav(twoSco, { sco1: { completion: 'completed', success: 'passed' } });
    expect(passed.choiceAllowed('sco2', 'sco1')).toBe(true);
    expect(passed.next('sco1')).toBe('sco2');
    expect(passed.previous('sco2')).toBe('sco1');
  });

  it('honours flow, forwardOnly, choice and skip', () => {
    const model = model2004(manifest2004('<imsss:sequencing><imsss:controlMode choice="false" flow="true" forwardOnly="true"/></imsss:sequencing>', {
      sco1: '',
      sco2: `<imsss:sequencing><imsss:sequencingRules><imsss:preConditionRule>
        <imsss:ruleConditions><imsss:ruleCondition condition="always"/></imsss:ruleConditions><imsss:ruleAction action="skip"/>
      </imsss:preConditionRule></imsss:sequencingRules></imsss:sequencing>`,
      sco3: '',
    }));
    const n = nav(model, { sco1: { completion: 'completed', success: 'unknown' } });
    expect(n.choiceAllowed('sco3', 'sco1')).toBe(false);
    expect(n.next('sco1')).toBe('sco3');
    expect(n.previous('sco3')).toBeUndefined();
  });
});

describe('SCORM 2004 limit conditions', () => {
  it('refuses to deliver a SCO again once its attempt limit is used up', () => {
    const model = model2004(manifest2004('<imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>', {
      sco1: '<imsss:sequencing><imsss:limitConditions attemptLimit="1"/></imsss:sequencing>',
      sco2: '',
    }));
    const once = nav(model, { sco1: { completion: 'completed', success: 'unknown', attempts: 1 }, sco2: { completion: 'incomplete', success: 'unknown' } });
    expect(once.choiceAllowed('sco1', 'sco2')).toBe(false);
    expect(once.previous('sco2')).toBeUndefined();
    const fresh = nav(model, { sco2: { completion: 'incomplete', success: 'unknown' } });
    expect(fresh.choiceAllowed('sco1', 'sco2')).toBe(true);
  });
});

describe('SCORM 2004 course rollup from the manifest', () => {
  const allSatisfied = `<imsss:sequencing><imsss:controlMode choice="true" flow="true"/><imsss:rollupRules>
    <imsss:rollupRule childActivitySet="all"><imsss:rollupConditions><imsss:rollupCondition condition="satisfied"/></imsss:rollupConditions><imsss:rollupAction action="satisfied"/></imsss:rollupRule>
    <imsss:rollupRule childActivitySet="all"><imsss:rollupConditions><imsss:rollupCondition condition="completed"/></imsss:rollupConditions><imsss:rollupAction action="completed"/></imsss:rollupRule>
  </imsss:rollupRules></imsss:sequencing>`;

  it('childActivitySet "all" satisfied → the course is passed; a SCO not yet judged leaves it open', () => {
    const model = model2004(manifest2004(allSatisfied, { sco1: '', sco2: '' }));
    expect(sequencedCourseStatus(model, [])).toEqual({ completion: 'not attempted', success: 'unknown' });
    expect(sequencedCourseStatus(model, [{ scoId: 'sco1', cmi: cmi('completed', 'passed') }])).toEqual({ completion: 'incomplete', success: 'unknown' });
    expect(sequencedCourseStatus(model, [
      { scoId: 'sco1', cmi: cmi('completed', 'passed') }, { scoId: 'sco2', cmi: cmi('completed', 'passed') },
    ])).toEqual({ completion: 'completed', success: 'passed' });
    expect(sequencedCourseStatus(model, [
      { scoId: 'sco1', cmi: cmi('completed', 'passed') }, { scoId: 'sco2', cmi: cmi('completed', 'failed') },
    ]).success).not.toBe('passed');
  });

  it('a SCO with rollupObjectiveSatisfied="false" does not count towards the course\'s success', () => {
    const model = model2004(manifest2004(allSatisfied, {
      sco1: '',
      practice: '<imsss:sequencing><imsss:rollupRules rollupObjectiveSatisfied="false"/></imsss:sequencing>',
    }));
    expect(sequencedCourseStatus(model, [
      { scoId: 'sco1', cmi: cmi('completed', 'passed') }, { scoId: 'practice', cmi: cmi('completed', 'failed') },
    ])).toEqual({ completion: 'completed', success: 'passed' });
  });

  it('atLeastCount rules and rollupProgressCompletion="false" decide completion', () => {
    const model = model2004(manifest2004(`<imsss:sequencing><imsss:rollupRules>
      <imsss:rollupRule childActivitySet="atLeastCount" minimumCount="1"><imsss:rollupConditions><imsss:rollupCondition condition="completed"/></imsss:rollupConditions><imsss:rollupAction action="completed"/></imsss:rollupRule>
    </imsss:rollupRules></imsss:sequencing>`, {
      sco1: '<imsss:sequencing><imsss:rollupRules rollupProgressCompletion="false"/></imsss:sequencing>',
      sco2: '',
    }));
    expect(sequencedCourseStatus(model, [{ scoId: 'sco1', cmi: cmi('completed') }]).completion).toBe('incomplete');
    expect(sequencedCourseStatus(model, [{ scoId: 'sco1', cmi: cmi('incomplete') }, { scoId: 'sco2', cmi: cmi('completed') }]).completion).toBe('completed');
  });
});

describe('SCORM 1.2 prerequisites', () => {
  const manifest12 = `<?xml version="1.0"?><manifest identifier="p" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>C</title>
    <item identifier="a" identifierref="r"><title>A</title></item>
    <item identifier="b" identifierref="r"><title>B</title><adlcp:prerequisites type="aicc_script">a</adlcp:prerequisites></item>
    <item identifier="c" identifierref="r"><title>C</title><adlcp:prerequisites type="aicc_script">2*{a,b,x} &amp; ~(a = "failed")</adlcp:prerequisites></item>
  </organization></organizations>
  <resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="sco.html"><file href="sco.html"/></resource></resources>
</manifest>`;

  it('the parser keeps them and navigation waits for them', () => {
    const { model } = parsePackage('scorm', manifest12, new Set(['imsmanifest.xml', 'sco.html']));
    const items = (model as ScormCourseModel).organizations[0]!.items;
    expect(items.map((i) => i.prerequisites)).toEqual([undefined, 'a', '2*{a,b,x} & ~(a = "failed")']);
    const scos = items.map((i) => ({ id: i.identifier, ...(i.prerequisites !== undefined ? { prerequisites: i.prerequisites } : {}) }));
    const status = new Map<string, string>();
    const n = () => flowNavigator(scos, (id) => status.get(id) ?? 'not attempted');
    expect(n().choiceAllowed('b')).toBe(false);
    expect(n().next('a')).toBeUndefined();
    status.set('a', 'incomplete');
    expect(n().choiceAllowed('b')).toBe(false);
    status.set('a', 'passed');
    expect(n().next('a')).toBe('b');
    expect(n().choiceAllowed('c')).toBe(false);
    status.set('b', 'completed');
    expect(n().choiceAllowed('c')).toBe(true);
    expect(n().previous('c')).toBe('b');
  });

  it('a script that does not parse gates nothing', () => {
    const n = flowNavigator([{ id: 'a' }, { id: 'b', prerequisites: 'a & (' }], () => 'not attempted');
    expect(n.choiceAllowed('b')).toBe(true);
  });
});
