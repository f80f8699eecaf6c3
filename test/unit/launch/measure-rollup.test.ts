/**
 * SCORM 2004 course score = the SN measure rollup of the manifest (issue 17 item 11), not the mean
 * of the SCOs' scores: weights come from each activity's objectiveMeasureWeight.
 */
import type { ScormCourseModel } from '../../../src/packages/course-model';
import { parsePackage } from '../../../src/packages/manifest';
import { courseMeasure } from '../../../src/launch/scorm/measure-rollup';

const NS = 'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"';

/** An item; `weight` writes <imsss:rollupRules objectiveMeasureWeight>, `untracked` deliveryControls tracked="false". */
function item(id: string, o: { weight?: string; untracked?: boolean; children?: string } = {}): string {
  const seq = o.weight !== undefined || o.untracked
    ? `<imsss:sequencing>${o.weight !== undefined ? `<imsss:rollupRules objectiveMeasureWeight="${o.weight}"/>` : ''}${o.untracked ? '<imsss:deliveryControls tracked="false"/>' : ''}</imsss:sequencing>`
    : '';
  return `<item identifier="${id}"${o.children ? '' : ' identifierref="r"'}><title>${id}</title>${o.children ?? ''}${seq}</item>`;
}

function model(items: string): ScormCourseModel {
  const xml = `<manifest identifier="m" ${NS}><metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
    <organizations default="o"><organization identifier="o"><title>T</title>${items}</organization></organizations>
    <resources><resource identifier="r" type="webcontent" adlcp:scormType="sco" href="i.html"/></resources></manifest>`;
  const r = parsePackage('scorm', xml, new Set(['imsmanifest.xml', 'i.html']));
  expect(r.report.errors).toEqual([]);
  return r.model as ScormCourseModel;
}

const scores = (o: Record<string, number>): Map<string, number> => new Map(Object.entries(o));

it('default weights: the mean over the tracked SCOs, an unscored SCO counting its weight (SN RB.1.1)', () => {
  const m = model(item('a') + item('b'));
  expect(courseMeasure(m, scores({ a: 0.8, b: 0.4 }))).toBe(0.6);
  expect(courseMeasure(m, scores({ a: 0.8 }))).toBe(0.4);
  expect(courseMeasure(m, scores({}))).toBeUndefined();
});

it('no score when the manifest weighs every SCO 0 ("no score is rolled up")', () => {
  expect(courseMeasure(model(item('a', { weight: '0' }) + item('b', { weight: '0' })), scores({ a: 0.9, b: 0.5 }))).toBeUndefined();
});

it('only the weighted SCOs count: a post test alone decides the course score', () => {
  const m = model(item('lesson1', { weight: '0' }) + item('lesson2', { weight: '0' }) + item('posttest', { weight: '1' }));
  expect(courseMeasure(m, scores({ lesson1: 0.2, lesson2: 0.3, posttest: 0.85 }))).toBe(0.85);
  expect(courseMeasure(model(item('a', { weight: '0.25' }) + item('b', { weight: '0.75' })), scores({ a: 1, b: 0.2 }))).toBe(0.4);
});

it('rolls up nested clusters and leaves untracked activities out', () => {
  const m = model(item('module', { children: item('a') + item('b'), weight: '1' }) + item('final') + item('survey', { untracked: true }));
  // module = (0.6 + 1.0) / 2 = 0.8; course = (0.8 + 0.4) / 2 = 0.6; the untracked survey counts for nothing.
  expect(courseMeasure(m, scores({ a: 0.6, b: 1, final: 0.4, survey: 0 }))).toBe(0.6);
});
