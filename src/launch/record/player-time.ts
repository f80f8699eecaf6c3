/**
 * Time measured by LearnHQ's player page: the page reports how long it has been open and visible
 * (player/presence.ts), and that time stands in for an attempt's time when the content reports
 * none (read-records.ts). A report is the session's running total, so reports are idempotent and
 * may arrive in any order; it is capped at the time since the session was opened, so no page can
 * claim more time than has passed. Review sessions change nothing, as elsewhere in the player.
 */
import type { UserContext } from '../../accounts/user-context';
import type { AppServices } from '../../deps';
import { badRequest } from '../../errors';
import { ownSession } from '../service';

/** Slack for the clocks of the page and of the server. */
const CLOCK_SLACK_SECONDS = 5;

/** Validates a report `{ seconds }`; the message names the property. */
export function parsePlayerTime(body: unknown): number {
  const seconds = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['seconds'] : undefined;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw badRequest(`seconds: must be a number of seconds, 0 or more, got ${JSON.stringify(seconds)}`);
  }
  return seconds;
}

/** Records the player page's running total for a session of the signed-in learner (404/403/409 as for the player page). */
export async function recordPlayerTime(s: AppServices, user: UserContext, sessionId: string, seconds: number): Promise<void> {
  const session = await ownSession(s, user, sessionId);
  if (session.mode === 'review') return;
  const elapsed = (s.now().getTime() - Date.parse(session.createdAt)) / 1000 + CLOCK_SLACK_SECONDS;
  await s.store.launch.recordPlayerTime(session.id, Math.round(Math.min(seconds, Math.max(0, elapsed)) * 10) / 10);
}
