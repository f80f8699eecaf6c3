/**
 * Issue 17, navigation and flow in the SCORM player (Chromium, SCOs that behave like authoring
 * tools' output, test/fixtures/scorm-courses.ts):
 * 1. a forced-sequential SCORM 2004 course opens the next SCO (Next and the table of contents) as
 *    soon as the running SCO commits its result or asks for continue — no Exit and Resume;
 * 2. a SCO that ends itself goes on as the course says (the next SCO), or the learner is back on
 *    the course page with the result;
 * 7. a course without sequencing rules whose SCO asks for continue explains what to do in words;
 * 8. a SCO that writes its session time in its own unload handler keeps it when the player moves on
 *    (22 s of use, on the SCO's own clock, show as 22 s — not 0 s).
 */
import type { Page } from 'playwright-core';
import { forcedSequential2004Course, parts, scorm12Course, scorm2004PlainCourse } from '../fixtures/scorm-courses';
import { unavailableMessage } from '../../player/after-end';
import { closePage, describeBrowser } from './browser';
import { poll, sco, scoFrame, useScormPlayer } from './player-helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describeBrowser('SCORM player navigation (issue 17)', () => {
  const s = useScormPlayer();

  const part = (page: Page, n: number) => page.getByRole('button', { name: `Part ${n}`, exact: true });
  const disabled = (page: Page, n: number) => part(page, n).isDisabled();
  const nextDisabled = (page: Page) => page.locator('#nav-continue').isDisabled();
  const stored = async (courseId: string, scoId: string): Promise<Json> => {
    const attemptId = (await s.p.standing(courseId)).attempts[0].id as string;
    return ((await s.p.h.store.launch.findRuntime(attemptId, scoId))[0]?.cmi ?? {}) as Json;
  };

  it('item 1: Next and the next TOC entry open after the SCO commits its result, and when it asks for continue', async () => {
    const courseId = await s.p.h.publish(forcedSequential2004Course('Forced sequential', 5));
    const page = await s.p.openCourse(courseId, /^Launch$/);
    const sco1 = await scoFrame(page, 'sco1');
    await poll(() => disabled(page, 2), true);
    expect(await nextDisabled(page)).toBe(true);
    for (const n of [3, 4, 5]) expect(await disabled(page, n)).toBe(true);

    // The SCO records its result and commits; it keeps running.
    expect(await sco(sco1, 'complete', 'passed', 100)).toBe('true');
    await poll(() => nextDisabled(page), false);
    await poll(() => disabled(page, 2), false);
    expect(await disabled(page, 3)).toBe(true);

    await page.locator('#nav-continue').click();
    const sco2 = await scoFrame(page, 'sco2');
    await poll(() => disabled(page, 3), true);
    expect(await nextDisabled(page)).toBe(true);
    // Passed, not committed: the request for continue is when the player learns of it.
    expect(await sco(sco2, 'passQuietly')).toBe('true');
    expect(await sco(sco2, 'request', 'continue')).toBe('true');
    await poll(() => nextDisabled(page), false);
    await poll(() => disabled(page, 3), false);
    await part(page, 3).click();
    await scoFrame(page, 'sco3');
    expect((await stored(courseId, 'sco2')).cmi).toMatchObject({ success_status: 'passed' });
    await closePage(page);
  }, 90_000);

  it('item 2: a SCO that finishes itself is followed by the next SCO; the last one returns to the course page with the result', async () => {
    const courseId = await s.p.h.publish(scorm12Course('Self-ending SCOs', parts(2)));
    const page = await s.p.openCourse(courseId, /^Launch$/);
    const sco1 = await scoFrame(page, 'sco1');
    await sco(sco1, 'complete', 'completed');
    expect(await sco(sco1, 'end')).toBe('true,true,true');
    const sco2 = await scoFrame(page, 'sco2');
    expect(await sco(sco2, 'entry')).toBe('ab-initio');
    await sco(sco2, 'complete', 'passed', 80);
    await sco(sco2, 'end');
    await page.waitForURL(new RegExp(`/courses/${courseId}$`), { timeout: 15_000 });
    expect(await page.textContent('[data-field="status"]')).toBe('Passed');
    expect(await page.textContent('[data-field="score"]')).toBe('80 %');
    await closePage(page);
  }, 60_000);

  it('item 2: a SCORM 2004 SCO that asks for exitAll and terminates returns the learner to the course page with the result', async () => {
    const courseId = await s.p.h.publish(scorm2004PlainCourse('exitAll course', parts(1)));
    const page = await s.p.openCourse(courseId, /^Launch$/);
    const sco1 = await scoFrame(page, 'sco1');
    await sco(sco1, 'complete', 'passed', 90);
    await sco(sco1, 'request', 'exitAll');
    await sco(sco1, 'end');
    await page.waitForURL(new RegExp(`/courses/${courseId}$`), { timeout: 15_000 });
    expect(await page.textContent('[data-field="status"]')).toBe('Passed');
    expect(await page.textContent('[data-field="score"]')).toBe('90 %');
    await closePage(page);
  }, 60_000);

  it('item 7: continue in a course without sequencing rules is explained in words, and the learner goes on from the contents', async () => {
    const courseId = await s.p.h.publish(scorm2004PlainCourse('No sequencing rules', parts(2)));
    const page = await s.p.openCourse(courseId, /^Launch$/);
    const sco1 = await scoFrame(page, 'sco1');
    await sco(sco1, 'complete', 'completed');
    await sco(sco1, 'request', 'continue');
    await sco(sco1, 'end');
    const expected = unavailableMessage('continue', true);
    await poll(async () => (await page.textContent('#player-status'))?.trim(), expected);
    expect(expected).not.toMatch(/navigation|\(continue\)/);
    expect(page.url()).toContain('/play/');
    await part(page, 2).click();
    await scoFrame(page, 'sco2');
    await closePage(page);

    // With nothing else to choose, the course has simply ended: back to the course page.
    const single = await s.p.h.publish(scorm2004PlainCourse('One SCO, no rules', parts(1)));
    const page2 = await s.p.openCourse(single, /^Launch$/);
    const only = await scoFrame(page2, 'sco1');
    await sco(only, 'complete', 'passed', 70);
    await sco(only, 'request', 'continue');
    await sco(only, 'end');
    await page2.waitForURL(new RegExp(`/courses/${single}$`), { timeout: 15_000 });
    expect(await page2.textContent('[data-field="status"]')).toBe('Passed');
    await closePage(page2);
  }, 90_000);

  it('item 8: session time written by the SCO in its unload handler survives Next and Exit (22 s + 5 s of use)', async () => {
    const courseId = await s.p.h.publish(scorm12Course('Unload time', parts(2)));
    const page = await s.p.openCourse(courseId, /^Launch$/);
    const sco1 = await scoFrame(page, 'sco1');
    await sco(sco1, 'pretendElapsed', 22_000);
    await poll(() => page.locator('#nav-continue').isDisabled(), false);
    await page.locator('#nav-continue').click();
    await scoFrame(page, 'sco2');
    const first = (await stored(courseId, 'sco1')).cmi;
    expect(first.core).toMatchObject({ session_time: '00:00:22', total_time: '00:00:22' });

    const sco2 = await scoFrame(page, 'sco2');
    await sco(sco2, 'pretendElapsed', 5_000);
    await page.getByRole('button', { name: 'Exit' }).click();
    await page.waitForURL(new RegExp(`/courses/${courseId}$`));
    const second = (await stored(courseId, 'sco2')).cmi;
    expect(second.core).toMatchObject({ session_time: '00:00:05', exit: 'suspend' });
    expect(await page.textContent('[data-field="time"]')).toBe('27 s');
    await closePage(page);
  }, 60_000);
});
