import type { Course, CourseVersion, Store } from '../../../src/store/ports';
import type { TinCanCourseModel } from '../../../src/packages/course-model';
import { nextStored, unique, useStore, type OpenStore } from './builders';

function model(title: string): TinCanCourseModel {
  const id = `http://example.com/activities/${unique('act')}`;
  return {
    modelVersion: 1,
    format: 'tincan',
    manifestPath: 'tincan.xml',
    title,
    launchables: [{ id, title, kind: 'activity', launchUrl: 'index.html?x=1', external: false }],
    // Keys MongoDB refuses as field names must survive (the model is JSON text in the store).
    activities: [{ id, name: { 'en-US': title, 'a.b': 'dotted', $x: 'dollar' }, description: {}, launch: 'index.html' }],
    mainActivityId: id,
  };
}

function version(courseId: string, number: number, over: Partial<CourseVersion> = {}): CourseVersion {
  return {
    id: unique('ver'),
    courseId,
    number,
    format: 'tincan',
    fileSetId: unique('fs'),
    sha256: 'ab'.repeat(32),
    bytes: 1234 + number,
    uploadedBy: unique('user'),
    createdAt: nextStored(),
    model: model(`Model ${number}`),
    report: { errors: [], warnings: [{ code: 'w', message: 'a warning', path: '/x' }] },
    ...over,
  };
}

function course(over: Partial<Course> = {}): { course: Course; first: CourseVersion } {
  const id = over.id ?? unique('course');
  const first = version(id, 1);
  const at = nextStored();
  return {
    course: {
      id,
      orgId: unique('org'),
      title: `Course ${id}`,
      description: 'About it',
      language: 'en',
      provider: 'Provider Org',
      competencies: [],
      state: 'draft',
      currentVersionId: first.id,
      currentVersionNumber: 1,
      createdAt: at,
      updatedAt: at,
      ...over,
    },
    first,
  };
}

/** CourseStore contract: courses with versions, states, slugs and the current version. */
export function coursesContract(open: OpenStore): void {
  describe('courses', () => {
    const store = useStore(open);
    const courses = (): Store['courses'] => store().courses;

    it('stores a course with its first version and reads both back as given', async () => {
      const { course: c, first } = course({ slug: unique('slug'), estimatedMinutes: 45, ceCredits: 1.5, competencies: ['c1', 'c2'] });
      await courses().insertCourse(c, first);
      expect(await courses().findCourse(c.id)).toEqual(c);
      expect(await courses().findVersion(first.id)).toEqual(first);
      const { model: _m, report: _r, ...info } = first;
      expect(await courses().findVersions(c.id)).toEqual([info]);

      const { course: plain, first: v } = course();
      await courses().insertCourse(plain, v);
      const found = await courses().findCourse(plain.id);
      expect(found).toEqual(plain);
      for (const k of ['slug', 'estimatedMinutes', 'ceCredits']) expect(found && k in found).toBe(false);
    });

    it('answers undefined and [] for unknown ids', async () => {
      expect(await courses().findCourse(unique('none'))).toBeUndefined();
      expect(await courses().findVersion(unique('none'))).toBeUndefined();
      expect(await courses().findVersions(unique('none'))).toEqual([]);
      expect(await courses().updateCourse(unique('none'), { title: 'x', updatedAt: nextStored() })).toBeUndefined();
    });

    it('refuses a duplicate course id and leaves no version of the refused one behind', async () => {
      const { course: c, first } = course();
      await courses().insertCourse(c, first);
      const again = version(c.id, 2);
      await expect(courses().insertCourse({ ...c, title: 'other', currentVersionId: again.id }, again)).rejects.toMatchObject({ code: 'conflict' });
      expect((await courses().findCourse(c.id))?.title).toBe(c.title);
      expect(await courses().findVersion(again.id)).toBeUndefined();
    });

    it('keeps slugs unique within an organization but not across organizations', async () => {
      const slug = unique('slug');
      const a = course({ slug });
      await courses().insertCourse(a.course, a.first);
      const sameOrg = course({ slug, orgId: a.course.orgId });
      await expect(courses().insertCourse(sameOrg.course, sameOrg.first)).rejects.toMatchObject({ code: 'conflict' });
      const otherOrg = course({ slug });
      await courses().insertCourse(otherOrg.course, otherOrg.first);
      expect((await courses().findCourseBySlug(a.course.orgId, slug))?.id).toBe(a.course.id);
      expect((await courses().findCourseBySlug(otherOrg.course.orgId, slug))?.id).toBe(otherOrg.course.id);
      expect(await courses().findCourseBySlug(a.course.orgId, unique('nope'))).toBeUndefined();

      // Many courses without a slug in one organization are fine.
      const n1 = course({ orgId: a.course.orgId });
      const n2 = course({ orgId: a.course.orgId });
      await courses().insertCourse(n1.course, n1.first);
      await courses().insertCourse(n2.course, n2.first);

      // Taking a used slug by update is a conflict; clearing and re-setting works.
      await expect(courses().updateCourse(n1.course.id, { slug, updatedAt: nextStored() })).rejects.toMatchObject({ code: 'conflict' });
      await courses().updateCourse(a.course.id, { slug: null, updatedAt: nextStored() });
      expect(await courses().findCourseBySlug(a.course.orgId, slug)).toBeUndefined();
      const moved = await courses().updateCourse(n1.course.id, { slug, updatedAt: nextStored() });
      expect(moved?.slug).toBe(slug);
      expect((await courses().findCourseBySlug(a.course.orgId, slug))?.id).toBe(n1.course.id);
    });

    it('updates catalog fields and state, clearing optional fields with null', async () => {
      const { course: c, first } = course({ estimatedMinutes: 30, ceCredits: 2 });
      await courses().insertCourse(c, first);
      const at = nextStored();
      const updated = await courses().updateCourse(c.id, {
        title: 'New title', description: 'New description', language: 'fr-CA', provider: 'Other provider',
        estimatedMinutes: null, ceCredits: 0.5, competencies: ['k1'], state: 'published', updatedAt: at,
      });
      const expected: Course = {
        ...c, title: 'New title', description: 'New description', language: 'fr-CA', provider: 'Other provider',
        ceCredits: 0.5, competencies: ['k1'], state: 'published', updatedAt: at,
      };
      delete (expected as { estimatedMinutes?: number }).estimatedMinutes;
      expect(updated).toEqual(expected);
      expect(await courses().findCourse(c.id)).toEqual(expected);
    });

    it('lists courses by organization and state, ordered by title ignoring case, then id', async () => {
      const org = unique('org');
      const make = async (title: string, state: Course['state'], orgId = org): Promise<Course> => {
        const x = course({ orgId, title, state });
        await courses().insertCourse(x.course, x.first);
        return x.course;
      };
      const b = await make('beta', 'published');
      const a = await make('Alpha', 'draft');
      const c = await make('Charlie', 'retired');
      const a2 = await make('alpha', 'published');
      const otherOrg = unique('org');
      const o = await make('Aardvark', 'published', otherOrg);

      const ids = (list: Course[]): string[] => list.map((x) => x.id);
      const alphas = [a, a2].sort((x, y) => (x.id < y.id ? -1 : 1)).map((x) => x.id);
      expect(ids(await courses().findCourses({ orgIds: [org] }))).toEqual([...alphas, b.id, c.id]);
      expect(ids(await courses().findCourses({ orgIds: [org], states: ['published'] }))).toEqual([a2.id, b.id]);
      expect(ids(await courses().findCourses({ orgIds: [org, otherOrg], states: ['published'] }))).toEqual([o.id, a2.id, b.id]);
      expect(ids(await courses().findCourses({ orgIds: [org], limit: 2 }))).toEqual(alphas);
      expect(await courses().findCourses({ orgIds: [] })).toEqual([]);
      expect(await courses().findCourses({ orgIds: [org], states: [] })).toEqual([]);
      const published = ids(await courses().findCourses({ states: ['published'] }));
      expect(published).toEqual(expect.arrayContaining([a2.id, b.id, o.id]));
      expect(published).not.toContain(a.id);
      expect(published).not.toContain(c.id);
    });

    it('adds versions, lists them newest first and refuses a second version with the same number', async () => {
      const { course: c, first } = course();
      await courses().insertCourse(c, first);
      const v2 = version(c.id, 2);
      await courses().insertVersion(v2);
      await expect(courses().insertVersion(version(c.id, 2))).rejects.toMatchObject({ code: 'conflict' });
      await expect(courses().insertVersion({ ...version(c.id, 3), id: v2.id })).rejects.toMatchObject({ code: 'conflict' });
      expect((await courses().findVersions(c.id)).map((v) => v.number)).toEqual([2, 1]);
      // The first version is untouched by later ones.
      expect(await courses().findVersion(first.id)).toEqual(first);
      expect(await courses().findVersion(v2.id)).toEqual(v2);
      // Versions of other courses do not leak in, and the same number in another course is fine.
      const other = course();
      await courses().insertCourse(other.course, other.first);
      await courses().insertVersion(version(other.course.id, 2));
      expect((await courses().findVersions(c.id)).map((v) => v.id)).toEqual([v2.id, first.id]);
    });

    it('tells which file sets some version uses, each once (issue 11: uncommitted file sets are never served)', async () => {
      const { course: c, first } = course();
      await courses().insertCourse(c, first);
      const v2 = version(c.id, 2);
      await courses().insertVersion(v2);
      const other = course();
      await courses().insertCourse(other.course, { ...other.first, fileSetId: first.fileSetId });
      const orphan = unique('fs');
      const found = await courses().findFileSetIds([first.fileSetId, orphan, v2.fileSetId, first.fileSetId]);
      expect(found.sort()).toEqual([first.fileSetId, v2.fileSetId].sort());
      expect(await courses().findFileSetIds([orphan])).toEqual([]);
      expect(await courses().findFileSetIds([])).toEqual([]);
    });

    it('moves the current version forward only', async () => {
      const { course: c, first } = course();
      await courses().insertCourse(c, first);
      const v2 = version(c.id, 2);
      const v3 = version(c.id, 3);
      await courses().insertVersion(v3);
      await courses().insertVersion(v2);
      const at = nextStored();
      expect(await courses().updateCourseCurrentVersion(c.id, { id: v3.id, number: 3 }, at)).toBe(true);
      expect(await courses().updateCourseCurrentVersion(c.id, { id: v2.id, number: 2 }, nextStored())).toBe(false);
      const found = await courses().findCourse(c.id);
      expect(found).toMatchObject({ currentVersionId: v3.id, currentVersionNumber: 3, updatedAt: at });
      expect(await courses().updateCourseCurrentVersion(unique('none'), { id: v2.id, number: 9 }, nextStored())).toBe(false);
    });
  });
}
