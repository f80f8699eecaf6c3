/**
 * Package intake against what ADL's cmi5 LMS test suite (CATAPULT, lts/pkg) imports: the bare
 * course structure of its 1,001-AU course (test 101, cmi5 6.1 and 14.0/14.2) must import, and its
 * invalid packages 201–210 must each be refused for the reason they test. The packages are built
 * here, one per reason; the requirement id of each is in the test name. Also: AICC packages are
 * refused as AICC (issue 17 item 22).
 */
import request from 'supertest';
import { buildZip } from '../../fixtures/zip-builder';
import { createHarness, type Harness } from './harness';

const NS = 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd';
const BASE = 'https://w3id.org/xapi/cmi5/test';

interface Au { id?: string; url?: string; inner?: string; attrs?: string }

const text = (tag: string, value: string): string => `<${tag}><langstring lang="en">${value}</langstring></${tag}>`;

function au(a: Au, n: number): string {
  const inner = a.inner ?? `${text('title', `AU ${n}`)}${text('description', 'An AU')}<url>${a.url ?? `${BASE}/content/au${n}/index.html`}</url>`;
  return `<au id="${a.id ?? `${BASE}/au/${n}`}"${a.attrs ? ` ${a.attrs}` : ''}>${inner}</au>`;
}

/** A course structure; parts left out get valid defaults. */
function structure(o: { courseId?: string; aus?: Au[]; body?: string; objectives?: string } = {}): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="${NS}">
  <course id="${o.courseId ?? `${BASE}/course`}">${text('title', 'Suite course')}${text('description', 'For the import tests')}</course>
  ${o.objectives ?? ''}
  ${o.body ?? (o.aus ?? [{}]).map((a, i) => au(a, i + 1)).join('\n')}
</courseStructure>`;
}

function block(id: string, inner: string): string {
  return `<block id="${id}">${text('title', 'Block')}${text('description', 'A block')}${inner}</block>`;
}

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

function upload(body: Buffer | string, contentType: string): request.Test {
  return request(h.app).post(`/api/orgs/${h.orgA}/courses`).set(h.as('authorA')).set('Content-Type', contentType).send(Buffer.from(body));
}

describe('a cmi5 course structure without a zip (cmi5 14.0, 14.2; issue 17 item 19)', () => {
  it('6.1.0.0-2 / 14.0.0.0-1: imports the bare cmi5.xml of a 1,001-AU course whose AUs are at absolute URLs', async () => {
    const aus = Array.from({ length: 1001 }, (_, i) => ({ url: `https://cdn.example.org/suite/au-${i + 1}/index.html?lang=en` }));
    const xml = structure({ aus });
    const res = await upload(xml, 'application/xml').expect(201);
    expect(res.body.version).toMatchObject({ number: 1, format: 'cmi5', bytes: Buffer.byteLength(xml) });
    const version = await h.store.courses.findVersion(res.body.version.id as string);
    expect(version?.model.launchables).toHaveLength(1001);
    expect(version?.model.launchables[1000]).toMatchObject({ id: `${BASE}/au/1001`, launchUrl: 'https://cdn.example.org/suite/au-1001/index.html?lang=en', external: true });
    // The structure is kept as the version's only file.
    const stored = await h.files.get(`${version!.fileSetId}/cmi5.xml`);
    const chunks: Buffer[] = [];
    for await (const c of stored!.stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(xml);
  });

  it('is recognised by its content whatever the media type says (text/xml, octet-stream, zip), with a byte order mark', async () => {
    const xml = `\uFEFF${structure({ aus: [{ url: 'https://cdn.example.org/one/index.html' }] })}`;
    for (const type of ['text/xml', 'application/octet-stream', 'application/zip']) {
      const res = await upload(xml, type);
      expect({ type, status: res.status }).toEqual({ type, status: 201 });
    }
  });

  it('refuses a SCORM manifest sent without its zip, saying what a bare XML must be', async () => {
    const res = await upload('<?xml version="1.0"?><manifest identifier="m"/>', 'application/xml').expect(400);
    expect(res.body.report.errors[0].message).toMatch(/<manifest>, not <courseStructure>/);
  });
});

interface Refusal {
  readonly test: string;
  readonly requirement: string;
  readonly body: () => Buffer | string;
  readonly contentType?: string;
  readonly status?: number;
  readonly code: string;
  readonly message: RegExp;
}

const zipWith = (xml: string, extra: Record<string, string> = {}): Buffer =>
  buildZip([{ name: 'cmi5.xml', data: xml }, ...Object.entries(extra).map(([name, data]) => ({ name, data }))]);

const REFUSALS: readonly Refusal[] = [
  { test: '201-1', requirement: '3.0.0.0-1', body: () => structure({ courseId: 'w3id.org/xapi/cmi5/test/course' }), code: 'invalid_iri', message: /<course> id="w3id\.org.*not an absolute IRI/ },
  { test: '201-2', requirement: '3.0.0.0-1', body: () => structure({ body: block('block-7', au({}, 1)) }), code: 'invalid_iri', message: /<block> id="block-7"/ },
  { test: '201-3', requirement: '3.0.0.0-1', body: () => structure({ aus: [{ id: 'au one' }] }), code: 'invalid_iri', message: /<au> id="au one"/ },
  {
    test: '201-4', requirement: '3.0.0.0-1',
    body: () => structure({ objectives: `<objectives><objective id="objective-1">${text('title', 'O')}${text('description', 'O')}</objective></objectives>` }),
    code: 'invalid_iri', message: /<objective> id="objective-1"/,
  },
  ...['index.html', 'path/1/index.html', 'index.html?abc=def', './index.html', '/index.html'].map((url, i): Refusal => ({
    test: `202-${i + 1}`, requirement: '14.2.0.0-1', body: () => structure({ aus: [{ url }] }), contentType: 'application/xml',
    code: 'relative_url_without_package', message: /relative, but a course structure uploaded without a zip has no files.*cmi5 14\.2/,
  })),
  { test: '203-1', requirement: '14.1.0.0-4', body: () => zipWith(structure({ aus: [{ url: 'au/index.html' }] }), { 'other.html': 'x' }), contentType: 'application/zip', code: 'launch_file_missing', message: /au\/index\.html/ },
  { test: '204', requirement: '8.1.0.0-6', body: () => structure({ aus: [{ url: 'https://cdn.example.org/a/index.html?endpoint=http://example.org/lrs' }] }), code: 'launch_parameter_conflict', message: /"endpoint" in its query string.*cmi5 8\.1/ },
  { test: '205-1', requirement: '13.1.2.0-1', body: () => structure({ body: block(`${BASE}/block/1`, au({}, 1)) + block(`${BASE}/block/1`, au({}, 2)) }), code: 'duplicate_identifier', message: /more than one <block>/ },
  {
    test: '205-2', requirement: '13.1.3.0-1',
    body: () => structure({ objectives: `<objectives>${[1, 2].map(() => `<objective id="${BASE}/objective/1">${text('title', 'O')}${text('description', 'O')}</objective>`).join('')}</objectives>` }),
    code: 'duplicate_identifier', message: /more than one <objective>/,
  },
  { test: '205-3', requirement: '13.1.4.0-1', body: () => structure({ aus: [{ id: `${BASE}/au/x` }, { id: `${BASE}/au/x` }] }), code: 'duplicate_identifier', message: /more than one <au>/ },
  { test: '206-1', requirement: '13.1.4.0-2', body: () => structure({ aus: [{ url: 'http://example.com index.html' }] }), code: 'invalid_url', message: /contains a space.*RFC 1738/ },
  {
    test: '207-1', requirement: '13.2.0.0-1',
    body: () => structure({ aus: [{ inner: `<url>https://cdn.example.org/a/index.html</url>${text('title', 'AU')}${text('description', 'AU')}` }] }),
    code: 'schema_violation', message: /<title> is out of place in <au>.*13\.2/,
  },
  { test: '208-1', requirement: '14.0.0.0-1', body: () => '# Not a package\n\nJust markdown.', contentType: 'text/markdown; charset=UTF-8', status: 415, code: 'unsupported_media_type', message: /zip .* or a cmi5 course structure/ },
  { test: '209-1', requirement: '14.1.0.0-1', body: () => 'This file is named .zip but is not one.', contentType: 'application/zip', code: 'zip_refused', message: /zip/i },
  { test: '210-1', requirement: '14.1.0.0-2', body: () => buildZip([{ name: 'index.html', data: '<p>AU</p>' }, { name: 'README.md', data: 'no cmi5.xml' }]), contentType: 'application/zip', code: 'no_manifest', message: /no imsmanifest\.xml .* or cmi5\.xml/ },
];

describe('invalid cmi5 packages are refused for the reason they test (issue 17 item 20)', () => {
  it.each(REFUSALS.map((r) => [r.test, r.requirement, r] as const))('LMS test %s (%s)', async (_test, _req, r) => {
    const before = await h.store.courses.findCourses({ orgIds: [h.orgA] });
    const res = await upload(r.body(), r.contentType ?? 'application/xml');
    expect(res.status).toBe(r.status ?? 400);
    if (r.status === 415) {
      expect(res.body).toMatchObject({ error: r.code, message: expect.stringMatching(r.message) });
    } else {
      const codes = (res.body.report.errors as { code: string }[]).map((e) => e.code);
      expect(codes).toContain(r.code);
      const issue = (res.body.report.errors as { code: string; message: string }[]).find((e) => e.code === r.code)!;
      expect(issue.message).toMatch(r.message);
    }
    expect(await h.store.courses.findCourses({ orgIds: [h.orgA] })).toHaveLength(before.length);
  });

  it('the same structures with those faults repaired import (each test differs from a valid course only by its fault)', async () => {
    await upload(structure({ body: block(`${BASE}/block/1`, au({}, 1)) + block(`${BASE}/block/2`, au({}, 2)) }), 'application/xml').expect(201);
    await upload(structure({ aus: [{ url: 'https://cdn.example.org/a/index.html?lang=en&amp;mode=x' }] }), 'application/xml').expect(201);
    await upload(zipWith(structure({ aus: [{ url: 'au/index.html' }] }), { 'au/index.html': '<p>AU</p>' }), 'application/zip').expect(201);
  });

  it('keeps accepting the same id on a course and its AU (some tools write that) with a warning', async () => {
    const res = await upload(structure({ aus: [{ id: `${BASE}/course` }] }), 'application/xml').expect(201);
    expect(res.body.report.warnings).toEqual([expect.objectContaining({ code: 'duplicate_identifier' })]);
  });
});

describe('AICC packages (issue 17 item 22)', () => {
  it('are refused saying AICC is not supported, not that a manifest is missing', async () => {
    const zip = buildZip([
      { name: 'course.crs', data: '[Course]\nCourse_Creator=Someone\nCourse_ID=C1\nTotal_AUs=1\n' },
      { name: 'course.au', data: '"System_ID","Type","File_Name"\n"A1","lesson","index.html"\n' },
      { name: 'course.des', data: '"System_ID","Title"\n"A1","Lesson"\n' },
      { name: 'course.cst', data: '"block","member"\n"root","A1"\n' },
      { name: 'index.html', data: '<p>lesson</p>' },
    ]);
    const res = await upload(zip, 'application/zip').expect(400);
    expect(res.body.message).toMatch(/^package refused: AICC is not supported/);
    expect(res.body.report.errors).toEqual([expect.objectContaining({ code: 'aicc_not_supported' })]);
    expect(JSON.stringify(res.body)).not.toMatch(/imsmanifest/);
  });
});
