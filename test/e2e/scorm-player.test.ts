/**
 * The SCORM player end to end in Chromium: course page → player (app origin) → launcher with
 * scorm-again (content origin) → generated SCO. SCOs are closed and relaunched and resume where
 * they were; a two-SCO SCORM 2004 course's sequencing blocks the second SCO until the first is
 * satisfied; the statements and State documents that reached the LRS are checked.
 */
import type { Frame, Page } from 'playwright-core';
import request from 'supertest';
import { scorm12Package, scorm2004Package, scorm2004TwoScoPackage } from '../fixtures/scorm-packages';
import { closePage, describeBrowser } from './browser';
import { launcherFrame, poll, scoFrame, useScormPlayer } from './player-helpers';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describeBrowser('SCORM player in Chromium', () => {
  const s = useScormPlayer();

  async function statements(registration: string): Promise<Json[]> {
    const res = await request(s.p.h.app).get('/xapi/statements').query({ registration, limit: '500' })
      .set('Authorization', s.p.h.lrsAuth).set('X-Experience-API-Version', '2.0.0').expect(200);
    return res.body.statements as Json[];
  }
  const verbsOf = (list: Json[]): string[] => list.map((s) => String(s.verb.id).split('/').pop() ?? '');

  const initResult = async (f: Frame): Promise<Json> => JSON.parse((await f.textContent('#out')) ?? '{}') as Json;
  const registrationOf = async (courseId: string): Promise<string> =>
    (await request(s.p.h.app).get(`/api/courses/${courseId}/me`).set(s.p.h.as('learner')).expect(200)).body.registration.id as string;

  const openCourse = (courseId: string, button: RegExp): Promise<Page> => s.p.openCourse(courseId, button);

  it('SCORM 1.2: the SCO reaches window.API, and closing the tab keeps its unsaved data (pagehide flush)', async () => {
    const courseId = await s.p.h.publish(scorm12Package());
    const page = await openCourse(courseId, /^Launch$/);
    const csp = (await page.context().request.get(page.url())).headers()['content-security-policy'];
    expect(csp).toContain(`frame-src 'self' ${new URL(s.p.h.config.contentUrl).origin}`);
    let sco = await scoFrame(page);
    expect(await initResult(sco)).toMatchObject({ entry: 'ab-initio', location: '', learner: s.p.h.users.learner.name });
    expect(await sco.evaluate(() => (window as unknown as { sco: { version: string } }).sco.version)).toBe('1.2');
    await sco.evaluate(() => (window as unknown as { sco: { progress(l: string, d: string): string } }).sco.progress('page-3', 'data-3'));
    // Set but never committed by the SCO: only the launcher's pagehide flush can save it.
    await sco.evaluate(() => (window.parent as unknown as { API: { LMSSetValue(k: string, v: string): string } }).API.LMSSetValue('cmi.core.lesson_location', 'page-4'));
    await closePage(page, { runBeforeUnload: true });

    const registration = await registrationOf(courseId);
    const deadline = Date.now() + 5000;
    let seed: Json = {};
    while (Date.now() < deadline) {
      const me = await request(s.p.h.app).get(`/api/courses/${courseId}/me`).set(s.p.h.as('learner')).expect(200);
      const attempt = me.body.attempts[0] as Json;
      const runtime = await s.p.h.store.launch.findRuntime(attempt.id as string, 'item1');
      seed = (runtime[0]?.cmi ?? {}) as Json;
      if (seed.cmi?.core?.lesson_location === 'page-4') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seed.cmi.core.lesson_location).toBe('page-4');

    const again = await openCourse(courseId, /^Resume$/);
    sco = await scoFrame(again);
    expect(await initResult(sco)).toMatchObject({ location: 'page-4', suspendData: 'data-3' });
    await sco.evaluate(() => {
      const s = (window as unknown as { sco: { finish(st: string, score: number): string; terminate(): string } }).sco;
      s.finish('passed', 90);
      s.terminate();
    });
    await poll(async () => verbsOf(await statements(registration)).includes('terminated'), true);
    expect(verbsOf(await statements(registration))).toEqual(expect.arrayContaining(['initialized', 'passed', 'completed', 'scored', 'terminated']));
    await closePage(again);
  }, 60_000);

  it('SCORM 2004: Exit suspends, Resume returns to the location, and the course page shows the result', async () => {
    const courseId = await s.p.h.publish(scorm2004Package());
    const page = await openCourse(courseId, /^Launch$/);
    let sco = await scoFrame(page);
    expect(await initResult(sco)).toMatchObject({ entry: 'ab-initio', location: '' });
    expect(await sco.evaluate(() => (window as unknown as { sco: { version: string } }).sco.version)).toBe('2004');
    await sco.evaluate(() => (window as unknown as { sco: { progress(l: string, d: string): string } }).sco.progress('slide-7', '{"answers":[1,2]}'));
    await page.getByRole('button', { name: 'Exit' }).click();
    await page.waitForURL(new RegExp(`/courses/${courseId}$`));
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.waitForURL(/\/play\//);
    sco = await scoFrame(page);
    expect(await initResult(sco)).toMatchObject({ entry: 'resume', location: 'slide-7', suspendData: '{"answers":[1,2]}' });
    await sco.evaluate(() => {
      const s = (window as unknown as { sco: { answer(i: string, r: string, res: string): string; finish(st: string, score: number): string; terminate(): string } }).sco;
      s.answer('q1', 'b', 'correct');
      s.finish('passed', 85);
      s.terminate();
    });
    const registration = await registrationOf(courseId);
    await poll(async () => verbsOf(await statements(registration)).filter((v) => v === 'terminated').length, 1);
    const verbs = verbsOf(await statements(registration));
    expect(verbs).toEqual(expect.arrayContaining(['initialized', 'suspended', 'resumed', 'responded', 'completed', 'passed', 'scored', 'terminated']));
    // The SCO ended the course: the player returns to the course page by itself.
    await page.waitForURL(new RegExp(`/courses/${courseId}$`));
    expect(await page.textContent('[data-field="status"]')).toBe('Passed');
    expect(await page.textContent('[data-field="score"]')).toBe('85 %');
    await closePage(page);
  }, 60_000);

  it('SCORM 2004 sequencing: the second SCO stays disabled until the first is satisfied, then Continue delivers it', async () => {
    const courseId = await s.p.h.publish(scorm2004TwoScoPackage());
    const page = await openCourse(courseId, /^Launch$/);
    const sco1 = await scoFrame(page, 'sco1');
    const part2 = page.getByRole('button', { name: 'Part two' });
    await poll(() => part2.isDisabled(), true);
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    // A choice request for the blocked SCO is refused by the launcher too.
    await launcherFrame(page)!.evaluate(() => (window as unknown as { learnhqLauncher: { request(r: { request: string; target?: string }): void } }).learnhqLauncher.request({ request: 'choice', target: 'sco2' }));
    await sco1.evaluate(() => {
      const s = (window as unknown as { sco: { finish(st: string, score: number): string; next(): string } }).sco;
      s.finish('passed', 100);
      s.next();
    });
    const sco2 = await scoFrame(page, 'sco2');
    expect(await initResult(sco2)).toMatchObject({ entry: 'ab-initio' });
    await poll(() => part2.isDisabled(), false);
    await sco2.evaluate(() => {
      const s = (window as unknown as { sco: { finish(st: string, score: number): string; terminate(): string } }).sco;
      s.finish('passed', 80);
      s.terminate();
    });
    const registration = await registrationOf(courseId);
    await poll(async () => (await statements(registration)).filter((s) => String(s.verb.id).endsWith('/terminated')).length, 2);
    const initialized = (await statements(registration)).filter((s) => String(s.verb.id).endsWith('/initialized')).map((s) => String(s.object.id).split('/').pop()).sort();
    expect(initialized).toEqual(['sco1', 'sco2']);
    const me = await request(s.p.h.app).get(`/api/courses/${courseId}/me`).set(s.p.h.as('learner')).expect(200);
    expect(me.body.progress).toMatchObject({ completion: 'completed', success: 'passed', scoreScaled: 0.9 });
    // The last SCO ended the course: the player goes back to the course page by itself.
    await page.waitForURL(new RegExp(`/courses/${courseId}$`));
    await closePage(page);
  }, 60_000);

  it('a SCO re-entered in the same session (SCO1 → SCO2 → SCO1) starts from what it committed, not from the launch seed', async () => {
    const courseId = await s.p.h.publish(scorm2004TwoScoPackage('Re-entry test'));
    const page = await openCourse(courseId, /^Launch$/);
    const sco1 = await scoFrame(page, 'sco1');
    expect(await initResult(sco1)).toMatchObject({ entry: 'ab-initio', location: '', suspendData: '' });
    await sco1.evaluate(() => {
      const w = window as unknown as { sco: { progress(l: string, d: string): string; finish(st: string, score: number): string; next(): string } };
      w.sco.progress('slide-3', '{"seen":[1,2,3]}');
      (window.parent as unknown as { API_1484_11: { SetValue(k: string, v: string): string } }).API_1484_11.SetValue('cmi.exit', 'suspend');
      w.sco.finish('passed', 100);
      w.sco.next();
    });
    const sco2 = await scoFrame(page, 'sco2');
    expect(await initResult(sco2)).toMatchObject({ entry: 'ab-initio', location: '' });
    // Both SCOs share one page: a new title proves the frame loaded a new document.
    await sco2.evaluate(() => { document.title = 'left'; });
    const part1 = page.getByRole('button', { name: 'Part one' });
    await poll(() => part1.isDisabled(), false);
    await part1.click();
    const again = await scoFrame(page, 'sco1');
    expect(await initResult(again)).toMatchObject({ entry: 'resume', location: 'slide-3', suspendData: '{"seen":[1,2,3]}' });
    // The re-entered SCO's commits carry its saved data forward rather than overwriting it.
    await again.evaluate(() => (window as unknown as { sco: { terminate(): string } }).sco.terminate());
    const me = await request(s.p.h.app).get(`/api/courses/${courseId}/me`).set(s.p.h.as('learner')).expect(200);
    const attemptId = (me.body.attempts[0] as Json).id as string;
    await poll(async () => ((await s.p.h.store.launch.findRuntime(attemptId, 'sco1'))[0]?.cmi as Json | undefined)?.cmi?.entry, 'resume');
    const stored = (await s.p.h.store.launch.findRuntime(attemptId, 'sco1'))[0]?.cmi as Json;
    expect(stored.cmi).toMatchObject({ location: 'slide-3', suspend_data: '{"seen":[1,2,3]}' });
    await closePage(page);
  }, 60_000);
});
