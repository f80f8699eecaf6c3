/**
 * `npm run projections -- status` and `npm run projections -- rebuild NAME` (issue 13): the
 * pipeline's subscribers from the command line, against the configured store (LEARNHQ_* variables,
 * as the server reads them).
 *
 * rebuild marks the subscriber's cursor; the instance holding its lease (the running service)
 * resets it and replays from seq 0 while it keeps serving. When no instance holds the lease, this
 * process runs the rebuild itself. Either way it prints the progress until the subscriber has
 * caught up (unless --no-wait).
 */
import { loadConfig } from './config';
import { composeServices } from './compose';
import { createLogger } from './logger';
import { pipelineStatus, type SubscriberStatus } from './pipeline/engine';
import { openStore } from './store';
import type { Store } from './store/ports';
import { CredentialVerifier } from './xapi/auth/credential-verifier';

function line(s: SubscriberStatus): string {
  return `${s.name.padEnd(24)} cursor ${String(s.cursor).padStart(9)} / ${String(s.horizon).padEnd(9)} lag ${String(s.lagStatements).padStart(7)} statements ${s.lagSeconds.toFixed(1).padStart(7)} s` +
    `  ${s.holder ? `on ${s.holder}` : 'not running'}${s.lastError !== undefined ? `  last error: ${s.lastError}` : ''}`;
}

async function waitFor(store: Store, name: string, print: (s: SubscriberStatus) => void): Promise<void> {
  let last = '';
  for (;;) {
    const s = (await pipelineStatus(store, [name])).find((x) => x.name === name)!;
    const text = line(s);
    if (text !== last) print(s);
    last = text;
    if (s.rebuildRequestedAt === undefined && s.cursor >= s.horizon) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, name, ...flags] = argv;
  if (command !== 'status' && command !== 'rebuild') {
    process.stderr.write('usage: npm run projections -- status | rebuild NAME [--no-wait]\n');
    return 2;
  }
  const config = loadConfig();
  const store = await openStore(config.db);
  try {
    if (command === 'status') {
      const list = await pipelineStatus(store, []);
      if (list.length === 0) process.stdout.write('no subscriber has run yet\n');
      for (const s of list) process.stdout.write(`${line(s)}\n`);
      return 0;
    }
    const known = (await store.pipeline.findCursors()).map((c) => c.name);
    if (name === undefined || !known.includes(name)) {
      process.stderr.write(`no subscriber is named ${JSON.stringify(name ?? '')} (known: ${known.join(', ') || 'none yet'})\n`);
      return 2;
    }
    await store.pipeline.requestRebuild(name, new Date().toISOString());
    process.stdout.write(`rebuild of ${name} requested\n`);
    if (flags.includes('--no-wait')) return 0;
    const cursor = await store.pipeline.findCursor(name);
    const running = cursor?.holder !== undefined && (cursor.leaseUntil ?? 0) > Date.now();
    const print = (s: SubscriberStatus): void => void process.stdout.write(`${line(s)}\n`);
    if (running) {
      process.stdout.write(`the instance ${cursor.holder} runs it\n`);
      await waitFor(store, name, print);
    } else {
      // Nobody runs the subscriber: run the pipeline here until it has caught up.
      const logger = createLogger(config.logLevel);
      const { pipeline } = composeServices({ config, store, logger, now: () => new Date(), credentials: new CredentialVerifier(store.credentials) });
      try {
        await waitFor(store, name, print);
      } finally {
        await pipeline.stop();
      }
    }
    process.stdout.write(`${name} rebuilt\n`);
    return 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`projections: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
