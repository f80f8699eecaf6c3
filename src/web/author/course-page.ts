import type { Response } from 'express';
import { getCourseDetail, type CourseServices } from '../../packages/service';
import { sendPage, signedIn } from '../accounts/render';
import { courseView } from './views';

/** Renders /author/courses/:id (also after a refused form, with the error as notice). */
export async function authorCourseView(
  s: CourseServices,
  res: Response,
  courseId: string,
  notice?: { kind: 'info' | 'error'; text: string },
  status = 200,
): Promise<void> {
  const user = signedIn(res);
  const detail = await getCourseDetail(s, user, courseId);
  const org = await s.store.accounts.findOrganization(detail.course.orgId);
  sendPage(res, status, {
    title: detail.course.title,
    body: courseView(user, detail, org?.name ?? detail.course.orgId),
    scripts: ['/static/upload.js'],
    ...(notice ? { notice } : {}),
  });
}
