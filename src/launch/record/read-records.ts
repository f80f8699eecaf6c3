/**
 * Reads the learner records of registrations, each figure from the one place that holds it:
 * - SCORM 1.2 and 2004: the attempt rows, which the runtime writes at every commit (the course
 *   rollup of the SCOs' cmi data, the sum of their total times).
 * - xAPI (TinCan) and cmi5: the statements. Status and score come from the progress projection's
 *   course row of the registration, which the statements move; a registration has one attempt
 *   (a retake needs a new registration: cmi5 3.0 "Registration"), so the row is that attempt's.
 *   Time: cmi5 AUs must report each session's duration in terminated (the LMS in abandoned), and
 *   the projection sums those; a TinCan course's time is what its statements' durations cover
 *   (reported-time.ts), read from its statements.
 * - When the content reports no time, the attempt's time is what the player page measured
 *   (LaunchSession.playerSeconds), marked timeSource 'player'.
 * Reads are batched: one query per kind of record for any number of registrations, plus one
 * statement query per TinCan registration.
 */
import type { AppServices } from '../../deps';
import type { PackageFormat } from '../../packages/course-model';
import type { Attempt, ProgressRecord } from '../../store/ports';
import type { JsonObject } from '../../xapi/model/types';
import { summarise, type AttemptRecord, type RegistrationRecord } from './record';
import { reportedSeconds } from './reported-time';

/** A registration to read the record of. */
export interface RegistrationRef {
  readonly id: string;
  readonly versionId: string;
}

const STATEMENT_PAGE = 500;
const STATEMENT_READS_AT_ONCE = 8;

/** The learner's statements in a registration, oldest first (voided ones left out by the store). */
async function statementsOf(s: AppServices, registration: string, agentKey: string): Promise<JsonObject[]> {
  const out: JsonObject[] = [];
  let afterSeq: number | undefined;
  for (;;) {
    const page = await s.store.statements.findStatements({
      allRefs: [`r|${registration}`, `A|${agentKey}`], ascending: true, limit: STATEMENT_PAGE, ...(afterSeq !== undefined ? { afterSeq } : {}),
    });
    for (const st of page.statements) out.push(st.statement as JsonObject);
    if (page.nextAfterSeq === undefined) return out;
    afterSeq = page.nextAfterSeq;
  }
}

function fromAttempt(a: Attempt): AttemptRecord {
  return {
    id: a.id, number: a.number, completion: a.completion, success: a.success,
    ...(a.scoreScaled !== undefined ? { scoreScaled: a.scoreScaled } : {}),
    totalSeconds: a.totalSeconds, timeSource: 'content', suspended: a.suspended, startedAt: a.createdAt, updatedAt: a.updatedAt,
    ...(a.completedAt !== undefined ? { completedAt: a.completedAt } : {}),
  };
}

/** The xAPI/cmi5 attempt from the registration's projection row and the time the content reported or the player measured. */
function fromStatements(a: Attempt, row: ProgressRecord, contentSeconds: number, playerSeconds: number): AttemptRecord {
  const time = contentSeconds > 0 || playerSeconds <= 0
    ? { totalSeconds: contentSeconds, timeSource: 'content' as const }
    : { totalSeconds: Math.round(playerSeconds), timeSource: 'player' as const };
  const updatedAt = row.lastActivityAt !== undefined && row.lastActivityAt > a.updatedAt ? row.lastActivityAt : a.updatedAt;
  return {
    id: a.id, number: a.number, completion: row.completion, success: row.success,
    ...(row.scoreScaled !== undefined ? { scoreScaled: row.scoreScaled } : {}),
    ...time, suspended: false, startedAt: a.createdAt, updatedAt,
  };
}

const xapiFormat = (f: PackageFormat | undefined): boolean => f === 'tincan' || f === 'cmi5';

/** The records of these registrations, by registration id; a registration without attempts has an empty record. */
export async function readRecords(s: AppServices, refs: readonly RegistrationRef[]): Promise<Map<string, RegistrationRecord>> {
  const formats = new Map<string, PackageFormat>();
  for (const versionId of new Set(refs.map((r) => r.versionId))) {
    const v = await s.store.courses.findVersion(versionId);
    if (v) formats.set(versionId, v.format);
  }
  const attemptsByReg = new Map<string, Attempt[]>();
  for (const a of await s.store.launch.findAttemptsOf(refs.map((r) => r.id))) {
    attemptsByReg.set(a.registrationId, [...(attemptsByReg.get(a.registrationId) ?? []), a]);
  }
  const xapi = refs.filter((r) => xapiFormat(formats.get(r.versionId)));
  const rows = new Map((await s.store.progress.findProgressTracks(xapi.map((r) => r.id.toLowerCase()))).map((row) => [row.registration, row]));
  const lastIds = xapi.flatMap((r) => attemptsByReg.get(r.id)?.slice(-1).map((a) => a.id) ?? []);
  const playerSeconds = new Map<string, number>();
  for (const session of await s.store.launch.findLaunchSessions({ attemptIds: lastIds })) {
    playerSeconds.set(session.attemptId, (playerSeconds.get(session.attemptId) ?? 0) + (session.playerSeconds ?? 0));
  }
  const tincanSeconds = new Map<string, number>();
  const tincan = xapi.filter((r) => formats.get(r.versionId) === 'tincan');
  // A few statement reads at a time: an analyst's list may hold a thousand registrations.
  for (let i = 0; i < tincan.length; i += STATEMENT_READS_AT_ONCE) {
    await Promise.all(tincan.slice(i, i + STATEMENT_READS_AT_ONCE).map(async (r) => {
      const row = rows.get(r.id.toLowerCase());
      if (row) tincanSeconds.set(r.id, reportedSeconds(await statementsOf(s, row.registration, row.agentKey)));
    }));
  }

  const out = new Map<string, RegistrationRecord>();
  for (const ref of refs) {
    const format = formats.get(ref.versionId) ?? 'scorm12';
    const stored = attemptsByReg.get(ref.id) ?? [];
    const row = xapiFormat(format) ? rows.get(ref.id.toLowerCase()) : undefined;
    const attempts = stored.map((a, i) => {
      if (!row || i !== stored.length - 1) return fromAttempt(a);
      const content = format === 'cmi5' ? row.timeSeconds : (tincanSeconds.get(ref.id) ?? 0);
      return fromStatements(a, row, content, playerSeconds.get(a.id) ?? 0);
    });
    out.set(ref.id, { registrationId: ref.id, format, attempts, summary: summarise(attempts) });
  }
  return out;
}

/** The record of one registration. */
export async function readRecord(s: AppServices, ref: RegistrationRef): Promise<RegistrationRecord> {
  const record = (await readRecords(s, [ref])).get(ref.id);
  if (!record) throw new Error(`no record read for registration ${ref.id}`);
  return record;
}
