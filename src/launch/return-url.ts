/**
 * Where content sends the learner when it is done (cmi5 LMS.LaunchData returnURL): an app-origin
 * page that brings the learner back to the course page at the top level, whether the content
 * follows it inside the player's frame, in its own window or as the whole page
 * (src/web/player/return-page.ts).
 */
import type { Config } from '../config';

/** The return URL of a course. */
export function returnUrlOf(config: Pick<Config, 'publicUrl'>, courseId: string): string {
  return `${config.publicUrl}/courses/${encodeURIComponent(courseId)}/return`;
}
