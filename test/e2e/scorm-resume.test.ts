/**
 * Issue 17 item 16, SCORM: Resume reopens the SCO the learner left — SCORM 1.2 the SCO launched
 * last (left by Exit, or by closing the tab), SCORM 2004 the SCO the course was suspended at
 * (resumeAll). The cmi5 case (the AU launched last) is in cmi5-multi-au.test.ts.
 */
import type { Frame, Page } from 'playwright-core';
import { forcedSequential2004Course, parts, scorm12Course } from '../fixtures/scorm-courses';
import { closePage, describeBrowser } from './browser';
import { poll, sco, scoFrame, useScormPlayer } from './player-helpers';

describeBrowser('Resume where the learner left (issue 17 item 16, SCORM)', () => {
  const s = useScormPlayer();

  /** Exit, then Resume from the course page. */
  async function exitAndResume(page: Page, courseId: string): Promise<void> {
    await page.getByRole('button', { name: 'Exit' }).click();
    await page.waitForURL(new RegExp(`/courses/${courseId}$`));
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.waitForURL(/\/play\//);
  }

  /** From SCO 1, each SCO completes with `result(n)` and the learner presses Next, up to SCO `last`. */
  async function nextUntil(page: Page, last: number, result: (n: number) => unknown[]): Promise<Frame> {
    let f = await scoFrame(page, 'sco1');
    for (let n = 1; n < last; n++) {
      await sco(f, 'complete', ...result(n));
      await poll(() => page.locator('#nav-continue').isDisabled(), false);
      await page.locator('#nav-continue').click();
      f = await scoFrame(page, `sco${n + 1}`);
    }
    return f;
  }

  it('SCORM 1.2, 18 SCOs: left at the 4th by Exit resumes at the 4th; left at the 6th by closing the tab resumes at the 6th', async () => {
    const courseId = await s.p.h.publish(scorm12Course('Eighteen parts', parts(18)));
    const page = await s.p.openCourse(courseId, /^Launch$/);
    // The third part is a quiz the learner fails: the course is not over, so Resume stays.
    let f = await nextUntil(page, 4, (n) => (n === 3 ? ['failed', 30] : ['completed']));
    await sco(f, 'location', 'page-2');
    await exitAndResume(page, courseId);
    f = await scoFrame(page, 'sco4');
    expect(await sco(f, 'entry')).toBe('resume');

    await page.getByRole('button', { name: 'Part 6', exact: true }).click();
    await scoFrame(page, 'sco6');
    await closePage(page, { runBeforeUnload: true });
    const attemptId = (await s.p.standing(courseId)).attempts[0].id as string;
    await poll(async () => (await s.p.h.store.launch.findAttempt(attemptId))?.lastScoId, 'sco6');
    const again = await s.p.openCourse(courseId, /^Resume$/);
    await scoFrame(again, 'sco6');
    await closePage(again);
  }, 120_000);

  it('SCORM 2004, forced sequential: suspended at the 4th SCO resumes at the 4th', async () => {
    const courseId = await s.p.h.publish(forcedSequential2004Course('Five parts', 5));
    const page = await s.p.openCourse(courseId, /^Launch$/);
    let f = await nextUntil(page, 4, () => ['passed', 100]);
    await sco(f, 'location', 'slide-9');
    await exitAndResume(page, courseId);
    f = await scoFrame(page, 'sco4');
    expect(await sco(f, 'entry')).toBe('resume');
    await closePage(page);
  }, 120_000);
});
