/**
 * Issue 11 item 5, outside the LRS: another organization's draft course and registrations are
 * answered as if they did not exist (404, naming nothing of the other organization).
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Course } from '../../../src/store/ports';
import { courseFixture, createWorld, type World } from './fixture';

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w.close();
});

async function courseOfA(state: Course['state']): Promise<Course> {
  const { course, version } = courseFixture(w.orgA.id, state);
  await w.store.courses.insertCourse(course, version);
  return course;
}

/** The body with an id taken out, to compare answers about different ids. */
const shape = (res: request.Response, id: string) => ({ status: res.status, body: JSON.stringify(res.body).split(id).join('<id>') });

describe('another organization\'s draft course', () => {
  it('is 404 to B\'s administrator on the API and the author page, exactly like an unknown id', async () => {
    const draft = await courseOfA('draft');
    const s = await w.session(w.people.orgAdminB);
    const api = await request(w.app).get(`/api/courses/${draft.id}`).set('Cookie', s.cookie);
    const unknownId = `course-${randomUUID().slice(0, 8)}`;
    const unknown = await request(w.app).get(`/api/courses/${unknownId}`).set('Cookie', s.cookie);
    expect(api.status).toBe(404);
    expect(shape(api, draft.id)).toEqual(shape(unknown, unknownId));
    const patch = await request(w.app).patch(`/api/courses/${draft.id}`).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send({ title: 'Mine now' });
    expect(patch.status).toBe(404);
    const page = await request(w.app).get(`/author/courses/${draft.id}`).set('Cookie', s.cookie);
    expect(page.status).toBe(404);
    expect((await w.store.courses.findCourse(draft.id))?.title).toBe('Course');
  });

  it('stays 403 inside its organization (the id is no secret there) and for a published course, which everyone may see', async () => {
    const draft = await courseOfA('draft');
    const learnerA = await w.session(w.people.learnerA);
    expect((await request(w.app).get(`/api/courses/${draft.id}`).set('Cookie', learnerA.cookie)).status).toBe(403);
    const published = await courseOfA('published');
    const adminB = await w.session(w.people.orgAdminB);
    expect((await request(w.app).get(`/api/courses/${published.id}`).set('Cookie', adminB.cookie)).status).toBe(403);
    const authorA = await w.session(w.people.authorA);
    expect((await request(w.app).get(`/api/courses/${draft.id}`).set('Cookie', authorA.cookie)).status).toBe(200);
  });
});

describe('waiving an AU of another organization\'s registration', () => {
  it('is 404 and names neither the organization nor anything of it, exactly like an unknown registration', async () => {
    const course = await courseOfA('published');
    const learner = await w.person([{ orgId: w.orgA.id, role: 'learner' }]);
    const id = randomUUID();
    await w.store.launch.insertRegistration({
      id, userId: learner.id, courseId: course.id, versionId: course.currentVersionId ?? '', orgId: w.orgA.id, createdAt: new Date().toISOString(),
    });
    const s = await w.session(w.people.orgAdminB);
    const waive = (reg: string) => request(w.app).post(`/api/registrations/${reg}/aus/${encodeURIComponent('http://example.com/au')}/waive`)
      .set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send({});
    const res = await waive(id);
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain(w.orgA.id);
    const unknownId = randomUUID();
    expect(shape(res, id)).toEqual(shape(await waive(unknownId), unknownId));
  });
});
