/**
 * Pre-aggregated learning cells (ADR 0034): the learning-day rows summed per period (day, month)
 * at four levels, each cell keeping its sums, how many learning-day rows it holds and the
 * learners (with a counted statement) among them:
 *
 * - level 0: (period, provider), every organization and course together;
 * - level 1: (period, learner organization, provider), every course together;
 * - level 2: (period, provider, course), every organization together;
 * - level 3: (period, learner organization, provider, course).
 *
 * A report over a date range reads the cells that cover it (whole months, and days at the edges) instead of every learner's row, and unites the cells' learner sets for exact
 * distinct counts. Pure: the engines store and read the cells.
 */
import type { LearningGroup, LearningTotals, ReportScope } from './ports';
import { monthOf, weekOf } from './report-periods';

export type Grain = 'd' | 'm';
export type CellLevel = 0 | 1 | 2 | 3;

/** Stands for "every organization" / "every course" in a cell's key. */
export const ALL = '*';

/** A cell's identity. */
export interface CellKey {
  readonly level: CellLevel;
  readonly grain: Grain;
  readonly period: string;
  readonly orgId: string;
  readonly providerOrgId: string;
  readonly courseId: string;
}

/** The eight cells a learning-day row belongs to. */
export function cellsOfRow(day: string, orgId: string, providerOrgId: string, courseId: string): CellKey[] {
  const out: CellKey[] = [];
  for (const [grain, period] of [['d', day], ['m', monthOf(day)]] as const) {
    out.push({ level: 0, grain, period, orgId: ALL, providerOrgId, courseId: ALL });
    out.push({ level: 1, grain, period, orgId, providerOrgId, courseId: ALL });
    out.push({ level: 2, grain, period, orgId: ALL, providerOrgId, courseId });
    out.push({ level: 3, grain, period, orgId, providerOrgId, courseId });
  }
  return out;
}

export function cellId(k: CellKey): string {
  return `${k.level}\u0000${k.grain}\u0000${k.period}\u0000${k.orgId}\u0000${k.providerOrgId}\u0000${k.courseId}`;
}

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ms = (day: string): number => Date.parse(`${day}T00:00:00.000Z`);
const dayOf = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** First and last day of a cell's period. */
export function periodDays(grain: Grain, period: string): [string, string] {
  if (grain === 'd') return [period, period];
  const [y, m] = period.split('-').map(Number) as [number, number];
  return [`${period}-01`, dayOf(Date.UTC(y, m, 1) - DAY_MS)];
}

/**
 * The periods covering [from, to] exactly: whole months, days for the rest. (Week cells would
 * shorten the edges but cost every write a third more cells: not kept.)
 */
export function coverOf(from: string, to: string): { grain: Grain; period: string }[] {
  const out: { grain: Grain; period: string }[] = [];
  const end = ms(to);
  let t = ms(from);
  while (t <= end) {
    const d = new Date(t);
    const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - DAY_MS;
    if (t === monthStart && monthEnd <= end) {
      out.push({ grain: 'm', period: dayOf(t).slice(0, 7) });
      t = monthEnd + DAY_MS;
      continue;
    }
    // A partial month: its days.
    const pieceEnd = Math.min(end, monthEnd);
    for (; t <= pieceEnd; t += DAY_MS) out.push({ grain: 'd', period: dayOf(t) });
  }
  return out;
}

/** Groupings the cells answer. */
const CELL_GROUPS = new Set<LearningGroup>(['none', 'day', 'week', 'month', 'course', 'org', 'provider']);

/** At most this many days in a range read from cells (a larger one reads the rows). */
const MAX_DAYS = 3700;

/** Whether the cells can answer this read: a bounded range and no course or learner filter. */
export function cellsAnswer(scope: ReportScope, groups: readonly LearningGroup[]): boolean {
  if (scope.from === undefined || scope.to === undefined || !DAY.test(scope.from) || !DAY.test(scope.to)) return false;
  if (Number.isNaN(ms(scope.from)) || Number.isNaN(ms(scope.to)) || ms(scope.to) - ms(scope.from) > MAX_DAYS * DAY_MS) return false;
  if (scope.courseIds !== undefined || scope.userIds !== undefined) return false;
  return groups.every((g) => CELL_GROUPS.has(g));
}

/** What one read of cells asks: a level and grain, and its periods. */
export interface CellRead {
  readonly level: CellLevel;
  readonly grain: Grain;
  readonly periods: readonly string[];
}

/** A cell as read back. */
export interface CellRow {
  readonly grain: Grain;
  readonly period: string;
  readonly orgId: string;
  readonly providerOrgId: string;
  readonly courseId: string;
  readonly launches: number;
  readonly completions: number;
  readonly passes: number;
  readonly failures: number;
  readonly timeMs: number;
  readonly statements: number;
  /** Numbers of the learners with a counted statement in the cell (below the read's maxUserNo + 1). */
  readonly users: Uint32Array;
}

/** Distinct learner numbers of one group: a bit per number when the read's bitsets stay small, else a set. */
interface Acc { key: string; bits?: Uint32Array; set?: Set<number>; launches: number; completions: number; passes: number; failures: number; timeMs: number; statements: number }

/** Bitsets of all groups of a read together stay under this many 32-bit words (32 MB); past it, sets. */
const MAX_BIT_WORDS = 8_000_000;

function popcount(bits: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < bits.length; i++) {
    let v = bits[i]!;
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return n;
}

/** One grouping's plan: its level, and for each (grain, period) of a cell the group key of its time part. */
interface Plan {
  readonly group: LearningGroup;
  readonly level: CellLevel;
  readonly timeKey: Map<string, string>;
}

/**
 * Plans a read of cells for these groupings (cellsAnswer must hold): the reads to make, and a fold
 * that turns the cells read into what findLearningTotalsByGroups answers.
 */
export function planCellRead(scope: ReportScope, groups: readonly LearningGroup[], maxUserNo: number): { reads: CellRead[]; fold: (level: CellLevel, rows: Iterable<CellRow>) => void; result: () => LearningTotals[][] } {
  const from = scope.from as string;
  const to = scope.to as string;
  const segments = (g: LearningGroup): [string, string, string][] => {
    if (g !== 'day' && g !== 'week' && g !== 'month') return [['', from, to]];
    const out: [string, string, string][] = [];
    const end = ms(to);
    for (let t = ms(from); t <= end;) {
      const day = dayOf(t);
      const key = g === 'day' ? day : g === 'week' ? weekOf(day) : monthOf(day);
      const last = g === 'day' ? day : g === 'week' ? dayOf(ms(key) + 6 * DAY_MS) : periodDays('m', key)[1];
      const segEnd = last < to ? last : to;
      out.push([key, day, segEnd]);
      t = ms(segEnd) + DAY_MS;
    }
    return out;
  };
  const plans: Plan[] = groups.map((group) => {
    const orgs = scope.orgIds !== undefined;
    const level: CellLevel = group === 'course' ? (orgs ? 3 : 2) : group === 'org' || orgs ? 1 : 0;
    const timeKey = new Map<string, string>();
    for (const [key, a, b] of segments(group)) for (const c of coverOf(a, b)) timeKey.set(`${c.grain}|${c.period}`, key);
    return { group, level, timeKey };
  });
  // One read per (level, grain) with every period any grouping of that level needs.
  const wanted = new Map<string, { level: CellLevel; grain: Grain; periods: Set<string> }>();
  for (const p of plans) {
    for (const gp of p.timeKey.keys()) {
      const [grain, period] = gp.split('|') as [Grain, string];
      const id = `${p.level}|${grain}`;
      let w = wanted.get(id);
      if (!w) { w = { level: p.level, grain, periods: new Set() }; wanted.set(id, w); }
      w.periods.add(period);
    }
  }
  const maps = plans.map(() => new Map<string, Acc>());
  const words = (maxUserNo >>> 5) + 1;
  let bitWords = 0;
  const fold = (level: CellLevel, rows: Iterable<CellRow>): void => {
    const mine = plans.flatMap((p, i) => (p.level === level ? [i] : []));
    for (const r of rows) {
      const gp = `${r.grain}|${r.period}`;
      for (const i of mine) {
        const p = plans[i]!;
        const time = p.timeKey.get(gp);
        if (time === undefined) continue;
        const key = p.group === 'org' ? r.orgId : p.group === 'provider' ? r.providerOrgId : p.group === 'course' ? r.courseId : time;
        const map = maps[i]!;
        let a = map.get(key);
        if (a === undefined) {
          const small = bitWords + words <= MAX_BIT_WORDS;
          if (small) bitWords += words;
          a = { key, ...(small ? { bits: new Uint32Array(words) } : { set: new Set<number>() }), launches: 0, completions: 0, passes: 0, failures: 0, timeMs: 0, statements: 0 };
          map.set(key, a);
        }
        a.launches += r.launches; a.completions += r.completions; a.passes += r.passes; a.failures += r.failures;
        a.timeMs += r.timeMs; a.statements += r.statements;
        const users = r.users;
        const bits = a.bits;
        if (bits !== undefined) {
          for (let j = 0; j < users.length; j++) { const u = users[j]!; bits[u >>> 5]! |= 1 << (u & 31); }
        } else {
          for (let j = 0; j < users.length; j++) a.set!.add(users[j]!);
        }
      }
    }
  };
  const result = (): LearningTotals[][] => maps.map((map) => [...map.values()]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ bits, set, ...t }) => ({ ...t, learners: bits !== undefined ? popcount(bits) : set?.size ?? 0 })));
  return { reads: [...wanted.values()].map((w) => ({ level: w.level, grain: w.grain, periods: [...w.periods] })), fold, result };
}
