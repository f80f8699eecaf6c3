/**
 * A new version that switches the package format (issue 17 item 15: a published SCORM 1.2 course
 * took a TinCan zip as version 2 and made it current at once) is refused with 409 and the reason
 * until the author confirms it; nothing is stored by the refused upload.
 */
import { readdirSync } from 'node:fs';
import request from 'supertest';
import { createHarness, type Harness } from './harness';
import { scorm12Zip, tincanZip } from './packages';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const fileSets = (): string[] => readdirSync(h.filesDir).filter((n) => !n.startsWith('.'));

function newVersion(courseId: string, zip: Buffer, query = '', who: Parameters<Harness['as']>[0] = 'authorA'): request.Test {
  return request(h.app).post(`/api/courses/${courseId}/versions${query}`).set(h.as(who)).set('Content-Type', 'application/zip').send(zip);
}

async function publishedScorm12(): Promise<string> {
  const res = await request(h.app).post(`/api/orgs/${h.orgA}/courses`).set(h.as('authorA')).set('Content-Type', 'application/zip').send(scorm12Zip()).expect(201);
  const id = res.body.course.id as string;
  await request(h.app).post(`/api/courses/${id}/publish`).set(h.as('authorA')).expect(200);
  return id;
}

it('refuses a TinCan zip as the next version of a SCORM 1.2 course with 409 and why, storing nothing', async () => {
  const id = await publishedScorm12();
  const before = fileSets();
  const res = await newVersion(id, tincanZip()).expect(409);
  expect(res.body.error).toBe('conflict');
  expect(res.body.report.errors).toEqual([expect.objectContaining({ code: 'format_change' })]);
  expect(res.body.message).toMatch(/this package is xAPI \(tincan\.xml\), but the course is SCORM 1\.2 \(version 1\).*confirmFormatChange=true/);
  const course = await h.store.courses.findCourse(id);
  expect(course).toMatchObject({ currentVersionNumber: 1, state: 'published' });
  expect(await h.store.courses.findVersions(id)).toHaveLength(1);
  expect(fileSets()).toEqual(before);
});

it('adds it when the author confirms, and the audit log records the switch', async () => {
  const id = await publishedScorm12();
  const res = await newVersion(id, tincanZip(), '?confirmFormatChange=true').expect(201);
  expect(res.body.version).toMatchObject({ number: 2, format: 'tincan' });
  expect(res.body.course).toMatchObject({ currentVersionNumber: 2 });
  const audit = await h.store.accounts.findAudit({ orgId: h.orgA, limit: 200 });
  expect(audit.find((a) => a.action === 'course.version' && a.target === id)?.details).toMatchObject({ format: 'tincan', formatChangedFrom: 'scorm12' });
});

it('needs no confirmation for a version of the same format, and refuses a bad confirmation value', async () => {
  const id = await publishedScorm12();
  await newVersion(id, scorm12Zip()).expect(201);
  const bad = await newVersion(id, tincanZip(), '?confirmFormatChange=yes').expect(400);
  expect(bad.body.message).toMatch(/confirmFormatChange: must be true or false/);
  await newVersion(id, tincanZip(), '?confirmFormatChange=false').expect(409);
});

it('keeps its access rules: another organization\'s author gets 403 before the body is read', async () => {
  const id = await publishedScorm12();
  await newVersion(id, tincanZip(), '?confirmFormatChange=true', 'authorB').expect(403);
  await newVersion(id, tincanZip(), '?confirmFormatChange=true', 'learnerA').expect(403);
  expect(await h.store.courses.findVersions(id)).toHaveLength(1);
});
