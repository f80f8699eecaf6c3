/**
 * The badge page (/admin/competency/:orgId/badges): the API's rule for who may define badges
 * (authors and administrators of the organization), CSRF, the multipart form with an image file,
 * and refusals that change nothing.
 */
import request from 'supertest';
import { casePackage } from '../../fixtures/case-package';
import { as, competencyWorld, type CompetencyWorld, type Who } from './fixture';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

describe('badge page', () => {
  let w: CompetencyWorld;
  let fwId: string;
  const ids = new Map<string, string>();
  const path = (): string => `/admin/competency/${w.orgA.id}/badges`;

  beforeAll(async () => {
    w = await competencyWorld();
    fwId = (await as(w, 'authorA', 'post', `/api/orgs/${w.orgA.id}/competency/frameworks`, casePackage({ ids }))).body.framework.id;
  });
  afterAll(() => w.t.close());

  /** Posts the multipart form as `who` (with their CSRF token unless `csrf` is given). */
  const post = (who: Who | undefined, fields: Record<string, string>, o: { csrf?: string; image?: { data: Buffer; name: string; type: string }; target?: string } = {}): request.Test => {
    let r = request(w.t.app).post(o.target ?? path());
    if (who) r = r.set('Cookie', w.s[who].cookie);
    const csrf = o.csrf ?? (who ? w.s[who].csrf : '');
    r = r.field('_csrf', csrf);
    for (const [k, v] of Object.entries(fields)) r = r.field(k, v);
    if (o.image) r = r.attach('image', o.image.data, { filename: o.image.name, contentType: o.image.type });
    return r;
  };
  const badges = async (orgId = w.orgA.id) => w.t.store.competency.findBadges({ orgIds: [orgId] });
  const competencyBadge = (): Record<string, string> => ({ name: 'Reference interview', description: 'Holds a good reference interview', criteria: 'Pass the quiz at Practising', for: `level|${fwId}|2`, competency: 'C1.2' });

  it('shows the page to authors and administrators of the organization only', async () => {
    for (const who of ['authorA', 'adminA'] as const) {
      const res = await as(w, who, 'get', path());
      expect([who, res.status]).toEqual([who, 200]);
      expect(res.text).toContain('Define a badge');
      expect(res.text).toContain(`value="course|${w.courseA.id}"`);
      expect(res.text).not.toContain(w.courseB.id);
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
    for (const [who, status] of [['learnerA', 403], ['analystA', 403], ['adminB', 404], ['authorB', 404], ['learnerB', 404]] as const) {
      expect([who, (await as(w, who, 'get', path())).status]).toEqual([who, status]);
    }
    const anonymous = await request(w.t.app).get(path());
    expect([302, 303, 401]).toContain(anonymous.status);
  });

  it('lets an author define a competency badge with an image, and an administrator a course badge', async () => {
    const res = await post('authorA', competencyBadge(), { image: { data: PNG, name: 'badge.png', type: 'image/png' } });
    expect(res.status).toBe(303);
    expect(res.headers['location']).toBe(path());
    const [b] = await badges();
    expect(b).toMatchObject({ name: 'Reference interview', criteria: 'Pass the quiz at Practising', frameworkId: fwId, itemIdentifier: ids.get('C1.2'), level: 2 });
    expect(b?.image).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
    const image = await request(w.t.app).get(`/ob/achievements/${b?.id}/image`);
    expect(image.headers['content-type']).toContain('image/png');
    expect(Buffer.compare(image.body as Buffer, PNG)).toBe(0);

    const course = await post('adminA', { name: 'Course finisher', description: 'Finished the course', criteria: 'Complete it', for: `course|${w.courseA.id}` });
    expect(course.status).toBe(303);
    expect((await badges()).map((x) => x.courseId ?? '').sort()).toEqual(['', w.courseA.id].sort());
    const page = await as(w, 'authorA', 'get', path());
    expect(page.text).toContain('Reference interview');
    expect(page.text).toContain('Course: Course of A');
  });

  it('refuses other roles, other organizations, a missing CSRF token and bad input, and changes nothing', async () => {
    const before = (await badges()).length;
    const beforeB = (await badges(w.orgB.id)).length;
    const refused: [Who | undefined, number][] = [['learnerA', 403], ['analystA', 403], ['adminB', 404], ['authorB', 404], ['learnerB', 404]];
    for (const [who, status] of refused) expect([who, (await post(who, competencyBadge())).status]).toEqual([who, status]);
    expect((await post('authorA', competencyBadge(), { csrf: 'wrong' })).status).toBe(403);
    expect((await post('authorA', competencyBadge(), { csrf: w.s.adminA.csrf })).status).toBe(403);
    expect([302, 303, 401, 403]).toContain((await post(undefined, competencyBadge())).status);
    // Another organization's course is not revealed; a course of B on B's page by A's author is 404 too.
    expect((await post('authorA', { ...competencyBadge(), for: `course|${w.courseB.id}` })).status).toBe(404);
    expect((await post('authorA', competencyBadge(), { target: `/admin/competency/${w.orgB.id}/badges` })).status).toBe(404);
    // Bad input.
    expect((await post('authorA', { ...competencyBadge(), competency: 'NO.SUCH' })).status).toBe(400);
    expect((await post('authorA', { ...competencyBadge(), for: `level|${fwId}|9` })).status).toBe(400);
    expect((await post('authorA', { ...competencyBadge(), for: '' })).status).toBe(400);
    expect((await post('authorA', { ...competencyBadge(), name: '' })).status).toBe(400);
    expect((await post('authorA', competencyBadge(), { image: { data: Buffer.from('<html><script>alert(1)</script></html>'), name: 'x.svg', type: 'image/svg+xml' } })).status).toBe(400);
    expect((await post('authorA', competencyBadge(), { image: { data: Buffer.concat([PNG, Buffer.alloc(300 * 1024)]), name: 'big.png', type: 'image/png' } })).status).toBe(400);
    const urlencoded = await request(w.t.app).post(path()).set('Cookie', w.s.authorA.cookie).type('form').send({ _csrf: w.s.authorA.csrf, ...competencyBadge() });
    expect(urlencoded.status).toBe(400);
    expect((await badges()).length).toBe(before);
    expect((await badges(w.orgB.id)).length).toBe(beforeB);
  });
});
