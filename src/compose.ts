/**
 * The composition root of the services (issue 13): plugs the launch area's session rules and the
 * statement pipeline into the LRS's ports, and registers the pipeline's subscribers. createApp
 * and the test harnesses call it; a feature adds its subscriber factory to SUBSCRIBERS.
 */
import { registerErasureStep } from './accounts/erasure';
import type { AppServices } from './deps';
import { cmi5SessionRules } from './launch/cmi5/lrs-rules';
import { cmi5MoveOnSubscriber } from './launch/cmi5/move-on-subscriber';
import { progressSubscriber } from './launch/progress/subscriber';
import { startForwarding, type ForwardingOptions } from './forwarding/manager';
import { competencyEvidenceSubscriber } from './competency/evidence-subscriber';
import { Pipeline, type PipelineOptions } from './pipeline/engine';
import { createReportAttemptsSubscriber, createReportDaysSubscriber, createReportInteractionsSubscriber } from './reports/subscribers';
import type { Subscriber } from './pipeline/types';

/** A feature's subscriber, built from the services. */
export type SubscriberFactory = (services: AppServices) => Subscriber;

/** Competency evidence (issue 14): not read-your-writes, so ingest never waits for it. */
export const competencyEvidence: SubscriberFactory = (s) => competencyEvidenceSubscriber(s);

/** Every subscriber of the pipeline, in registration order. */
export const SUBSCRIBERS: readonly SubscriberFactory[] = [
  progressSubscriber, cmi5MoveOnSubscriber, competencyEvidence,
  // Issue 16: the report projections (learning days, attempts, interactions); reports may lag a write.
  (s) => createReportDaysSubscriber(s), (s) => createReportAttemptsSubscriber(s), (s) => createReportInteractionsSubscriber(s),
];

/** The services without what compose adds. */
export type BaseServices = Omit<AppServices, 'launchRules' | 'afterStatementsStored' | 'pipeline' | 'forwardingSync'>;

export interface ComposeOptions {
  /** Pipeline timing and instance name (tests shorten leases). */
  readonly pipeline?: Partial<Omit<PipelineOptions, 'store' | 'logger'>>;
  /** Start the runners now (default true); a CLI that only reads status passes false. */
  readonly start?: boolean;
  /** Subscribers to register instead of SUBSCRIBERS (tests). */
  readonly subscribers?: readonly SubscriberFactory[];
  /** Statement forwarding and webhooks (issue 13); `false` runs none. */
  readonly forwarding?: ForwardingOptions | false;
}

/** The services with the LRS's ports plugged in, and the pipeline they feed. */
export function composeServices(base: BaseServices, options: ComposeOptions = {}): { services: AppServices; pipeline: Pipeline } {
  const pipeline = new Pipeline({ store: base.store, logger: base.logger, ...options.pipeline });
  const forwardingRef: { sync?: () => Promise<void> } = {};
  const services: AppServices = {
    ...base,
    launchRules: cmi5SessionRules(base),
    afterStatementsStored: (lastSeq, statements) => pipeline.afterStatementsStored(lastSeq, statements),
    pipeline,
    forwardingSync: () => forwardingRef.sync?.() ?? Promise.resolve(),
  };
  for (const make of options.subscribers ?? SUBSCRIBERS) {
    // Each subscriber gets services whose after-insert hook names it: a statement it writes itself
    // (cmi5 moveOn's satisfied) waits for the other read-your-writes subscribers, never for it.
    // (Explicit rather than an AsyncLocalStorage around handle(): on Node 20 that turns on async
    // hooks for every promise of the process, measured at ~2% of the server's time at ingest.)
    const own: { name?: string } = {};
    const sub = make({ ...services, afterStatementsStored: (lastSeq, statements) => pipeline.afterStatementsStored(lastSeq, statements, own.name) });
    own.name = sub.name;
    pipeline.register(sub);
  }
  // One subscriber per forwarding target or webhook of any organization (src/forwarding/).
  if (options.forwarding !== false) forwardingRef.sync = startForwarding(services, pipeline, options.forwarding ?? {}).sync;
  // Every subscriber hears of an erasure, in order with the statements (ADR 0020).
  registerErasureStep('pipeline', async (s, person) => {
    await s.pipeline?.recordErasure(person.userId);
    return 0;
  });
  if (options.start !== false) pipeline.start();
  return { services, pipeline };
}
