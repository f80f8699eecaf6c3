/**
 * SCORM launches: the player frames the launcher page of the content origin
 * (`/launch/<sessionId>`), which hosts scorm-again and the SCO. The launch token travels in the
 * URL fragment, which browsers never send to a server nor in a Referer; the launcher reads it
 * and removes it from the address.
 */
import { issueLaunchToken } from '../../accounts/launch-tokens';
import type { FormatLauncher } from '../types';

/** The SCORM 1.2 / 2004 launcher. */
export const scormLauncher: FormatLauncher = async (ctx) => {
  const s = ctx.services;
  const ttlSeconds = Math.max(60, Math.min(24 * 3600, Math.floor((Date.parse(ctx.session.expiresAt) - s.now().getTime()) / 1000)));
  const auth = issueLaunchToken(s, {
    userId: ctx.user.userId,
    actor: ctx.actor,
    registration: ctx.registration.id,
    activityId: ctx.courseActivityId,
    ...(ctx.registration.orgId !== undefined ? { orgId: ctx.registration.orgId } : {}),
    ttlSeconds,
  });
  // The format lets the launcher fetch its SCORM runtime while the seed request is in flight.
  const fragment = new URLSearchParams({ auth, api: s.config.publicUrl, format: ctx.version.format });
  return { frameUrl: `${s.config.contentUrl}/launch/${encodeURIComponent(ctx.session.id)}#${fragment.toString()}` };
};
