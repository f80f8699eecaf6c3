/**
 * Issue 17 item 16, SCORM: Resume reopens the SCO the learner left — SCORM 1.2 the SCO launched
 * last (left by Exit, or by closing the tab), SCORM 2004 the SCO the course was suspended at
 * (resumeAll). The cmi5 case (the AU launched last) is in cmi5-multi-au.test.ts.
 */
import { forcedSequential2004Course, parts, scorm12Course } from '../fixtures/scorm-courses';
import { describeBrowser } from './browser';
import { poll, sco, scoFrame, startScormPlayer, type ScormPlayer } from './player-helpers';

describeBrowser('Resume where the learner left (issue 17 item 16, SCORM)', () => {
  let p: ScormPlayer;
  beforeAll(async () => {
    p = await startScormPlayer();
  }, 60_000);
  afterAll(async () => {
    await p?.close();
  });

  it('SCORM 1.2, 18 SCOs: left at the 4th by Exit resumes at the 4th; left at the 6th by closing the tab resumes at the 6th', async () => {
    const courseId = await p.h.publish(scorm12Course('Eighteen parts', parts(18)));
    const page = await p.openCourse(courseId, /^Launch$/);
    let f = await scoFrame(page, 'sco1');
    for (const n of [2, 3, 4]) {
      // The third part is a quiz the learner fails: the course is not over, so Resume stays.
      if (n === 4) await sco(f, 'complete', 'failed', 30);
      else await sco(f, 'complete', 'completed');
      await poll(() => page.locator('#nav-continue').isDisabled(), false);
      await page.locator('#nav-continue').click();
      f = await scoFrame(page, `sco${n}`);
    }
    await sco(f, 'location', 'page-2');
    await page.getByRole('button', { name: 'Exit' }).click();
    await page.waitForURL(new RegExp(`/courses/${courseId}$`));
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.waitForURL(/\/play\//);
    f = await scoFrame(page, 'sco4');
    expect(await sco(f, 'entry')).toBe('resume');

    await page.getByRole('button', { name: 'Part 6', exact: true }).click();
    await scoFrame(page, 'sco6');
    await page.close({ runBeforeUnload: true });
    const attemptId = (await p.standing(courseId)).attempts[0].id as string;
    await poll(async () => (await p.h.store.launch.findAttempt(attemptId))?.lastScoId, 'sco6');
    const again = await p.openCourse(courseId, /^Resume$/);
    await scoFrame(again, 'sco6');
    await again.close();
  }, 120_000);

  it('SCORM 2004, forced sequential: suspended at the 4th SCO resumes at the 4th', async () => {
    const courseId = await p.h.publish(forcedSequential2004Course('Five parts', 5));
    const page = await p.openCourse(courseId, /^Launch$/);
    let f = await scoFrame(page, 'sco1');
    for (const n of [2, 3, 4]) {
      await sco(f, 'complete', 'passed', 100);
      await poll(() => page.locator('#nav-continue').isDisabled(), false);
      await page.locator('#nav-continue').click();
      f = await scoFrame(page, `sco${n}`);
    }
    await sco(f, 'location', 'slide-9');
    await page.getByRole('button', { name: 'Exit' }).click();
    await page.waitForURL(new RegExp(`/courses/${courseId}$`));
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.waitForURL(/\/play\//);
    f = await scoFrame(page, 'sco4');
    expect(await sco(f, 'entry')).toBe('resume');
    await page.close();
  }, 120_000);
});
