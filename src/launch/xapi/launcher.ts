/**
 * xAPI (TinCan) launch: the package's launch file on the content origin with the TinCan launch
 * parameters (rustici "launch.md"): endpoint (our LRS, with a trailing slash), auth (the launch
 * token's Authorization value, `Basic ...`), actor (the learner's Agent as JSON), registration and
 * activity_id. The token can only write and read this learner's statements and State in this
 * registration (src/xapi/auth/restriction.ts), so handing it to untrusted content is safe.
 */
import { issueLaunchToken, LAUNCH_TOKEN_TTL_SECONDS } from '../../accounts/launch-tokens';
import { badRequest, conflict } from '../../errors';
import type { TinCanActivity, TinCanCourseModel } from '../../packages/course-model';
import { ensureProgressTrack, forgetUnknownRegistration } from '../progress/tracks';
import type { FormatLauncher, LaunchContext } from '../types';

/** The TinCan launch URL parameters, in the order content usually logs them. */
export interface TinCanLaunchParams {
  readonly endpoint: string;
  readonly auth: string;
  readonly actor: Record<string, unknown>;
  readonly registration: string;
  readonly activityId: string;
}

/** Appends the launch parameters to a launch URL (keeping the package's own query and fragment). */
export function tincanLaunchUrl(base: string, p: TinCanLaunchParams): string {
  const url = new URL(base);
  url.searchParams.set('endpoint', p.endpoint);
  url.searchParams.set('auth', p.auth);
  url.searchParams.set('actor', JSON.stringify(p.actor));
  url.searchParams.set('registration', p.registration);
  url.searchParams.set('activity_id', p.activityId);
  return url.toString();
}

/** The activity to launch: the one the learner chose (scoId), else the main activity. */
function activityToLaunch(model: TinCanCourseModel, chosen: string | undefined): TinCanActivity {
  const id = chosen ?? model.mainActivityId;
  const a = model.activities.find((x) => x.id === id && x.launch !== undefined);
  if (!a) throw badRequest(`scoId: "${id}" is not a launchable activity of this course`);
  return a;
}

/** Absolute URL of a package file (or the external URL as it is). */
export function contentFileUrl(ctx: Pick<LaunchContext, 'services' | 'version'>, launch: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(launch)) return launch;
  // Model launch paths are package-relative with their percent-encoding kept (course-model.ts).
  return `${ctx.services.config.contentUrl}/content/${encodeURIComponent(ctx.version.fileSetId)}/${launch}`;
}

/** FormatLauncher for `tincan` courses (plug into launchRouter options.launchers.tincan). */
export const tincanLauncher: FormatLauncher = async (ctx) => {
  const model = ctx.version.model;
  if (model.format !== 'tincan') throw conflict(`course version ${ctx.version.id} is not an xAPI (TinCan) package`);
  const activity = activityToLaunch(model, ctx.session.scoId);
  const s = ctx.services;
  await ensureProgressTrack(s, ctx.registration, model);
  forgetUnknownRegistration(s.store, ctx.registration.id);
  const ttl = Math.max(1, Math.min(LAUNCH_TOKEN_TTL_SECONDS, Math.floor((Date.parse(ctx.session.expiresAt) - s.now().getTime()) / 1000)));
  const auth = issueLaunchToken(s, {
    userId: ctx.user.userId, actor: ctx.actor, registration: ctx.registration.id, activityId: activity.id,
    ...(ctx.registration.orgId !== undefined ? { orgId: ctx.registration.orgId } : {}), ttlSeconds: ttl,
  });
  const frameUrl = tincanLaunchUrl(contentFileUrl(ctx, activity.launch ?? ''), {
    endpoint: `${s.config.publicUrl}/xapi/`, auth, actor: ctx.actor, registration: ctx.registration.id, activityId: activity.id,
  });
  return { frameUrl, unitId: activity.id };
};
