/**
 * Item analysis sums (ReportStore.findItemStats) folded from interaction rows: the reference the
 * SQLite engine's SQL answers like (contract), and the MongoDB engine's way of answering.
 */
import type { ItemAggregate, ReportInteraction } from './ports';

/** Sums rows (in seq order) per question, ordered by activity id. */
export function itemAggregatesOf(rows: readonly ReportInteraction[]): ItemAggregate[] {
  interface Acc {
    activityId: string; first: ReportInteraction; named?: ReportInteraction; answers: number; users: Set<string>; orgs: Set<string>;
    judged: number; correct: number; timed: number; timeMs: number; wrong: Map<string, number>;
  }
  const byItem = new Map<string, Acc>();
  const sorted = [...rows].sort((a, b) => a.seq - b.seq);
  for (const r of sorted) {
    let a = byItem.get(r.activityId);
    if (!a) {
      a = { activityId: r.activityId, first: r, answers: 0, users: new Set(), orgs: new Set(), judged: 0, correct: 0, timed: 0, timeMs: 0, wrong: new Map() };
      byItem.set(r.activityId, a);
    }
    if (a.named === undefined && r.name !== '') a.named = r;
    a.answers += 1;
    a.users.add(r.userId);
    a.orgs.add(r.orgId);
    if (r.correct !== undefined) a.judged += 1;
    if (r.correct === true) a.correct += 1;
    if (r.correct === false) a.wrong.set(r.response, (a.wrong.get(r.response) ?? 0) + 1);
    if (r.durationMs !== undefined) { a.timed += 1; a.timeMs += r.durationMs; }
  }
  const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...byItem.values()].sort((a, b) => byText(a.activityId, b.activityId)).map((a) => {
    const head = a.named ?? a.first;
    return {
      activityId: a.activityId, name: head.name, interactionType: head.interactionType, answers: a.answers, learners: a.users.size,
      orgIds: [...a.orgs].sort(byText), judged: a.judged, correct: a.correct, timed: a.timed, timeMs: a.timeMs,
      wrong: [...a.wrong.entries()].sort((x, y) => byText(x[0], y[0])).map(([response, count]) => ({ response, count })),
    };
  });
}
