/**
 * Issue 17 item 12: after "Start a new attempt", the course page shows the new attempt and keeps
 * the best finished result in view (and its API twin says the same).
 */
import { parts, scorm12Course } from '../fixtures/scorm-courses';
import { closePage, describeBrowser } from './browser';
import { sco, scoFrame, useScormPlayer } from './player-helpers';

describeBrowser('course page summary across attempts (issue 17 item 12)', () => {
  const s = useScormPlayer();

  it('shows the new attempt and the best finished result', async () => {
    const courseId = await s.p.h.publish(scorm12Course('Two attempts', parts(1)));
    const page = await s.p.openCourse(courseId, /^Launch$/);
    const first = await scoFrame(page, 'sco1');
    await sco(first, 'complete', 'passed', 90);
    await sco(first, 'end');
    await page.waitForURL(new RegExp(`/courses/${courseId}$`));
    expect(await page.textContent('[data-field="status"]')).toBe('Passed');
    expect(await page.locator('[data-field="best"]').count()).toBe(0);

    await page.getByRole('button', { name: 'Start a new attempt' }).click();
    await page.waitForURL(/\/play\//);
    const second = await scoFrame(page, 'sco1');
    expect(await sco(second, 'entry')).toBe('ab-initio');
    await page.getByRole('button', { name: 'Exit' }).click();
    await page.waitForURL(new RegExp(`/courses/${courseId}$`));
    expect(await page.textContent('[data-field="status"]')).toBe('Not started (attempt 2)');
    expect(await page.textContent('[data-field="best"]')).toBe('Passed · 90 % (attempt 1)');
    expect(await page.getByRole('button', { name: 'Resume' }).count()).toBe(1);

    const me = await s.p.standing(courseId);
    expect(me.attempts).toHaveLength(2);
    expect(me.best).toMatchObject({ number: 1, success: 'passed', scoreScaled: 0.9 });
    await closePage(page);
  }, 60_000);
});
