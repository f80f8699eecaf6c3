/**
 * Learning totals of several groupings folded from one pass over learning-day rows (both engines
 * read the rows in scope once and fold them here). Distinct learners are counted per group over
 * interned user numbers, so a row costs a few map lookups per grouping.
 */
import type { LearningGroup, LearningTotals } from './ports';
import { monthOf, weekOf } from './report-periods';

/** One learning-day row as the fold reads it: [day, course, org, provider, user, launches, completions, passes, failures, timeMs, statements]. */
export type DayTuple = [string, string, string, string, string, number, number, number, number, number, number];

interface Acc { key: string; users: Set<number>; launches: number; completions: number; passes: number; failures: number; timeMs: number; statements: number }

/** Folds day rows into totals per group, each list ordered by key as findLearningTotals orders it. */
export class LearningFold {
  private readonly maps: Map<string, Acc>[];
  private readonly userNo = new Map<string, number>();
  private readonly weeks = new Map<string, string>();

  constructor(private readonly groups: readonly LearningGroup[]) {
    this.maps = groups.map(() => new Map());
  }

  private keyOf(g: LearningGroup, r: DayTuple): string {
    switch (g) {
      case 'none': return '';
      case 'day': return r[0];
      case 'week': {
        let w = this.weeks.get(r[0]);
        if (w === undefined) { w = weekOf(r[0]); this.weeks.set(r[0], w); }
        return w;
      }
      case 'month': return monthOf(r[0]);
      case 'course': return r[1];
      case 'org': return r[2];
      case 'provider': return r[3];
      case 'user': return r[4];
    }
  }

  add(r: DayTuple): void {
    let u = -1;
    if (r[10] > 0) {
      const known = this.userNo.get(r[4]);
      if (known === undefined) { u = this.userNo.size; this.userNo.set(r[4], u); } else u = known;
    }
    for (let i = 0; i < this.groups.length; i++) {
      const map = this.maps[i]!;
      const key = this.keyOf(this.groups[i]!, r);
      let a = map.get(key);
      if (a === undefined) {
        a = { key, users: new Set(), launches: 0, completions: 0, passes: 0, failures: 0, timeMs: 0, statements: 0 };
        map.set(key, a);
      }
      a.launches += r[5]; a.completions += r[6]; a.passes += r[7]; a.failures += r[8]; a.timeMs += r[9]; a.statements += r[10];
      if (u >= 0) a.users.add(u);
    }
  }

  result(): LearningTotals[][] {
    return this.maps.map((map) => [...map.values()]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ users, ...t }) => ({ ...t, learners: users.size })));
  }
}
