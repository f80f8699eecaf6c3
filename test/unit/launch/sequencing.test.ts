import { navigator, type SeqActivity, type SeqStatus } from '../../../player/sequencing';
import type { ScormCourseModel } from '../../../src/packages/course-model';
import { parsePackage, toScormAgainSequencing } from '../../../src/packages/manifest';
import { twoScoManifest } from '../../fixtures/scorm-packages';

function tree(): SeqActivity {
  const { model, report } = parsePackage('scorm', twoScoManifest(), new Set(['imsmanifest.xml', 'sco/index.html']));
  expect(report.errors).toEqual([]);
  return toScormAgainSequencing(model as ScormCourseModel).activityTree as unknown as SeqActivity;
}

describe('sequencing navigator', () => {
  it('keeps the second SCO disabled until the first SCO satisfies the shared objective', () => {
    const root = tree();
    const none = navigator(root, new Map());
    expect(none.leaves).toEqual(['sco1', 'sco2']);
    expect(none.choiceAllowed('sco1')).toBe(true);
    expect(none.choiceAllowed('sco2')).toBe(false);
    expect(none.next('sco1')).toBeUndefined();
    const completedOnly = navigator(root, new Map<string, SeqStatus>([['sco1', { completion: 'completed', success: 'unknown' }]]));
    expect(completedOnly.choiceAllowed('sco2')).toBe(false);
    const failed = navigator(root, new Map<string, SeqStatus>([['sco1', { completion: 'completed', success: 'failed' }]]));
    expect(failed.next('sco1')).toBeUndefined();
    const passed = navigator(root, new Map<string, SeqStatus>([['sco1', { completion: 'completed', success: 'passed' }]]));
    expect(passed.choiceAllowed('sco2')).toBe(true);
    expect(passed.next('sco1')).toBe('sco2');
    expect(passed.previous('sco2')).toBe('sco1');
    expect(passed.next('sco2')).toBeUndefined();
  });

  it('honours flow, forwardOnly, choice and skip', () => {
    const root: SeqActivity = {
      id: 'root', title: 'r', sequencingControls: { choice: false, flow: true, forwardOnly: true },
      children: [
        { id: 'a', title: 'a' },
        { id: 'b', title: 'b', sequencingRules: { preConditionRules: [{ action: 'skip', conditions: [{ condition: 'always' }] }] } },
        { id: 'c', title: 'c' },
      ],
    };
    const n = navigator(root, new Map());
    expect(n.choiceAllowed('c')).toBe(false);
    expect(n.next('a')).toBe('c');
    expect(n.previous('c')).toBeUndefined();
  });
});
