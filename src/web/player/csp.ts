/**
 * The Content-Security-Policy of the player page, in one place. The page runs only our bundle and
 * frames only: the content origin (the launcher and packaged AUs), the origins of the course's own
 * units at absolute URLs (cmi5 AUs hosted elsewhere), and this origin (the return page that
 * content reaches through its cmi5 returnURL, src/web/player/return-page.ts).
 */
import type { CourseModel } from '../../packages/course-model';

/** Origins of a course's units launched from absolute http(s) URLs, sorted, without duplicates. */
export function externalUnitOrigins(model: CourseModel): string[] {
  const origins = new Set<string>();
  for (const l of model.launchables) {
    if (!l.external) continue;
    try {
      const u = new URL(l.launchUrl);
      if (u.protocol === 'https:' || u.protocol === 'http:') origins.add(u.origin);
    } catch {
      // Not a URL: nothing to allow.
    }
  }
  return [...origins].sort();
}

/** The header value for a player page whose course is `model`. */
export function playerPageCsp(contentOrigin: string, model: CourseModel): string {
  const frames = ["'self'", contentOrigin, ...externalUnitOrigins(model).filter((o) => o !== contentOrigin)];
  return [
    "default-src 'self'", `frame-src ${frames.join(' ')}`, "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
  ].join('; ');
}
