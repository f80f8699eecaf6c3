/**
 * GET /courses/:courseId/return, the cmi5 returnURL: no session needed and nothing about the course
 * shown (the course page applies the access rules), a top-level visit is sent to the course page,
 * a framed one gets a page only this origin may frame; no open redirect whatever the id.
 */
import request from 'supertest';
import { createPlayerHarness, type PlayerHarness } from '../cmi5/harness';
import { cmi5Zip } from '../cmi5/packages';

let h: PlayerHarness;
beforeAll(async () => {
  h = await createPlayerHarness();
});
afterAll(async () => {
  await h.close();
});

it('sends a top-level visit to the course page, with or without a session', async () => {
  const course = await h.publish(cmi5Zip({ courseId: 'http://example.com/cmi5/return-page', aus: [{ id: 'http://example.com/cmi5/return-page/au' }] }));
  for (const who of [h.as('learner'), h.as('other'), {}]) {
    const res = await request(h.app).get(`/courses/${encodeURIComponent(course)}/return`).set(who).set('Sec-Fetch-Dest', 'document').expect(303);
    expect(res.headers['location']).toBe(`/courses/${encodeURIComponent(course)}`);
  }
});

it('answers a framed visit with a page this origin alone may frame, the same for any id, course or not', async () => {
  const course = await h.publish(cmi5Zip({ courseId: 'http://example.com/cmi5/return-page-2', aus: [{ id: 'http://example.com/cmi5/return-page-2/au' }] }));
  const bodies: string[] = [];
  for (const id of [course, 'no-such-course']) {
    const res = await request(h.app).get(`/courses/${encodeURIComponent(id)}/return`).set(h.as('other')).set('Sec-Fetch-Dest', 'iframe').expect(200);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain(`href="/courses/${encodeURIComponent(id)}" target="_top"`);
    expect(res.text).not.toContain('cmi5 test course');
    bodies.push(res.text.replace(encodeURIComponent(id), 'ID'));
  }
  expect(bodies[0]).toBe(bodies[1]);
});

it('never redirects off this site', async () => {
  for (const raw of ['%2F%2Fevil.example', 'https%3A%2F%2Fevil.example', '..%2F..%2Fsign-out', '%5C%5Cevil.example']) {
    const res = await request(h.app).get(`/courses/${raw}/return`).set('Sec-Fetch-Dest', 'document').expect(303);
    const location = String(res.headers['location']);
    expect(location.startsWith('/courses/')).toBe(true);
    expect(new URL(location, 'http://learnhq.test').origin).toBe('http://learnhq.test');
    expect(location.slice('/courses/'.length)).not.toMatch(/[/\\]/);
  }
  await request(h.app).post('/courses/x/return').set(h.as('learner')).expect(404);
});

it('the cmi5 player page lists the AUs, marks the one opened, and switches with a CSRF-protected launch form', async () => {
  const course = await h.publish(cmi5Zip({
    courseId: 'http://example.com/cmi5/return-page-3',
    aus: [{ id: 'http://example.com/cmi5/rp3/a', title: 'First' }],
    blocks: [{ id: 'http://example.com/cmi5/rp3/b', title: 'Unit', aus: [{ id: 'http://example.com/cmi5/rp3/c', title: 'Second' }] }],
  }));
  const launch = await request(h.app).post(`/api/courses/${encodeURIComponent(course)}/launch`).set(h.as('learner')).send({ scoId: 'http://example.com/cmi5/rp3/c' }).expect(201);
  const page = await request(h.app).get(`/play/${launch.body.sessionId as string}`).set(h.as('learner')).expect(200);
  expect(page.text).toContain('data-launcher="false"');
  expect(page.text).toMatch(/<form id="unit-form" method="post" action="\/courses\/[^"]+\/launch" hidden>/);
  expect(page.text).toContain(`name="_csrf" value="${h.users.learner.csrfToken}"`);
  expect(page.text).toMatch(/data-unit="http:\/\/example.com\/cmi5\/rp3\/c" aria-current="step"/);
  expect(page.text).toContain('<span class="toc-section-title">Unit</span>');
  expect(page.text).toMatch(/id="nav-previous" class="secondary" data-target="http:\/\/example.com\/cmi5\/rp3\/a"/);
  expect(page.text).toMatch(/id="nav-continue" class="" disabled/);
  // Another learner's session stays theirs; the launch form refuses a missing CSRF token.
  await request(h.app).get(`/play/${launch.body.sessionId as string}`).set(h.as('other')).expect(403);
  await request(h.app).post(`/courses/${encodeURIComponent(course)}/launch`).set({ 'X-Test-User': h.users.learner.userId })
    .type('form').send({ mode: 'normal', scoId: 'http://example.com/cmi5/rp3/a' }).expect(403);
});
