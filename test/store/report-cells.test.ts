import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { LearningDayDelta, LearningGroup, LearningTotals, ReportScope, Store } from '../../src/store/ports';
import { coverOf, periodDays } from '../../src/store/report-cube';
import { monthOf, weekOf } from '../../src/store/report-periods';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store';

/**
 * The learning cells (ADR 0034) answer exactly what a direct computation over the learning-day
 * rows answers: a seeded random data set (random days, organizations, providers, courses and
 * learners, voided statements as negative deltas, redelivered batches, erased learners) checked
 * against a model of the rows kept here, and against the store's own GROUP BY over report_days.
 */

/** A small deterministic generator (mulberry32), so a failure repeats. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GROUPS: LearningGroup[] = ['none', 'day', 'week', 'month', 'org', 'course', 'provider'];
const COUNTERS = ['launches', 'completions', 'passes', 'failures', 'timeMs', 'statements'] as const;
const dayAt = (i: number): string => new Date(Date.UTC(2030, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);

interface Row { day: string; courseId: string; orgId: string; userId: string; providerOrgId: string; lastSeq: number; sums: Record<string, number> }

/** The rows as the port defines them, kept from the same deltas. */
class Model {
  readonly rows = new Map<string, Row>();
  apply(deltas: readonly LearningDayDelta[]): void {
    for (const d of deltas) {
      const id = JSON.stringify([d.day, d.courseId, d.orgId, d.userId]);
      let r = this.rows.get(id);
      if (r && r.lastSeq >= d.seq) continue;
      if (!r) {
        r = { day: d.day, courseId: d.courseId, orgId: d.orgId, userId: d.userId, providerOrgId: d.providerOrgId, lastSeq: 0, sums: {} };
        for (const c of COUNTERS) r.sums[c] = 0;
        this.rows.set(id, r);
      }
      for (const c of COUNTERS) r.sums[c] = (r.sums[c] ?? 0) + (c === 'timeMs' ? Math.round(d[c]) : d[c]);
      r.lastSeq = d.seq;
    }
  }
  erase(userId: string): void {
    for (const [id, r] of this.rows) if (r.userId === userId) this.rows.delete(id);
  }
  totals(scope: ReportScope, g: LearningGroup): LearningTotals[] {
    const inList = (v: string, list?: readonly string[]): boolean => list === undefined || list.includes(v);
    const out = new Map<string, { key: string; users: Set<string>; sums: Record<string, number> }>();
    for (const r of this.rows.values()) {
      if ((scope.from !== undefined && r.day < scope.from) || (scope.to !== undefined && r.day > scope.to)) continue;
      if (!inList(r.orgId, scope.orgIds) || !inList(r.providerOrgId, scope.providerOrgIds)) continue;
      const key = g === 'none' ? '' : g === 'day' ? r.day : g === 'week' ? weekOf(r.day) : g === 'month' ? monthOf(r.day)
        : g === 'org' ? r.orgId : g === 'course' ? r.courseId : g === 'provider' ? r.providerOrgId : r.userId;
      let t = out.get(key);
      if (!t) { t = { key, users: new Set(), sums: Object.fromEntries(COUNTERS.map((c) => [c, 0])) }; out.set(key, t); }
      for (const c of COUNTERS) t.sums[c] = (t.sums[c] ?? 0) + (r.sums[c] ?? 0);
      if ((r.sums['statements'] ?? 0) > 0) t.users.add(r.userId);
    }
    return [...out.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((t) => ({
      key: t.key, learners: t.users.size, launches: t.sums['launches'] ?? 0, completions: t.sums['completions'] ?? 0, passes: t.sums['passes'] ?? 0,
      failures: t.sums['failures'] ?? 0, timeMs: t.sums['timeMs'] ?? 0, statements: t.sums['statements'] ?? 0,
    }));
  }
}

/** Random deltas: statements, some voided later (the same row, a negative delta), some batches delivered twice. */
function* batches(random: () => number, n: number): Generator<LearningDayDelta[]> {
  const orgs = ['', 'o1', 'o2', 'o3'];
  const courses = Array.from({ length: 7 }, (_, i) => ({ id: `c${i}`, provider: `p${i % 3}` }));
  const users = Array.from({ length: 25 }, (_, i) => `u${i}`);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  let seq = 1;
  const past: LearningDayDelta[] = [];
  for (let b = 0; b < n; b++) {
    const batch: LearningDayDelta[] = [];
    for (let i = 0; i < 20; i++) {
      const voiding = past.length > 0 && random() < 0.15;
      if (voiding) {
        const v = pick(past);
        batch.push({
          ...v, seq: seq++, launches: -v.launches, completions: -v.completions, passes: -v.passes, failures: -v.failures,
          timeMs: -v.timeMs, statements: -v.statements,
        });
        continue;
      }
      const c = pick(courses);
      const d: LearningDayDelta = {
        day: dayAt(Math.floor(random() * 200)), courseId: c.id, providerOrgId: c.provider, orgId: pick(orgs), userId: pick(users), seq: seq++,
        launches: random() < 0.3 ? 1 : 0, completions: random() < 0.2 ? 1 : 0, passes: random() < 0.1 ? 1 : 0,
        failures: random() < 0.1 ? 1 : 0, timeMs: random() < 0.2 ? Math.floor(random() * 3_600_000) : 0, statements: 1,
      };
      batch.push(d);
      past.push(d);
    }
    yield batch;
    if (random() < 0.2) yield batch; // redelivered
  }
}

function scopes(random: () => number, count: number): ReportScope[] {
  const out: ReportScope[] = [
    { from: '2030-01-01', to: '2030-06-30' }, { from: '2030-01-01', to: '2030-07-19' }, { from: '2030-02-14', to: '2030-02-14' },
    { from: '2029-12-30', to: '2030-03-03' }, { from: '2030-03-04', to: '2030-03-10' }, { from: '2030-01-01', to: '2030-06-30', orgIds: [] },
  ];
  for (let i = 0; i < count; i++) {
    const a = Math.floor(random() * 210) - 5;
    const b = a + Math.floor(random() * 120);
    const s: { -readonly [K in keyof ReportScope]: ReportScope[K] } = { from: dayAt(a), to: dayAt(b) };
    if (random() < 0.4) s.orgIds = ['', 'o1', 'o2', 'o3'].filter(() => random() < 0.5);
    if (random() < 0.3) s.providerOrgIds = ['p0', 'p1', 'p2'].filter(() => random() < 0.5);
    out.push(s);
  }
  return out;
}

async function expectSame(store: Store, model: Model, list: readonly ReportScope[]): Promise<void> {
  for (const scope of list) {
    const got = await store.reports.findLearningTotalsByGroups(scope, GROUPS);
    expect({ scope, got }).toEqual({ scope, got: GROUPS.map((g) => model.totals(scope, g)) });
    // The store's GROUP BY over report_days (its direct computation) agrees too.
    for (const [i, g] of GROUPS.entries()) expect(got[i]).toEqual(await store.reports.findLearningTotals(scope, g));
  }
}

describe('learning cells (SQLite)', () => {
  jest.setTimeout(120_000);

  it('covers a range exactly with months, weeks and days', () => {
    for (const [from, to] of [['2030-01-01', '2030-06-30'], ['2030-01-15', '2030-03-20'], ['2029-12-31', '2030-01-06'], ['2030-02-03', '2030-02-03']]) {
      const days: string[] = [];
      for (const c of coverOf(from!, to!)) {
        const [a, b] = periodDays(c.grain, c.period);
        for (let t = Date.parse(`${a}T00:00:00Z`); t <= Date.parse(`${b}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
      }
      const want: string[] = [];
      for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) want.push(new Date(t).toISOString().slice(0, 10));
      expect(days).toEqual(want);
    }
    expect(coverOf('2030-01-01', '2030-06-30').map((c) => c.grain)).toEqual(['m', 'm', 'm', 'm', 'm', 'm']);
    expect(coverOf('2030-01-30', '2030-03-02').map((c) => c.period)).toEqual(['2030-01-30', '2030-01-31', '2030-02', '2030-03-01', '2030-03-02']);
  });

  it('answers as the rows do through voiding, redelivery, erasure and rebuild', async () => {
    const random = rng(16);
    const store = await openSqliteStore({ path: ':memory:' });
    try {
      const model = new Model();
      for (const b of batches(random, 60)) {
        await store.reports.applyLearningDays(b);
        model.apply(b);
      }
      const list = scopes(random, 40);
      await expectSame(store, model, list);

      for (const u of ['u3', 'u7', 'u11', 'nobody']) {
        await store.reports.deleteReportUser(u, ['days']);
        model.erase(u);
      }
      await expectSame(store, model, list);

      // More learning after the erasure, then a rebuild from nothing.
      for (const b of batches(rng(17), 10)) {
        const late = b.map((d) => ({ ...d, seq: d.seq + 100_000 }));
        await store.reports.applyLearningDays(late);
        model.apply(late);
      }
      await expectSame(store, model, list);
      await store.reports.resetReports(['days']);
      await expectSame(store, new Model(), list.slice(0, 3));
    } finally {
      await store.close();
    }
  });

  it('builds the cells of a database that had the rows before them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'learnhq-cells-'));
    const path = join(dir, 'r.db');
    try {
      const model = new Model();
      const first = await openSqliteStore({ path });
      for (const b of batches(rng(5), 30)) {
        await first.reports.applyLearningDays(b);
        model.apply(b);
      }
      await first.close();
      // As a database of before ADR 0034: no cells.
      const raw = new Database(path);
      raw.exec('DROP TABLE report_cells; DROP TABLE report_user_nos;');
      raw.close();
      const again = await openSqliteStore({ path });
      try {
        await expectSame(again, model, scopes(rng(6), 20));
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
