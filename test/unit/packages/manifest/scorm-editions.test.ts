import type { ScormCourseModel } from '../../../../src/packages/course-model';
import { parsePackage } from '../../../../src/packages/manifest';
import { codes, files, scorm12, scorm2004 } from './fixtures';

const scorm = (xml: string, fs = files('imsmanifest.xml', 'index.html')): { model: ScormCourseModel; errors: string[]; warnings: string[] } => {
  const r = parsePackage('scorm', xml, fs);
  return { model: r.model as ScormCourseModel, errors: codes(r.report.errors), warnings: codes(r.report.warnings) };
};

describe('SCORM 1.2', () => {
  it('parses a minimal package', () => {
    const { model, errors, warnings } = scorm(scorm12());
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(model).toMatchObject({ format: 'scorm12', edition: '1.2', identifier: 'm12', version: '1.1', title: 'Course 1.2', defaultOrganization: 'org1' });
    expect(model.launchables).toEqual([{ id: 'i1', title: 'Lesson 1', kind: 'sco', launchUrl: 'index.html', external: false }]);
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });

  it('reads the per-item 1.2 extensions, visibility and parameters', () => {
    const items = `
      <item identifier="i1" identifierref="r1" isvisible="false" parameters="?chapter=2">
        <title>Lesson 1</title>
        <adlcp:prerequisites type="aicc_script">i0 &amp; i2</adlcp:prerequisites>
        <adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>
        <adlcp:timelimitaction>exit, no message</adlcp:timelimitaction>
        <adlcp:datafromlms>level=3</adlcp:datafromlms>
        <adlcp:masteryscore>80</adlcp:masteryscore>
      </item>`;
    const resources = `<resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html?lang=en"/>`;
    const { model, errors } = scorm(scorm12({ items, resources }));
    expect(errors).toEqual([]);
    const item = model.organizations[0]!.items[0]!;
    expect(item).toMatchObject({
      isVisible: false,
      parameters: '?chapter=2',
      launchUrl: 'index.html?lang=en&chapter=2',
      prerequisites: 'i0 & i2',
      maxTimeAllowed: '00:30:00',
      timeLimitAction: 'exit,no message',
      dataFromLms: 'level=3',
      masteryScore: 80,
    });
  });

  it('warns on an unknown timelimitaction and an out-of-range masteryscore', () => {
    const items = `<item identifier="i1" identifierref="r1"><title>L</title>
      <adlcp:timelimitaction>explode</adlcp:timelimitaction><adlcp:masteryscore>180</adlcp:masteryscore></item>`;
    const { model, errors, warnings } = scorm(scorm12({ items }));
    expect(errors).toEqual([]);
    expect([...warnings].sort()).toEqual(['invalid_value', 'unknown_value']);
    expect(model.organizations[0]!.items[0]!.timeLimitAction).toBeUndefined();
  });
});

describe('SCORM 2004 editions', () => {
  it.each([
    ['CAM 1.3', '2004-2nd'],
    ['2004 3rd Edition', '2004-3rd'],
    ['2004 4th Edition', '2004-4th'],
  ])('schemaversion "%s" is %s', (sv, edition) => {
    const { model, errors, warnings } = scorm(scorm2004({ schemaversion: sv }));
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(model).toMatchObject({ format: 'scorm2004', edition, title: 'Course 2004' });
    expect(model.launchables.map((l) => l.launchUrl)).toEqual(['index.html']);
    expect(model.organizations[0]!.sequencing!.controlMode).toEqual({
      choice: true, choiceExit: true, flow: false, forwardOnly: false, useCurrentAttemptObjectiveInfo: true, useCurrentAttemptProgressInfo: true,
    });
  });

  it('guesses the edition from namespaces when schemaversion is missing, with a warning', () => {
    const withData = `<item identifier="i1" identifierref="r1"><title>L</title><adlcp:data><adlcp:map targetID="shared1"/></adlcp:data></item>`;
    expect(scorm(scorm2004({ schemaversion: null, items: withData }))).toMatchObject({ model: { edition: '2004-4th' }, warnings: ['missing_schemaversion'] });
    expect(scorm(scorm2004({ schemaversion: null }))).toMatchObject({ model: { edition: '2004-3rd' }, warnings: ['missing_schemaversion'] });
    expect(scorm(scorm12({ schemaversion: null }))).toMatchObject({ model: { format: 'scorm12', edition: '1.2' } });
  });

  it('reads completionThreshold in both forms, dataFromLMS, timeLimitAction, hideLMSUI and shared data maps', () => {
    const items = `
      <item identifier="i1" identifierref="r1" parameters="#start">
        <title>Lesson 1</title>
        <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.75" progressWeight="0.5"/>
        <adlcp:timeLimitAction>continue,message</adlcp:timeLimitAction>
        <adlcp:dataFromLMS>mode=review</adlcp:dataFromLMS>
        <adlnav:presentation><adlnav:navigationInterface>
          <adlnav:hideLMSUI>previous</adlnav:hideLMSUI><adlnav:hideLMSUI>suspendAll</adlnav:hideLMSUI>
        </adlnav:navigationInterface></adlnav:presentation>
        <adlcp:data><adlcp:map targetID="bucket" writeSharedData="true"/></adlcp:data>
      </item>
      <item identifier="i2" identifierref="r1"><title>Lesson 2</title><adlcp:completionThreshold>0.6</adlcp:completionThreshold></item>`;
    const { model, errors } = scorm(scorm2004({ items }));
    expect(errors).toEqual([]);
    const [i1, i2] = model.organizations[0]!.items;
    expect(i1).toMatchObject({
      launchUrl: 'index.html#start',
      completionThreshold: { completedByMeasure: true, minProgressMeasure: 0.75, progressWeight: 0.5 },
      timeLimitAction: 'continue,message',
      dataFromLms: 'mode=review',
      hideLmsUi: ['previous', 'suspendAll'],
      dataMaps: [{ targetId: 'bucket', readSharedData: true, writeSharedData: true }],
    });
    expect(i2!.completionThreshold).toEqual({ completedByMeasure: true, minProgressMeasure: 0.6, progressWeight: 1 });
  });

  it('resolves the xml:base chain of manifest, resources and resource', () => {
    const xml = scorm2004({
      rootAttrs: 'xml:base="pkg/"',
      resources: '<resource identifier="r1" type="webcontent" adlcp:scormType="asset" xml:base="sco1" href="pages/start.html?x=1"/>',
    }).replace('<resources>', '<resources xml:base="content/">');
    const { model, errors } = scorm(xml, files('imsmanifest.xml', 'pkg/content/sco1/pages/start.html'));
    expect(errors).toEqual([]);
    expect(model.launchables).toEqual([{ id: 'i1', title: 'Lesson 1', kind: 'asset', launchUrl: 'pkg/content/sco1/pages/start.html?x=1', external: false }]);
  });

  it('reads LOM title, description and language', () => {
    const xml = scorm2004().replace(
      '</metadata>',
      `<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general><title><string language="en">LOM title</string></title>
       <language>en-GB</language><description><string language="en">What you learn.</string></description></general></lom></metadata>`,
    );
    expect(scorm(xml).model).toMatchObject({ title: 'Course 2004', description: 'What you learn.', language: 'en-GB' });
  });
});
