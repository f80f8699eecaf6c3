/**
 * Learning that counts without a course registration (ADR 0019): an opportunity (webinar,
 * workshop...) the person attended, and self-reported learning an approver accepted. The rules of
 * when each counts as completed and for how long live here once: the learner's dashboard and
 * transcript (dashboard.ts) and the people report's staff table (src/reports/people.ts) read them.
 */
import { entriesByIds } from '../catalog/course-entries';
import type { AppServices } from '../deps';
import type { CatalogEntry, OpportunityRegistration, SelfReport } from '../store/ports';

/** When a completion outside courses happened, how long it took, and its CE credits. */
export interface OutsideCompletion {
  readonly completedAt: string;
  readonly timeSeconds: number;
  readonly ceCredits?: number;
}

/** An attended opportunity: completed when it ended (else started, else when attendance was marked); its duration is its learning time. */
export function attendedCompletion(e: CatalogEntry, r: OpportunityRegistration): OutsideCompletion {
  return { completedAt: e.endsAt ?? e.startsAt ?? r.updatedAt, timeSeconds: (e.durationMinutes ?? 0) * 60, ...(e.ceCredits !== undefined ? { ceCredits: e.ceCredits } : {}) };
}

/** An approved self-report: completed at noon UTC of the day reported, with the hours reported. */
export function selfReportCompletion(r: SelfReport): OutsideCompletion {
  return { completedAt: `${r.completedOn}T12:00:00.000Z`, timeSeconds: Math.round((r.hours ?? 0) * 3600), ...(r.ceCredits !== undefined ? { ceCredits: r.ceCredits } : {}) };
}

/**
 * Per person of `userIds`, their completions outside courses: every opportunity they attended and
 * their self-reports approved in `orgId`. Three reads whatever the number of people.
 */
export async function outsideCompletionsOf(s: Pick<AppServices, 'store'>, orgId: string, userIds: readonly string[]): Promise<Map<string, OutsideCompletion[]>> {
  const out = new Map<string, OutsideCompletion[]>();
  const add = (userId: string, c: OutsideCompletion): void => {
    const list = out.get(userId);
    if (list) list.push(c);
    else out.set(userId, [c]);
  };
  if (userIds.length === 0) return out;
  const attended = (await s.store.learning.findOpportunityRegistrations({ userIds })).filter((r) => r.state === 'attended');
  const entries = new Map((await entriesByIds(s, [...new Set(attended.map((r) => r.entryId))])).map((e) => [e.id, e]));
  for (const r of attended) {
    const e = entries.get(r.entryId);
    if (e) add(r.userId, attendedCompletion(e, r));
  }
  const wanted = new Set(userIds);
  for (const r of await s.store.learning.findSelfReports({ orgIds: [orgId] })) {
    if (r.state === 'approved' && wanted.has(r.userId)) add(r.userId, selfReportCompletion(r));
  }
  return out;
}
