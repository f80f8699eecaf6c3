/**
 * One pipeline subscriber per forwarding target (`forward:<id>`): each target has its own cursor,
 * lease and retries, so a slow or broken target holds back only its own queue. Only statements
 * of the target's organization (its `g|` ownership key) are ever considered. A batch the target
 * refuses is retried with the engine's exponential back-off; after `maxAttempts` failures in a
 * row (counted in the store, so a restart does not reset them) its statements (or events) become
 * dead letters and the queue moves on.
 */
import { randomUUID } from 'node:crypto';
import type { AppServices } from '../deps';
import type { PipelineEvent, Subscriber } from '../pipeline/types';
import type { DeadLetter, ForwardTarget, StoredStatement } from '../store/ports';
import { matchesFilter, postStatements, postWebhook, webhookEvents } from './deliver';

export const forwardName = (targetId: string): string => `forward:${targetId}`;

/** Statements forwarded per request (the engine's batch). */
export const FORWARD_BATCH = 1000;

/** The statements of a batch that go to the target: its organization's, matching its filter (LRS targets). */
export function selected(t: ForwardTarget, events: readonly PipelineEvent[]): StoredStatement[] {
  return events.flatMap((e) => (e.kind === 'stored' && e.orgIds.includes(t.orgId) && (t.kind === 'webhook' || matchesFilter(t, e.statement.statement)) ? [e.statement] : []));
}

/** Delivers statements to a target (a batch for an LRS, events in order for a webhook). */
export async function deliver(s: AppServices, t: ForwardTarget, statements: readonly StoredStatement[]): Promise<void> {
  if (t.kind === 'lrs') return postStatements(s.config, t, statements);
  for (const d of await webhookEvents(s.store, t, statements)) await postWebhook(s.config, t, d);
}

export function forwardSubscriber(s: AppServices, t: ForwardTarget, o: { readonly maxAttempts: number }): Subscriber {
  // The failure count is in the store (a restart keeps it); after a success it is cleared once,
  // not on every batch. At start it may hold a count from before the restart.
  let mayHaveFailures = true;
  return {
    name: forwardName(t.id),
    batchSize: FORWARD_BATCH,
    async handle(events) {
      const list = selected(t, events);
      if (list.length === 0) return;
      try {
        await deliver(s, t, list);
      } catch (err) {
        mayHaveFailures = true;
        const attempts = await s.store.forwarding.recordForwardFailure(t.id, events[0]!.seq);
        if (attempts < o.maxAttempts) throw err;
        const at = new Date().toISOString();
        const message = err instanceof Error ? err.message : String(err);
        const letters: DeadLetter[] = list.map((st) => ({ id: randomUUID(), targetId: t.id, orgId: t.orgId, seq: st.seq, statementId: st.id, error: message, attempts, at }));
        await s.store.forwarding.insertDeadLetters(letters);
        s.logger.warn({ target: t.id, statements: letters.length, err: message }, 'forwarding: statements moved to dead letters');
      }
      if (mayHaveFailures) {
        await s.store.forwarding.clearForwardFailures(t.id);
        mayHaveFailures = false;
      }
    },
  };
}
