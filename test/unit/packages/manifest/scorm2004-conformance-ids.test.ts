/**
 * Features of ADL's SCORM 2004 4th edition conformance packages that made valid packages fail to
 * import (issue 17 item 21), each in a manifest built here: identifiers padded with white space,
 * references written percent-encoded, and a shared sequencing collection whose objectives and
 * 4th edition objective maps only make sense once merged with the item that uses it.
 */
import type { ScormCourseModel, ScormItem } from '../../../../src/packages/course-model';
import { parsePackage, toScormAgainSequencing } from '../../../../src/packages/manifest';
import { codes, files, scorm2004 } from './fixtures';

const sco = (id: string, href: string): string => `<resource identifier="${id}" type="webcontent" adlcp:scormType="sco" href="${href}"><file href="${href}"/></resource>`;

function parse(xml: string, fs: ReadonlySet<string>): { model: ScormCourseModel; errors: string[]; messages: string[] } {
  const r = parsePackage('scorm', xml, fs);
  return { model: r.model as ScormCourseModel, errors: codes(r.report.errors), messages: r.report.errors.map((e) => e.message) };
}

describe('identifiers padded with white space', () => {
  const xml = scorm2004({
    items: `<item identifier="  ITEM-1 " identifierref="
        RES-1 "><title>One</title></item>
      <item identifier="ITEM-2" identifierref=" RES-2"><title>Two</title></item>`,
    resources: `<resource identifier=" RES-1  " type="webcontent" adlcp:scormType="sco" href="one.html"><dependency identifierref=" SHARED "/></resource>
      ${sco('RES-2', 'two.html')}
      <resource identifier="SHARED" type="webcontent" adlcp:scormType="asset"><file href="shared.js"/></resource>`,
  }).replace('<organizations default="org1">', '<organizations default=" org1 ">').replace('<organization identifier="org1"', '<organization identifier="\torg1\n"');
  const { model, errors } = parse(xml, files('imsmanifest.xml', 'one.html', 'two.html', 'shared.js'));

  it('are trimmed before matching: the package imports with every reference resolved', () => {
    expect(errors).toEqual([]);
    expect(model.defaultOrganization).toBe('org1');
    expect(model.launchables.map((l) => [l.id, l.launchUrl])).toEqual([['ITEM-1', 'one.html'], ['ITEM-2', 'two.html']]);
    expect(model.organizations[0]!.items.map((i) => i.resourceIdentifier)).toEqual(['RES-1', 'RES-2']);
    expect(model.resources.find((r) => r.identifier === 'RES-1')?.dependencies).toEqual(['SHARED']);
  });
});

describe('references written percent-encoded', () => {
  it('match the identifier they encode (%20, %2D) in item, dependency and sequencing references', () => {
    const xml = scorm2004({
      items: `<item identifier="i1" identifierref="RES%2D1"><title>One</title><imsss:sequencing IDRef="shared%2Dseq"/></item>
        <item identifier="i2" identifierref="RES-2"><title>Two</title></item>`,
      resources: `${sco('RES-1', 'one.html')}
        <resource identifier="RES-2" type="webcontent" adlcp:scormType="sco" href="sco%202/two.html"><dependency identifierref="COMMON%2DFILES"/></resource>
        <resource identifier="COMMON-FILES" type="webcontent" adlcp:scormType="asset"><file href="common.js"/></resource>`,
      collection: `<imsss:sequencingCollection><imsss:sequencing ID="shared-seq"><imsss:controlMode choiceExit="false"/></imsss:sequencing></imsss:sequencingCollection>`,
    });
    const { model, errors, messages } = parse(xml, files('imsmanifest.xml', 'one.html', 'sco 2/two.html', 'common.js'));
    expect({ errors, messages }).toEqual({ errors: [], messages: [] });
    expect(model.launchables.map((l) => l.launchUrl)).toEqual(['one.html', 'sco%202/two.html']);
    expect(model.organizations[0]!.items[0]!.sequencing?.controlMode.choiceExit).toBe(false);
  });

  it('still refuse a reference that matches nothing, decoded or not', () => {
    const xml = scorm2004({ items: '<item identifier="i1" identifierref="RES%2D9"><title>One</title></item>', resources: sco('RES-1', 'one.html') });
    expect(parse(xml, files('imsmanifest.xml', 'one.html')).errors).toEqual(expect.arrayContaining(['unresolved_reference']));
  });
});

describe('objectives of a shared sequencing collection', () => {
  // The collection carries the rules and the 4th edition maps; each item declares its own
  // objectives (with the ids those rules and maps name) and adds some of its own.
  const collection = `<imsss:sequencingCollection>
    <imsss:sequencing ID="graded">
      <imsss:sequencingRules>
        <imsss:preConditionRule>
          <imsss:ruleConditions><imsss:ruleCondition referencedObjective="mastered" condition="satisfied"/></imsss:ruleConditions>
          <imsss:ruleAction action="skip"/>
        </imsss:preConditionRule>
      </imsss:sequencingRules>
      <imsss:objectives>
        <imsss:objective objectiveID="mastered"><imsss:mapInfo targetObjectiveID="urn:course:mastered" writeSatisfiedStatus="true"/></imsss:objective>
      </imsss:objectives>
      <adlseq:objectives>
        <adlseq:objective objectiveID="score">
          <adlseq:mapInfo targetObjectiveID="urn:course:score" writeRawScore="true" readCompletionStatus="false"/>
        </adlseq:objective>
      </adlseq:objectives>
    </imsss:sequencing>
  </imsss:sequencingCollection>`;
  const item = (id: string, res: string): string => `<item identifier="${id}" identifierref="${res}"><title>${id}</title>
    <imsss:sequencing IDRef="graded">
      <imsss:objectives>
        <imsss:primaryObjective objectiveID="score" satisfiedByMeasure="true">
          <imsss:mapInfo targetObjectiveID="urn:course:score" writeNormalizedMeasure="true"/>
        </imsss:primaryObjective>
        <imsss:objective objectiveID="${id}-extra"/>
      </imsss:objectives>
    </imsss:sequencing>
  </item>`;
  const xml = scorm2004({ items: item('quiz1', 'r1') + item('quiz2', 'r2'), resources: sco('r1', 'q1.html') + sco('r2', 'q2.html'), collection });
  const { model, errors, messages } = parse(xml, files('imsmanifest.xml', 'q1.html', 'q2.html'));
  const quiz1 = model.organizations[0]!.items[0] as ScormItem;

  it('are checked after merging with the item that uses them: the package imports', () => {
    expect({ errors, messages }).toEqual({ errors: [], messages: [] });
  });

  it('merge by objectiveID: the item\'s primary objective gets the collection\'s 4th edition map, the collection\'s objective stays beside the item\'s', () => {
    const obj = quiz1.sequencing!.objectives;
    expect(obj.primary).toMatchObject({
      objectiveId: 'score',
      mapInfo: [{ targetObjectiveId: 'urn:course:score', writeNormalizedMeasure: true, writeRawScore: true, readCompletionStatus: false, readRawScore: true }],
    });
    expect(obj.others.map((o) => o.objectiveId)).toEqual(['mastered', 'quiz1-extra']);
    expect(quiz1.sequencing!.sequencingRules.preCondition[0]!.conditions[0]!.referencedObjective).toBe('mastered');
    // The engine's settings carry the merged objectives too.
    expect(JSON.stringify(toScormAgainSequencing(model))).toContain('urn:course:mastered');
  });

  it('still refuse a 4th edition map whose objective neither the item nor its collection declares', () => {
    const broken = xml.replace('<adlseq:objective objectiveID="score">', '<adlseq:objective objectiveID="ghost">');
    const r = parse(broken, files('imsmanifest.xml', 'q1.html', 'q2.html'));
    expect(r.errors).toEqual(['unresolved_reference', 'unresolved_reference']);
    expect(r.messages[0]).toMatch(/objectiveID="ghost"> matches no imsss objective of activity "quiz1" or of its sequencing collection/);
  });
});
