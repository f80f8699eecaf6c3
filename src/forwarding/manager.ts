/**
 * Keeps one pipeline subscriber per forwarding target of the store (issue 13): targets added or
 * deleted on any instance are picked up within `syncMs`, at once on the instance that changed them.
 */
import type { AppServices } from '../deps';
import type { Pipeline } from '../pipeline/engine';
import type { ForwardTarget } from '../store/ports';
import { forwardName, forwardSubscriber } from './subscriber';

export interface ForwardingOptions {
  /** Failures in a row of one batch before its statements become dead letters (default 10: about 80 s of back-off). */
  readonly maxAttempts?: number;
  /** How often the target list is read again (ms, default 2000). */
  readonly syncMs?: number;
}

export interface Forwarding {
  /** Reads the targets now and (un)registers their subscribers. */
  sync(): Promise<void>;
}

export function startForwarding(s: AppServices, pipeline: Pipeline, o: ForwardingOptions = {}): Forwarding {
  const known = new Map<string, ForwardTarget>();
  const maxAttempts = o.maxAttempts ?? 10;
  let running: Promise<void> | undefined;
  const once = async (): Promise<void> => {
    const targets = await s.store.forwarding.findForwardTargets();
    const ids = new Set(targets.map((t) => t.id));
    for (const t of targets) {
      if (known.has(t.id)) continue;
      known.set(t.id, t);
      pipeline.register(forwardSubscriber(s, t, { maxAttempts }));
    }
    for (const id of [...known.keys()]) {
      if (ids.has(id)) continue;
      known.delete(id);
      await pipeline.unregister(forwardName(id));
    }
  };
  const sync = (): Promise<void> => {
    // One sync at a time; a call during one waits for it and runs again.
    const next = (running ?? Promise.resolve()).catch(() => undefined).then(once);
    running = next;
    return next;
  };
  const timer = setInterval(() => {
    if (!pipeline.running) return;
    sync().catch((err: unknown) => s.logger.warn({ err }, 'forwarding: could not read the targets'));
  }, o.syncMs ?? 2000);
  timer.unref();
  sync().catch((err: unknown) => s.logger.warn({ err }, 'forwarding: could not read the targets'));
  return { sync };
}
