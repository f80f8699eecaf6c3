/**
 * The player page renders its content frame with the launch URL already in src, so the launcher
 * loads during page parse instead of waiting for the page script; the CSP lets it frame only the
 * content origin.
 */
import request from 'supertest';
import { scorm12Package } from '../../fixtures/scorm-packages';
import { createLaunchHarness, type LaunchHarness } from './harness';

let h: LaunchHarness;
beforeAll(async () => {
  h = await createLaunchHarness();
});
afterAll(async () => {
  await h.close();
});

const decode = (attr: string): string => attr.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

it('the player frame starts with the launch URL as its src', async () => {
  const courseId = await h.publish(scorm12Package());
  const launch = await request(h.app).post(`/api/courses/${courseId}/launch`).set(h.as('learner')).send({ mode: 'normal' }).expect(201);
  const sid = launch.body.sessionId as string;
  const play = await request(h.app).get(`/api/play/${sid}`).set(h.as('learner')).expect(200);
  const page = await request(h.app).get(`/play/${sid}`).set(h.as('learner')).expect(200);
  const frame = /<iframe id="player-frame"[^>]*>/.exec(page.text)?.[0];
  expect(frame).toBeDefined();
  const src = /\ssrc="([^"]*)"/.exec(frame ?? '')?.[1];
  expect(src).toBeDefined();
  const url = decode(src ?? '');
  expect(url.startsWith(`${h.config.contentUrl}/launch/${sid}#`)).toBe(true);
  // The same launch URL the page script would use (each opening issues its own token).
  expect(url).toBe(decode(/data-frame-url="([^"]*)"/.exec(page.text)?.[1] ?? ''));
  const fragment = new URLSearchParams(new URL(url).hash.slice(1));
  expect(fragment.get('auth')).toMatch(/^Basic /);
  expect(fragment.get('format')).toBe('scorm12');
  expect(new URL(url).pathname).toBe(new URL(play.body.frameUrl as string).pathname);
  expect(String(page.headers['content-security-policy'])).toContain(`frame-src 'self' ${new URL(h.config.contentUrl).origin};`);
});
