import { openStore } from '../../src/store';
import type { Store } from '../../src/store/ports';

let open: () => Promise<Store> = () => openStore({ kind: 'sqlite', path: ':memory:' });

/** The store the demo seeding test opens: SQLite, unless demo-seed-mongo.test.ts chose MongoDB. */
export function openDemoStore(): Promise<Store> {
  return open();
}
/** Runs demo-seed.test.ts on another engine. */
export function useDemoStore(o: () => Promise<Store>): void {
  open = o;
}
