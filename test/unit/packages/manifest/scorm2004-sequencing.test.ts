import type { ScormCourseModel } from '../../../../src/packages/course-model';
import { parsePackage, toScormAgainSequencing } from '../../../../src/packages/manifest';
import { codes, files, scorm12, scorm2004 } from './fixtures';

/** A three-SCO course: forced order via a shared collection, a posttest with objectives and rollup. */
const items = `
  <item identifier="intro" identifierref="r_intro"><title>Introduction</title>
    <imsss:sequencing IDRef="common">
      <imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>
    </imsss:sequencing>
  </item>
  <item identifier="module" isvisible="true"><title>Module</title>
    <item identifier="lesson" identifierref="r_lesson" parameters="page=1"><title>Lesson</title>
      <imsss:sequencing IDRef="common"/>
    </item>
    <item identifier="posttest" identifierref="r_test"><title>Post test</title>
      <imsss:sequencing>
        <imsss:sequencingRules>
          <imsss:preConditionRule>
            <imsss:ruleConditions conditionCombination="any">
              <imsss:ruleCondition referencedObjective="pre_ok" operator="not" condition="satisfied"/>
              <imsss:ruleCondition condition="attemptLimitExceeded"/>
            </imsss:ruleConditions>
            <imsss:ruleAction action="disabled"/>
          </imsss:preConditionRule>
          <imsss:exitConditionRule>
            <imsss:ruleConditions><imsss:ruleCondition condition="completed"/></imsss:ruleConditions>
            <imsss:ruleAction action="exit"/>
          </imsss:exitConditionRule>
          <imsss:postConditionRule>
            <imsss:ruleConditions>
              <imsss:ruleCondition condition="objectiveMeasureLessThan" measureThreshold="0.5"/>
            </imsss:ruleConditions>
            <imsss:ruleAction action="retry"/>
          </imsss:postConditionRule>
        </imsss:sequencingRules>
        <imsss:limitConditions attemptLimit="3" attemptAbsoluteDurationLimit="PT1H"/>
        <imsss:objectives>
          <imsss:primaryObjective objectiveID="test_passed" satisfiedByMeasure="true">
            <imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>
            <imsss:mapInfo targetObjectiveID="urn:course:passed" writeSatisfiedStatus="true" writeNormalizedMeasure="true"/>
          </imsss:primaryObjective>
          <imsss:objective objectiveID="pre_ok">
            <imsss:mapInfo targetObjectiveID="urn:course:intro_done" readNormalizedMeasure="false"/>
          </imsss:objective>
        </imsss:objectives>
        <imsss:deliveryControls tracked="true" completionSetByContent="true"/>
        <adlseq:objectives>
          <adlseq:objective objectiveID="test_passed">
            <adlseq:mapInfo targetObjectiveID="urn:course:passed" writeRawScore="true" writeCompletionStatus="true"/>
          </adlseq:objective>
        </adlseq:objectives>
      </imsss:sequencing>
    </item>
    <imsss:sequencing>
      <imsss:controlMode choice="false" flow="true" forwardOnly="true"/>
      <imsss:rollupRules objectiveMeasureWeight="0.5">
        <imsss:rollupRule childActivitySet="atLeastPercent" minimumPercent="0.75">
          <imsss:rollupConditions><imsss:rollupCondition condition="completed"/></imsss:rollupConditions>
          <imsss:rollupAction action="completed"/>
        </imsss:rollupRule>
        <imsss:rollupRule childActivitySet="any">
          <imsss:rollupConditions conditionCombination="all">
            <imsss:rollupCondition operator="not" condition="satisfied"/>
            <imsss:rollupCondition condition="activityProgressKnown"/>
          </imsss:rollupConditions>
          <imsss:rollupAction action="notSatisfied"/>
        </imsss:rollupRule>
      </imsss:rollupRules>
      <imsss:randomizationControls randomizationTiming="onEachNewAttempt" selectCount="2" reorderChildren="true" selectionTiming="once"/>
      <adlseq:constrainedChoiceConsiderations preventActivation="true" constrainChoice="true"/>
      <adlseq:rollupConsiderations requiredForSatisfied="ifAttempted" measureSatisfactionIfActive="false"/>
    </imsss:sequencing>
  </item>`;

const orgExtra = `<imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>`;
const collection = `
  <imsss:sequencingCollection>
    <imsss:sequencing ID="common">
      <imsss:controlMode choiceExit="false"/>
      <imsss:deliveryControls tracked="false"/>
      <imsss:sequencingRules>
        <imsss:preConditionRule>
          <imsss:ruleConditions><imsss:ruleCondition condition="completed"/></imsss:ruleConditions>
          <imsss:ruleAction action="hiddenFromChoice"/>
        </imsss:preConditionRule>
      </imsss:sequencingRules>
    </imsss:sequencing>
  </imsss:sequencingCollection>`;
const resources = ['intro', 'lesson', 'test']
  .map((n) => `<resource identifier="r_${n}" type="webcontent" adlcp:scormType="sco" href="${n}/index.html"/>`)
  .join('\n');
const pkgFiles = files('imsmanifest.xml', 'intro/index.html', 'lesson/index.html', 'test/index.html');

function parseMultiSco(): { model: ScormCourseModel; errors: string[]; warnings: string[] } {
  const r = parsePackage('scorm', scorm2004({ items, resources, orgExtra, collection }), pkgFiles);
  return { model: r.model as ScormCourseModel, errors: codes(r.report.errors), warnings: codes(r.report.warnings) };
}

describe('SCORM 2004 multi-SCO sequencing', () => {
  const { model, errors, warnings } = parseMultiSco();
  const org = model.organizations[0]!;
  const [intro, moduleItem] = org.items;
  const [lesson, posttest] = moduleItem!.children;

  it('imports without errors or warnings and lists the SCOs in tree order', () => {
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(model.launchables.map((l) => [l.id, l.launchUrl])).toEqual([
      ['intro', 'intro/index.html'],
      ['lesson', 'lesson/index.html?page=1'],
      ['posttest', 'test/index.html'],
    ]);
  });

  it('merges a referenced collection component by component, the item winning', () => {
    expect(intro!.sequencing).toMatchObject({
      collectionRef: 'common',
      controlMode: { choiceExit: false, choice: true },
      deliveryControls: { tracked: true, completionSetByContent: true, objectiveSetByContent: true },
      sequencingRules: { preCondition: [{ action: 'hiddenFromChoice', conditionCombination: 'all', conditions: [{ condition: 'completed', operator: 'noOp' }] }] },
    });
    expect(lesson!.sequencing!.deliveryControls).toEqual({ tracked: false, completionSetByContent: false, objectiveSetByContent: false });
    expect(model.sequencingCollection?.['common']?.controlMode.choiceExit).toBe(false);
  });

  it('reads pre/exit/post rules with combinations, operators, thresholds and referenced objectives', () => {
    const rules = posttest!.sequencing!.sequencingRules;
    expect(rules.preCondition).toEqual([{
      conditionCombination: 'any',
      conditions: [
        { condition: 'satisfied', operator: 'not', referencedObjective: 'pre_ok' },
        { condition: 'attemptLimitExceeded', operator: 'noOp' },
      ],
      action: 'disabled',
    }]);
    expect(rules.exitCondition).toEqual([{ conditionCombination: 'all', conditions: [{ condition: 'completed', operator: 'noOp' }], action: 'exit' }]);
    expect(rules.postCondition[0]).toMatchObject({ action: 'retry', conditions: [{ condition: 'objectiveMeasureLessThan', measureThreshold: 0.5 }] });
    expect(posttest!.sequencing!.limitConditions).toEqual({ attemptLimit: 3, attemptAbsoluteDurationLimit: 'PT1H' });
  });

  it('reads objectives with their global maps and merges the 4th edition adlseq map fields', () => {
    const obj = posttest!.sequencing!.objectives;
    expect(obj.primary).toEqual({
      objectiveId: 'test_passed',
      satisfiedByMeasure: true,
      minNormalizedMeasure: 0.8,
      mapInfo: [{
        targetObjectiveId: 'urn:course:passed', readSatisfiedStatus: true, readNormalizedMeasure: true, writeSatisfiedStatus: true, writeNormalizedMeasure: true,
        readRawScore: true, readMinScore: true, readMaxScore: true, readCompletionStatus: true, readProgressMeasure: true,
        writeRawScore: true, writeMinScore: false, writeMaxScore: false, writeCompletionStatus: true, writeProgressMeasure: false,
      }],
    });
    expect(obj.others).toEqual([{ objectiveId: 'pre_ok', satisfiedByMeasure: false, minNormalizedMeasure: 1, mapInfo: [
      { targetObjectiveId: 'urn:course:intro_done', readSatisfiedStatus: true, readNormalizedMeasure: false, writeSatisfiedStatus: false, writeNormalizedMeasure: false },
    ] }]);
  });

  it('reads cluster control mode, rollup rules, randomization and ADL considerations', () => {
    const seq = moduleItem!.sequencing!;
    expect(seq.controlMode).toMatchObject({ choice: false, flow: true, forwardOnly: true, choiceExit: true });
    expect(seq.rollupRules).toEqual({
      rollupObjectiveSatisfied: true, rollupProgressCompletion: true, objectiveMeasureWeight: 0.5,
      rules: [
        { childActivitySet: 'atLeastPercent', minimumCount: 0, minimumPercent: 0.75, conditionCombination: 'any', conditions: [{ condition: 'completed', operator: 'noOp' }], action: 'completed' },
        { childActivitySet: 'any', minimumCount: 0, minimumPercent: 0, conditionCombination: 'all', conditions: [{ condition: 'satisfied', operator: 'not' }, { condition: 'activityProgressKnown', operator: 'noOp' }], action: 'notSatisfied' },
      ],
    });
    expect(seq.randomizationControls).toEqual({ randomizationTiming: 'onEachNewAttempt', selectCount: 2, reorderChildren: true, selectionTiming: 'once' });
    expect(seq.constrainedChoiceConsiderations).toEqual({ preventActivation: true, constrainChoice: true });
    expect(seq.rollupConsiderations).toEqual({ requiredForSatisfied: 'ifAttempted', requiredForNotSatisfied: 'always', requiredForCompleted: 'always', requiredForIncomplete: 'always', measureSatisfactionIfActive: false });
    expect(org.sequencing!.controlMode.flow).toBe(true);
    expect(org.objectivesGlobalToSystem).toBe(true);
  });

  it('converts to the scorm-again sequencing settings shape', () => {
    const s = toScormAgainSequencing(model);
    const root = s.activityTree;
    expect(root).toMatchObject({ id: 'org1', title: 'Course 2004', sequencingControls: { choice: true, flow: true } });
    expect(root.children!.map((c) => c.id)).toEqual(['intro', 'module']);
    const mod = root.children![1]!;
    expect(mod.sequencingControls).toMatchObject({ choice: false, flow: true, forwardOnly: true, preventActivation: true, constrainChoice: true, objectiveMeasureWeight: 0.5, randomizeChildren: true, randomizationTiming: 'onEachNewAttempt', selectCount: 2, selectionTiming: 'once' });
    expect(mod.rollupRules!.rules[0]).toEqual({ action: 'completed', consideration: 'atLeastPercent', minimumCount: 0, minimumPercent: 75, conditionCombination: 'any', conditions: [{ condition: 'completed', operator: 'noOp' }] });
    expect(mod.rollupRules!.rules[1]).toMatchObject({ conditionCombination: 'all', conditions: [{ condition: 'satisfied', operator: 'not' }, { condition: 'progressKnown', operator: 'noOp' }] });
    expect(root.children![0]!.sequencingRules!.preConditionRules).toEqual([{ action: 'hiddenFromChoice', conditionCombination: 'all', conditions: [{ condition: 'completed' }] }]);
    const test = mod.children![1]!;
    expect(test.sequencingRules!.preConditionRules![0]!.conditions).toEqual([
      { condition: 'satisfied', operator: 'not', referencedObjective: 'pre_ok' },
      { condition: 'attemptLimitExceeded', parameters: { attemptLimit: 3 } },
    ]);
    expect(test.sequencingRules!.postConditionRules![0]!.conditions[0]).toEqual({ condition: 'objectiveMeasureLessThan', parameters: { threshold: 0.5 } });
    expect(test).toMatchObject({ attemptLimit: 3, attemptAbsoluteDurationLimit: 'PT1H', primaryObjective: { objectiveID: 'test_passed', isPrimary: true, minNormalizedMeasure: 0.8 } });
    expect(test.primaryObjective!.mapInfo![0]).toMatchObject({ targetObjectiveID: 'urn:course:passed', writeSatisfiedStatus: true, writeRawScore: true });
    expect(test.objectives).toEqual([expect.objectContaining({ objectiveID: 'pre_ok', isPrimary: false })]);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('refuses to convert a SCORM 1.2 model', () => {
    const m = parsePackage('scorm', scorm12(), files('imsmanifest.xml', 'index.html')).model as ScormCourseModel;
    expect(() => toScormAgainSequencing(m)).toThrow(/scorm12/);
  });
});
