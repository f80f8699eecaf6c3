/**
 * The pure parts behind the player's issue-17 behaviour: what follows a SCO that ended itself, the
 * words a learner reads, the table of contents built from the manifest, the player page's
 * frame-src, and the best finished attempt.
 */
import { endsSession, requestAfterSelfEnd, unavailableMessage } from '../../../player/after-end';
import { bestFinishedAttempt } from '../../../src/launch/attempt-summary';
import { tocOf, tocUnits } from '../../../src/launch/toc';
import type { CourseModel } from '../../../src/packages/course-model';
import { parsePackage } from '../../../src/packages/manifest';
import type { Attempt } from '../../../src/store/ports';
import { externalUnitOrigins, playerPageCsp } from '../../../src/web/player/csp';

describe('after a SCO ended itself', () => {
  it.each([
    ['_none_', '', { request: 'auto' }],
    ['_none_', 'normal', { request: 'auto' }],
    ['_none_', 'suspend', { request: 'suspendAll' }],
    ['_none_', 'logout', { request: 'suspendAll' }],
    ['_none_', 'time-out', { request: 'suspendAll' }],
    ['exit', '', { request: 'auto' }],
    ['continue', 'suspend', { request: 'continue' }],
    ['previous', '', { request: 'previous' }],
    ['exitAll', '', { request: 'exitAll' }],
    ['suspendAll', '', { request: 'suspendAll' }],
    ['{target=sco3}choice', '', { request: 'choice', target: 'sco3' }],
    ['{target=sco2}jump', '', { request: 'jump', target: 'sco2' }],
  ])('nav request %s, exit %j → %j', (nav, exit, want) => {
    expect(requestAfterSelfEnd(nav, exit)).toEqual(want);
  });

  it('ends the session for exitAll, suspendAll and abandonAll only', () => {
    expect(['exitAll', 'suspendAll', 'abandonAll'].every(endsSession)).toBe(true);
    expect(['continue', 'previous', 'choice', 'exit', 'abandon', 'auto'].some(endsSession)).toBe(false);
  });

  it('explains refused navigation in words, without the request name, and says how to go on once the SCO ended', () => {
    for (const r of ['continue', 'previous', 'choice', 'jump', 'something']) {
      const running = unavailableMessage(r, false);
      const ended = unavailableMessage(r, true);
      expect(running).not.toMatch(/navigation|\(|continue|previous|choice|jump/);
      expect(ended.startsWith(running)).toBe(true);
      expect(ended).toMatch(/choose a part from the contents, or press Exit/);
    }
  });
});

const NS12 = 'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"';

function model(kind: 'scorm' | 'cmi5', xml: string, files: string[]): CourseModel {
  const { model: m, report } = parsePackage(kind, xml, new Set(files));
  expect(report.errors).toEqual([]);
  return m as CourseModel;
}

describe('table of contents', () => {
  it('keeps the SCORM organization tree: sections with their SCOs, empty sections dropped', () => {
    const m = model('scorm', `<?xml version="1.0"?><manifest identifier="m" ${NS12}>
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>C</title>
    <item identifier="s1"><title>Module 1</title>
      <item identifier="a" identifierref="r"><title>Intro</title></item>
      <item identifier="s2"><title>Deeper</title><item identifier="b" identifierref="r"><title>Detail</title></item></item>
    </item>
    <item identifier="empty"><title>Nothing here</title></item>
    <item identifier="c" identifierref="r"><title>End</title></item>
  </organization></organizations>
  <resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="x.html"><file href="x.html"/></resource></resources>
</manifest>`, ['imsmanifest.xml', 'x.html']);
    expect(tocOf(m)).toEqual([
      { title: 'Module 1', children: [
        { title: 'Intro', unitId: 'a', children: [] },
        { title: 'Deeper', children: [{ title: 'Detail', unitId: 'b', children: [] }] },
      ] },
      { title: 'End', unitId: 'c', children: [] },
    ]);
    expect(tocUnits(tocOf(m))).toEqual(['a', 'b', 'c']);
  });

  it('shows cmi5 blocks as sections, AUs in course order', () => {
    const m = model('cmi5', `<?xml version="1.0"?><courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="http://x.test/c"><title><langstring lang="en">C</langstring></title><description><langstring lang="en">d</langstring></description></course>
  <au id="http://x.test/a1"><title><langstring lang="en">First</langstring></title><description><langstring lang="en">d</langstring></description><url>a.html</url></au>
  <block id="http://x.test/b"><title><langstring lang="en">Unit</langstring></title><description><langstring lang="en">d</langstring></description>
    <au id="http://x.test/a2"><title><langstring lang="en">Second</langstring></title><description><langstring lang="en">d</langstring></description><url>https://au.example.org/p/a2.html</url></au>
  </block>
</courseStructure>`, ['cmi5.xml', 'a.html']);
    expect(tocOf(m)).toEqual([
      { title: 'First', unitId: 'http://x.test/a1', children: [] },
      { title: 'Unit', children: [{ title: 'Second', unitId: 'http://x.test/a2', children: [] }] },
    ]);
    // The player page may frame the content origin, this origin and the course's own external origins only.
    expect(externalUnitOrigins(m)).toEqual(['https://au.example.org']);
    const csp = playerPageCsp('http://content.test:8081', m);
    expect(/frame-src ([^;]*)/.exec(csp)?.[1]).toBe("'self' http://content.test:8081 https://au.example.org");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});

describe('best finished attempt', () => {
  const a = (number: number, completion: Attempt['completion'], success: Attempt['success'], scoreScaled?: number): Attempt => ({
    id: `a${number}`, registrationId: 'r', number, completion, success, ...(scoreScaled !== undefined ? { scoreScaled } : {}),
    totalSeconds: 0, suspended: false, createdAt: '', updatedAt: '',
  });
  it('prefers passed, then completed, then failed, then the higher score, then the later attempt; ignores unfinished ones', () => {
    expect(bestFinishedAttempt([a(1, 'incomplete', 'unknown')])).toBeUndefined();
    expect(bestFinishedAttempt([a(1, 'completed', 'failed', 0.4), a(2, 'completed', 'unknown'), a(3, 'incomplete', 'unknown')])?.number).toBe(2);
    expect(bestFinishedAttempt([a(1, 'completed', 'passed', 0.9), a(2, 'completed', 'passed', 0.8)])?.number).toBe(1);
    expect(bestFinishedAttempt([a(1, 'completed', 'passed', 0.8), a(2, 'completed', 'passed', 0.8)])?.number).toBe(2);
    expect(bestFinishedAttempt([a(1, 'completed', 'unknown'), a(2, 'incomplete', 'failed', 0.9)])?.number).toBe(1);
  });
});
