/**
 * The report projections' pipeline subscribers (issue 16): learning days, attempts, interactions.
 * Each keeps its own cursor, so one can be rebuilt without the others. The composition root
 * registers them with the pipeline engine (src/reports/register.ts).
 */
import type { Config } from '../config';
import type { PipelineEvent, Subscriber } from '../pipeline/types';
import type { ReportPart, Store, StoredStatement } from '../store/ports';
import { registrationOf } from '../launch/progress/derive';
import { forgetRegistrations, lookUpRegistrations } from '../launch/progress/tracks';
import { agentKey } from '../xapi/model/agent-key';
import type { JsonObject } from '../xapi/model/types';
import { attemptOf, interactionOf, learningDayOf, type RegistrationFacts } from './facts';

export interface ReportSubscriberDeps {
  readonly store: Store;
  readonly config: Pick<Config, 'publicUrl'>;
}

/** Names of the report subscribers (their cursor keys). */
export const REPORT_SUBSCRIBERS = { days: 'report-days', attempts: 'report-attempts', interactions: 'report-interactions' } as const;

/**
 * Resolves registrations to learner, course and organizations: the progress track when there is
 * one (it also names the course-level activities), else the player's registration record (the
 * progress subscriber may not have created the track yet; the pipeline orders no subscriber
 * before another). Course owners are cached for the life of the process: a course never changes
 * organization.
 */
export function createRegistrationResolver(deps: ReportSubscriberDeps): (regs: Iterable<string>) => Promise<Map<string, RegistrationFacts>> {
  const owners = new Map<string, string>();
  const ownerOf = async (courseId: string): Promise<string> => {
    const known = owners.get(courseId);
    if (known !== undefined) return known;
    const course = await deps.store.courses.findCourse(courseId);
    const owner = course?.orgId ?? '';
    if (course) owners.set(courseId, owner);
    return owner;
  };
  return async (regs) => {
    // One lookup shared with the progress subscriber (launch/progress/tracks.ts): registrations
    // it or an earlier batch here looked up (nobody launched them, or their track) cost no read.
    const { tracks, untracked } = await lookUpRegistrations(deps.store, regs);
    const out = new Map<string, RegistrationFacts>();
    for (const t of tracks.values()) {
      out.set(t.registration, {
        registration: t.registration, userId: t.userId, courseId: t.courseId, providerOrgId: await ownerOf(t.courseId),
        orgId: t.orgId ?? '', agentKey: t.agentKey, courseActivityIds: t.courseActivityIds,
      });
    }
    for (const [r, reg] of untracked) {
      out.set(r, {
        registration: r, userId: reg.userId, courseId: reg.courseId, providerOrgId: await ownerOf(reg.courseId),
        orgId: reg.orgId ?? '', agentKey: `account:${deps.config.publicUrl}|${reg.userId}`, courseActivityIds: [],
      });
    }
    return out;
  };
}

/** A statement that counts, with the registration it counts for. */
interface Counted {
  readonly kind: 'stored' | 'voided';
  /** The event's seq (for a voided statement, the voiding event's). */
  readonly seq: number;
  readonly statement: StoredStatement;
  readonly reg: RegistrationFacts;
}

/**
 * Turns a batch into the statements that count, in order: stored statements of known
 * registrations by their learner, and the statements voided in the batch (read back from the log,
 * where a voided statement stays) so their part can be taken out. A batch whose registrations are
 * all unknown (an outside tool's) costs one pass and no allocation per statement.
 */
async function countedOf(deps: ReportSubscriberDeps, resolve: ReturnType<typeof createRegistrationResolver>, events: readonly PipelineEvent[]): Promise<Counted[]> {
  const voidedIds: string[] = [];
  for (const e of events) if (e.kind === 'voided') voidedIds.push(e.voidedId);
  const voided = voidedIds.length > 0 ? new Map((await deps.store.statements.findStatementsByIds(voidedIds)).map((s) => [s.id, s])) : undefined;
  const statementOf = (e: PipelineEvent): StoredStatement | undefined => (e.kind === 'stored' ? e.statement : e.kind === 'voided' ? voided?.get(e.voidedId) : undefined);
  // Each event's registration, read once for the lookup and the match below.
  const regOf = events.map((e) => {
    const statement = statementOf(e);
    return statement ? registrationOf(statement.statement as JsonObject) : undefined;
  });
  const regs = regOf.filter((r): r is string => r !== undefined);
  if (regs.length === 0) return [];
  const facts = await resolve(regs);
  const out: Counted[] = [];
  if (facts.size === 0) return out;
  for (const [i, e] of events.entries()) {
    const statement = statementOf(e);
    const r = regOf[i];
    if (!statement || r === undefined) continue;
    const s = statement.statement as JsonObject;
    const reg = facts.get(r);
    if (!reg || agentKey(s['actor']) !== reg.agentKey) continue;
    out.push({ kind: e.kind === 'stored' ? 'stored' : 'voided', seq: e.seq, statement, reg });
  }
  return out;
}

/** Runs `apply` on the stretches of a batch between erasures, and the erasures in between, in order. */
async function inOrder(
  events: readonly PipelineEvent[],
  stretch: (events: readonly PipelineEvent[]) => Promise<void>,
  erase: (userId: string) => Promise<void>,
): Promise<void> {
  let start = 0;
  for (let i = 0; i <= events.length; i++) {
    const e = events[i];
    if (e !== undefined && e.kind !== 'erased') continue;
    if (i > start) await stretch(events.slice(start, i));
    if (e !== undefined && e.kind === 'erased') await erase(e.userId);
    start = i + 1;
  }
}

function subscriber(name: string, part: ReportPart, deps: ReportSubscriberDeps, stretch: (counted: Counted[]) => Promise<void>): Subscriber {
  const resolve = createRegistrationResolver(deps);
  return {
    name,
    batchSize: 500,
    async handle(events) {
      await inOrder(
        events,
        async (list) => stretch(await countedOf(deps, resolve, list)),
        async (userId) => {
          // The erasure (maybe on another instance) deleted the person's tracks and registrations.
          forgetRegistrations(deps.store);
          await deps.store.reports.deleteReportUser(userId, [part]);
        },
      );
    },
    async reset() {
      await deps.store.reports.resetReports([part]);
    },
  };
}

/** Daily learning rollups per course, learner organization and learner. */
export function createReportDaysSubscriber(deps: ReportSubscriberDeps): Subscriber {
  return subscriber(REPORT_SUBSCRIBERS.days, 'days', deps, async (counted) => {
    await deps.store.reports.applyLearningDays(
      counted.map((c) => learningDayOf(c.statement.statement as JsonObject, c.seq, c.reg, c.kind === 'voided' ? -1 : 1)),
    );
  });
}

/** Outcome statements (scores, success, completion, sitting durations) per registration. */
export function createReportAttemptsSubscriber(deps: ReportSubscriberDeps): Subscriber {
  return subscriber(REPORT_SUBSCRIBERS.attempts, 'attempts', deps, async (counted) => {
    const rows = counted.flatMap((c) => {
      if (c.kind === 'voided') return [];
      const a = attemptOf(c.statement.id, c.seq, c.statement.statement as JsonObject, c.reg);
      return a ? [a] : [];
    });
    await deps.store.reports.insertAttempts(rows);
    await deps.store.reports.deleteReportFacts('attempts', counted.filter((c) => c.kind === 'voided').map((c) => c.statement.id));
  });
}

/** Answers to questions (xAPI answered, SCORM cmi.interactions) for item analysis. */
export function createReportInteractionsSubscriber(deps: ReportSubscriberDeps): Subscriber {
  return subscriber(REPORT_SUBSCRIBERS.interactions, 'interactions', deps, async (counted) => {
    const rows = counted.flatMap((c) => {
      if (c.kind === 'voided') return [];
      const a = interactionOf(c.statement.id, c.seq, c.statement.statement as JsonObject, c.reg);
      return a ? [a] : [];
    });
    await deps.store.reports.insertInteractions(rows);
    await deps.store.reports.deleteReportFacts('interactions', counted.filter((c) => c.kind === 'voided').map((c) => c.statement.id));
  });
}

/** The three report subscribers, for the composition root. */
export function createReportSubscribers(deps: ReportSubscriberDeps): Subscriber[] {
  return [createReportDaysSubscriber(deps), createReportAttemptsSubscriber(deps), createReportInteractionsSubscriber(deps)];
}
