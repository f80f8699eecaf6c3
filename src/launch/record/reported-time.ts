/**
 * Time an xAPI (TinCan) course reports about itself: the length of the union of the spans its
 * statements' durations cover. A statement with `result.duration` D and timestamp T says the
 * learner spent [T − D, T] on it. Content reports time in many ways — a game one PT5S statement
 * per round, a course a `completed` whose duration is the whole sitting, some both a `suspended`
 * and a `terminated` for one sitting — and the spans of one sitting overlap while sittings do not,
 * so the union counts every second reported once: the rounds add up, a sitting's suspended and
 * terminated count once (issue 17 items 10 and 17). Pure; no I/O.
 */
import { durationMs } from '../progress/derive';
import { isJsonObject, type JsonObject } from '../../xapi/model/types';

/** The end of a statement's span: its timestamp, else its stored time; NaN when neither parses. */
function endOf(s: JsonObject): number {
  for (const k of ['timestamp', 'stored']) {
    const v = s[k];
    if (typeof v === 'string') {
      const t = Date.parse(v);
      if (!Number.isNaN(t)) return t;
    }
  }
  return Number.NaN;
}

/** Seconds covered by the durations the statements report (0 when none reports one). */
export function reportedSeconds(statements: readonly JsonObject[]): number {
  const spans: [number, number][] = [];
  for (const s of statements) {
    const result = s['result'];
    const d = isJsonObject(result) ? durationMs(result['duration']) : 0;
    const end = endOf(s);
    if (d > 0 && Number.isFinite(end)) spans.push([end - d, end]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let from = Number.NEGATIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const [a, b] of spans) {
    if (a > to) {
      if (to > from) total += to - from;
      from = a;
      to = b;
    } else if (b > to) {
      to = b;
    }
  }
  if (to > from) total += to - from;
  return Math.round(total) / 1000;
}
