import { analysePackage, parsePackage } from '../../../../src/packages/manifest';
import { cmi5, codes, files, scorm12, scorm2004, tincan } from './fixtures';

const ok12 = files('imsmanifest.xml', 'index.html');
const errorsOf = (family: 'scorm' | 'tincan' | 'cmi5', xml: string, fs: ReadonlySet<string> = ok12): string[] => codes(parsePackage(family, xml, fs).report.errors);

describe('XML safety and well-formedness', () => {
  it('refuses a manifest that is not well-formed, naming the file', () => {
    const r = parsePackage('scorm', scorm12().replace('</organizations>', ''), ok12);
    expect(codes(r.report.errors)).toEqual(['manifest_not_well_formed']);
    expect(r.report.errors[0]!.message).toContain('imsmanifest.xml');
    expect(r.model).toBeUndefined();
  });

  it('refuses DOCTYPE and entity declarations (XXE, billion laughs) without expanding them', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><tincan>&lol2;</tincan>`;
    expect(errorsOf('tincan', laughs)).toEqual(['manifest_doctype']);
    const xxe = `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><manifest>&x;</manifest>`;
    expect(errorsOf('scorm', xxe)).toEqual(['manifest_doctype']);
  });

  it('refuses a manifest over the size cap', () => {
    const r = parsePackage('scorm', scorm12(), ok12, { maxManifestBytes: 200 });
    expect(codes(r.report.errors)).toEqual(['manifest_too_large']);
  });
});

describe('required elements missing', () => {
  it.each([
    ['SCORM <organizations>', 'scorm', scorm12().replace(/<organizations[\s\S]*<\/organizations>/, '')],
    ['SCORM <organization>', 'scorm', scorm12().replace(/<organization [\s\S]*<\/organization>/, '')],
    ['SCORM <resources>', 'scorm', scorm12().replace(/<resources>[\s\S]*<\/resources>/, '')],
    ['SCORM item identifier', 'scorm', scorm12({ items: '<item identifierref="r1"><title>x</title></item>' })],
    ['SCORM 2004 rule without action', 'scorm', scorm2004({ items: `<item identifier="i1" identifierref="r1"><title>L</title><imsss:sequencing><imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition condition="always"/></imsss:ruleConditions></imsss:preConditionRule></imsss:sequencingRules></imsss:sequencing></item>` })],
    ['tincan <activities>', 'tincan', '<tincan xmlns="http://projecttincan.com/tincan.xsd"/>'],
    ['cmi5 <course>', 'cmi5', cmi5().replace(/<course [\s\S]*<\/course>/, '')],
    ['cmi5 AU <url>', 'cmi5', cmi5().replace('<url>au1/index.html</url>', '')],
    ['cmi5 course <title>', 'cmi5', cmi5().replace('<title><langstring lang="en-US">cmi5 course</langstring></title>', '')],
  ])('%s', (_label, family, xml) => {
    const errs = errorsOf(family as 'scorm', xml, files('imsmanifest.xml', 'index.html', 'au1/index.html'));
    expect(errs.some((c) => c === 'required_element_missing' || c === 'required_attribute_missing')).toBe(true);
  });
});

describe('launch file missing', () => {
  it('SCORM: names the file, the resource and the item, and hints at a case mismatch', () => {
    const r = parsePackage('scorm', scorm12(), files('imsmanifest.xml', 'Index.html'));
    expect(codes(r.report.errors)).toEqual(['launch_file_missing']);
    expect(r.report.errors[0]!.message).toMatch(/index\.html.*"r1".*"i1".*Index\.html/);
    expect(r.report.errors[0]!.path).toBe("/manifest[@identifier='m12']/resources/resource[@identifier='r1']");
  });
  it('tincan', () => expect(errorsOf('tincan', tincan(), files('tincan.xml'))).toEqual(['launch_file_missing']));
  it('cmi5', () => expect(errorsOf('cmi5', cmi5(), files('cmi5.xml'))).toEqual(['launch_file_missing']));
  it('a missing non-launch <file> is only a warning', () => {
    const resources = '<resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/><file href="img/logo.png"/></resource>';
    const r = parsePackage('scorm', scorm12({ resources }), ok12);
    expect(codes(r.report.errors)).toEqual([]);
    expect(codes(r.report.warnings)).toEqual(['file_missing']);
  });
});

describe('no launchable item', () => {
  it('SCORM: items reference no resource with an href', () => {
    const resources = '<resource identifier="r1" type="webcontent" adlcp:scormtype="asset"/>';
    expect(errorsOf('scorm', scorm12({ resources }))).toContain('no_launchable_item');
  });
  it('tincan: no activity has <launch>', () => {
    expect(errorsOf('tincan', tincan('<activity id="http://x.org/a"><name>A</name></activity>'))).toEqual(['no_launchable_item']);
  });
  it('cmi5: no AU', () => {
    expect(errorsOf('cmi5', cmi5(' '))).toEqual(['no_launchable_item']);
  });
});

describe('identifier references that do not resolve', () => {
  it.each([
    ['item identifierref', 'scorm', scorm12({ items: '<item identifier="i1" identifierref="nope"><title>L</title></item><item identifier="i2" identifierref="r1"><title>M</title></item>' })],
    ['organizations default', 'scorm', scorm12({ orgAttrs: 'default="missing"' })],
    ['resource dependency', 'scorm', scorm12({ resources: '<resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html"><dependency identifierref="common"/></resource>' })],
    ['sequencing IDRef', 'scorm', scorm2004({ items: '<item identifier="i1" identifierref="r1"><title>L</title><imsss:sequencing IDRef="ghost"/></item>' })],
    ['ruleCondition referencedObjective', 'scorm', scorm2004({ items: `<item identifier="i1" identifierref="r1"><title>L</title><imsss:sequencing><imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition referencedObjective="obj9" condition="satisfied"/></imsss:ruleConditions><imsss:ruleAction action="skip"/></imsss:preConditionRule></imsss:sequencingRules></imsss:sequencing></item>` })],
    ['cmi5 objectiveReference', 'cmi5', cmi5().replace('<url>', '<objectives><objectiveReference idref="https://example.com/obj/none"/></objectives><url>')],
  ])('%s', (_label, family, xml) => {
    const r = parsePackage(family as 'scorm', xml, files('imsmanifest.xml', 'index.html', 'au1/index.html'));
    expect(codes(r.report.errors)).toEqual(['unresolved_reference']);
    expect(r.report.errors[0]!.path).toMatch(/^\//);
  });
});

describe('hrefs outside the package', () => {
  it('refuses a resource href that climbs out', () => {
    const resources = '<resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="../../etc/passwd"/>';
    expect(errorsOf('scorm', scorm12({ resources }))).toEqual(expect.arrayContaining(['href_outside_package', 'no_launchable_item']));
  });
});

describe('warnings that still import', () => {
  it('duplicate item and resource identifiers, missing scormType, missing title', () => {
    const items = '<item identifier="i1" identifierref="r1"><title>L</title></item><item identifier="i1" identifierref="r1"/>';
    const resources = '<resource identifier="r1" type="webcontent" href="index.html"/><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html"/>';
    const r = parsePackage('scorm', scorm12({ items, resources }), ok12);
    expect(codes(r.report.errors)).toEqual([]);
    expect(codes(r.report.warnings).sort()).toEqual(['duplicate_identifier', 'duplicate_identifier', 'required_attribute_missing', 'required_element_missing']);
    expect(r.model).toBeDefined();
  });
});

describe('analysePackage', () => {
  it('detects, reads and parses in one call, carrying detection warnings', () => {
    const texts: Record<string, string> = { 'cmi5.xml': cmi5(), 'tincan.xml': tincan() };
    const r = analysePackage(files('cmi5.xml', 'tincan.xml', 'au1/index.html', 'index.html'), (p) => texts[p]!);
    expect(r.model?.format).toBe('cmi5');
    expect(codes(r.report.warnings)).toEqual(['manifest_ignored']);
  });
  it('turns a detection refusal into a report error', () => {
    const r = analysePackage(files('index.html'), () => '');
    expect(r.model).toBeUndefined();
    expect(codes(r.report.errors)).toEqual(['no_manifest']);
  });
});
