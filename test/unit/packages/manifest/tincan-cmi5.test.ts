import type { Cmi5Au, Cmi5Block, Cmi5CourseModel, TinCanCourseModel } from '../../../../src/packages/course-model';
import { parsePackage } from '../../../../src/packages/manifest';
import { cmi5, codes, files, tincan } from './fixtures';

describe('tincan.xml', () => {
  it('parses activities, language maps and the main (launchable) activity', () => {
    const r = parsePackage('tincan', tincan(), files('tincan.xml', 'index.html'));
    expect(r.report).toEqual({ errors: [], warnings: [] });
    const m = r.model as TinCanCourseModel;
    expect(m).toMatchObject({ format: 'tincan', title: 'Golf Example', description: 'Learn golf.', language: 'en-US', mainActivityId: 'http://example.com/course/golf' });
    expect(m.activities[0]).toEqual({
      id: 'http://example.com/course/golf',
      type: 'http://adlnet.gov/expapi/activities/course',
      name: { 'en-US': 'Golf Example', fr: 'Exemple de golf' },
      description: { 'en-US': 'Learn golf.' },
      launch: 'index.html',
      launchLang: 'en-us',
    });
    expect(m.activities[1]).toMatchObject({ id: 'http://example.com/course/golf/q1', description: {} });
    expect(m.activities[1]!.launch).toBeUndefined();
    expect(m.launchables).toEqual([{ id: 'http://example.com/course/golf', title: 'Golf Example', kind: 'activity', launchUrl: 'index.html', external: false }]);
  });

  it('warns on invalid IRIs and duplicate ids but imports', () => {
    const r = parsePackage('tincan', tincan(`
      <activity id="golf-course" type="course"><name>Golf</name><launch>index.html</launch></activity>
      <activity id="golf-course"><name>Again</name></activity>`), files('tincan.xml', 'index.html'));
    expect(codes(r.report.errors)).toEqual([]);
    expect(codes(r.report.warnings)).toEqual(['invalid_iri', 'invalid_iri', 'invalid_iri', 'duplicate_identifier']);
    expect(r.report.warnings[0]!.message).toContain('golf-course');
    expect((r.model as TinCanCourseModel).activities[0]!.name).toEqual({ und: 'Golf' });
  });
});

describe('cmi5.xml', () => {
  it('parses a minimal course with the spec defaults', () => {
    const r = parsePackage('cmi5', cmi5(), files('cmi5.xml', 'au1/index.html'));
    expect(r.report).toEqual({ errors: [], warnings: [] });
    const m = r.model as Cmi5CourseModel;
    expect(m).toMatchObject({ format: 'cmi5', title: 'cmi5 course', description: 'A course.', language: 'en-US', course: { id: 'https://example.com/courses/c1' } });
    expect(m.children).toEqual([{
      kind: 'au', id: 'https://example.com/courses/c1/au1', title: { 'en-US': 'AU 1' }, description: { 'en-US': 'First AU' },
      objectives: [], url: 'au1/index.html', moveOn: 'NotApplicable', launchMethod: 'AnyWindow',
    }]);
  });

  it('reads objective references written as the XSD has them (<objective idref>) and trims ids (cmi5 13.1)', () => {
    const objectives = `<objectives><objective id=" https://example.com/obj/a "><title><langstring>A</langstring></title><description><langstring>A</langstring></description></objective></objectives>`;
    const body = `<au id="  https://example.com/au/1\n">
      <title><langstring>AU</langstring></title><description><langstring>d</langstring></description>
      <objectives><objective idref="https://example.com/obj/a"/></objectives><url> a.html </url></au>`;
    const r = parsePackage('cmi5', cmi5(body, objectives), files('cmi5.xml', 'a.html'));
    expect(r.report).toEqual({ errors: [], warnings: [] });
    expect((r.model as Cmi5CourseModel).children[0]).toMatchObject({ id: 'https://example.com/au/1', objectives: ['https://example.com/obj/a'], url: 'a.html' });
  });

  it('parses nested blocks, AU attributes and objective references', () => {
    const objectives = `<objectives>
      <objective id="https://example.com/obj/safety"><title><langstring lang="en">Safety</langstring></title><description><langstring lang="en">Be safe</langstring></description></objective>
      <objective id="https://example.com/obj/speed"><title><langstring lang="en">Speed</langstring></title><description><langstring lang="en">Be quick</langstring></description></objective>
    </objectives>`;
    const au = (n: number, attrs: string, extra = ''): string => `
      <au id="https://example.com/au/${n}" ${attrs}>
        <title><langstring lang="en">AU ${n}</langstring></title><description><langstring lang="en">d</langstring></description>
        ${extra}<url>${n === 3 ? 'https://cdn.example.com/au3/' : `au${n}/index.html?mode=x`}</url>
      </au>`;
    const body = `
      <block id="https://example.com/block/outer">
        <title><langstring lang="en">Outer</langstring></title><description><langstring lang="en">d</langstring></description>
        <objectives><objectiveReference idref="https://example.com/obj/safety"/></objectives>
        ${au(1, 'moveOn="CompletedAndPassed" masteryScore="0.8" launchMethod="OwnWindow" activityType="http://adlnet.gov/expapi/activities/lesson"', `
          <objectives><objectiveReference idref="https://example.com/obj/speed"/></objectives>`)}
        <block id="https://example.com/block/inner">
          <title><langstring lang="en">Inner</langstring></title><description><langstring lang="en">d</langstring></description>
          ${au(2, 'moveOn="Completed"', '')}
        </block>
      </block>
      ${au(3, '', '')}`.replace('<url>au1/index.html?mode=x</url>', '<url>au1/index.html?mode=x</url><launchParameters>{"level":2}</launchParameters><entitlementKey>key-1</entitlementKey>');
    const r = parsePackage('cmi5', cmi5(body, objectives), files('cmi5.xml', 'au1/index.html', 'au2/index.html'));
    expect(r.report).toEqual({ errors: [], warnings: [] });
    const m = r.model as Cmi5CourseModel;
    expect(m.objectives.map((o) => o.id)).toEqual(['https://example.com/obj/safety', 'https://example.com/obj/speed']);
    const outer = m.children[0] as Cmi5Block;
    expect(outer).toMatchObject({ kind: 'block', id: 'https://example.com/block/outer', objectives: ['https://example.com/obj/safety'] });
    expect(outer.children[0]).toEqual({
      kind: 'au', id: 'https://example.com/au/1', title: { en: 'AU 1' }, description: { en: 'd' },
      objectives: ['https://example.com/obj/speed'], url: 'au1/index.html?mode=x', moveOn: 'CompletedAndPassed', masteryScore: 0.8,
      launchMethod: 'OwnWindow', launchParameters: '{"level":2}', entitlementKey: 'key-1', activityType: 'http://adlnet.gov/expapi/activities/lesson',
    });
    const inner = outer.children[1] as Cmi5Block;
    expect((inner.children[0] as Cmi5Au).moveOn).toBe('Completed');
    expect(m.children[1]).toMatchObject({ kind: 'au', url: 'https://cdn.example.com/au3/' });
    expect(m.launchables.map((l) => [l.id, l.external])).toEqual([
      ['https://example.com/au/1', false], ['https://example.com/au/2', false], ['https://example.com/au/3', true],
    ]);
  });

  it('warns on unknown moveOn/launchMethod and masteryScore out of range; refuses a non-IRI id (cmi5 3.0)', () => {
    const body = `<au id="au-1" moveOn="Finished" launchMethod="Popup" masteryScore="80">
      <title><langstring>AU</langstring></title><description><langstring>d</langstring></description><url>a.html</url></au>`;
    const r = parsePackage('cmi5', cmi5(body), files('cmi5.xml', 'a.html'));
    expect(codes(r.report.errors)).toEqual(['invalid_iri']);
    expect(codes(r.report.warnings).sort()).toEqual(['invalid_value', 'unknown_value', 'unknown_value']);
    expect((r.model as Cmi5CourseModel).children[0]).toMatchObject({ moveOn: 'NotApplicable', launchMethod: 'AnyWindow' });
    expect(r.report.warnings.find((w) => w.code === 'unknown_value')!.message).toContain('moveOn="Finished"');
  });
});
