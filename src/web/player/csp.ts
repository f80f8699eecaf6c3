/**
 * The Content-Security-Policy of the player page, in one place. The page runs only our bundle and
 * frames only: the content origin (the launcher and packaged AUs), the origins of the course's own
 * units at absolute URLs (cmi5 AUs hosted elsewhere), and this origin (the return page that
 * content reaches through its cmi5 returnURL, src/web/player/return-page.ts).
 */
import { appCspDirectives } from '../../http/security-headers';
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

/**
 * The header value for a player page whose course is `model`: the app's one policy
 * (src/http/security-headers.ts) with `frame-src` widened to this origin (the return page) and the
 * course's own external unit origins.
 */
export function playerPageCsp(contentOrigin: string, model: CourseModel): string {
  const directives = appCspDirectives({ contentUrl: contentOrigin });
  const frames = ["'self'", contentOrigin, ...externalUnitOrigins(model).filter((o) => o !== contentOrigin)];
  return Object.entries({ ...directives, 'frame-src': frames }).map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}
