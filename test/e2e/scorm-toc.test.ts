/**
 * Issue 17 item 6: a SCORM 1.2 course with a nested organization shows its tree in the player —
 * section titles with their SCOs below, each SCO's status ("Not started" for SCOs never
 * initialized), and long titles wrapped inside the contents column.
 */
import type { Page } from 'playwright-core';
import { scorm12Course } from '../fixtures/scorm-courses';
import { closePage, describeBrowser } from './browser';
import { poll, sco, scoFrame, useScormPlayer } from './player-helpers';

const LONG = 'A rather long lesson title that goes on and on, as titles exported from authoring tools often do, to see that it wraps';

describeBrowser('SCORM 1.2 organization tree in the player (issue 17 item 6)', () => {
  const s = useScormPlayer();

  /** The section titles above a unit's button, outermost first. */
  const sectionsOf = (page: Page, title: string): Promise<string[]> => page.getByRole('button', { name: title, exact: true }).evaluate((b) => {
    const out: string[] = [];
    for (let li = b.closest('li')?.parentElement?.closest('li'); li; li = li.parentElement?.closest('li')) {
      out.unshift(li.querySelector(':scope > .toc-section-title')?.textContent ?? '?');
    }
    return out;
  });
  const statusOf = (page: Page, title: string): Promise<string> =>
    page.getByRole('button', { name: title, exact: true }).evaluate((b) => b.parentElement?.querySelector('.unit-status')?.textContent?.trim() ?? '');

  it('shows sections, per-SCO status and wraps long titles', async () => {
    const courseId = await s.p.h.publish(scorm12Course('Nested course', [
      { title: 'Module 1: Getting started', children: [{ id: 'sco1', title: 'Welcome' }, { id: 'sco2', title: 'How this course works' }] },
      { title: 'Module 2: Practice', children: [
        { title: 'Lesson group A', children: [{ id: 'sco3', title: LONG }] },
        { id: 'sco4', title: 'Quiz' },
      ] },
      { id: 'sco5', title: 'Summary' },
    ]));
    const page = await s.p.openCourse(courseId, /^Launch$/);
    await page.setViewportSize({ width: 1100, height: 800 });
    const sco1 = await scoFrame(page, 'sco1');

    expect(await sectionsOf(page, 'Welcome')).toEqual(['Module 1: Getting started']);
    expect(await sectionsOf(page, 'How this course works')).toEqual(['Module 1: Getting started']);
    expect(await sectionsOf(page, LONG)).toEqual(['Module 2: Practice', 'Lesson group A']);
    expect(await sectionsOf(page, 'Quiz')).toEqual(['Module 2: Practice']);
    expect(await sectionsOf(page, 'Summary')).toEqual([]);

    // Never initialized: not started (the course page says the same of the course).
    for (const t of ['How this course works', LONG, 'Quiz', 'Summary']) await poll(() => statusOf(page, t), 'Not started');
    await sco(sco1, 'complete', 'completed');
    await poll(() => statusOf(page, 'Welcome'), 'Completed');
    await page.getByRole('button', { name: 'Quiz', exact: true }).click();
    const quiz = await scoFrame(page, 'sco4');
    await sco(quiz, 'complete', 'failed', 40);
    await poll(() => statusOf(page, 'Quiz'), 'Failed');
    expect(await statusOf(page, 'How this course works')).toBe('Not started');

    // The long title wraps inside the contents column: several lines, nothing sticking out.
    const box = await page.evaluate((title) => {
      const nav = document.querySelector('.player-toc')!;
      const b = Array.from(nav.querySelectorAll('button')).find((x) => x.textContent === title)!;
      const r = b.getBoundingClientRect();
      const n = nav.getBoundingClientRect();
      return { overflow: nav.scrollWidth > nav.clientWidth, inside: r.left >= n.left && r.right <= n.right + 0.5, lines: Math.round(r.height / parseFloat(getComputedStyle(b).lineHeight)) };
    }, LONG);
    expect(box).toMatchObject({ overflow: false, inside: true });
    expect(box.lines).toBeGreaterThan(1);
    if (process.env['E2E_SHOTS']) await page.screenshot({ path: `${process.env['E2E_SHOTS']}/toc.png` });
    await closePage(page);
  }, 90_000);
});
