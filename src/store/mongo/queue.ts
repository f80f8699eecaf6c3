/** Runs work for a key after all earlier work for that key in this process has settled. */
export type KeyedQueue = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/**
 * Per-key chains of work in one process (a failed step does not stop the next). Used where
 * MongoDB-protocol servers without atomic conditional updates (FerretDB 1.x) need this process's
 * writers of one thing to take turns: seq claims, one SCO's runtime commits.
 */
export function createKeyedQueue(): KeyedQueue {
  const chains = new Map<string, Promise<unknown>>();
  return (key, work) => {
    const run = (chains.get(key) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    chains.set(key, tail);
    void tail.then(() => {
      if (chains.get(key) === tail) chains.delete(key);
    });
    return run;
  };
}
