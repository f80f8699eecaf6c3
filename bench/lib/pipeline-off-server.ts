/**
 * LearnHQ with its statement pipeline off, for bench/pipeline and bench/ingest to compare against
 * (issue 13: ingest with the pipeline on must keep 0.95x of ingest without it). The same app as
 * src/main.ts (createApp, the statements fast lane, the same store) but composed without
 * subscribers and without forwarding, so the LRS's afterStatementsStored hook wakes and waits for
 * nobody. A benchmark tool only: no pages are needed, no demo content, no site administrator.
 */
import http from 'node:http';
import { ensureLrsCredential } from '../../src/accounts/bootstrap';
import { resolveSessionSecret } from '../../src/accounts/session-secret';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { openStore } from '../../src/store';
import { openFileStore } from '../../src/store/files';

async function main(): Promise<void> {
  const config = resolveSessionSecret(loadConfig());
  const logger = createLogger(config.logLevel);
  const store = await openStore(config.db);
  const files = await openFileStore(config);
  await ensureLrsCredential(store.credentials, config, logger);
  const { listener, pipeline } = createApp({ config, store, logger, files, compose: { subscribers: [], forwarding: false } });
  const server = http.createServer(listener);
  server.keepAliveTimeout = 65_000;
  process.on('SIGTERM', () => {
    server.close(() => {
      void pipeline
        .stop()
        .then(() => Promise.all([store.close(), files.close()]))
        .then(() => process.exit(0));
    });
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 50).unref();
  });
  server.listen(config.port, config.host);
}

main().catch((err: unknown) => {
  process.stderr.write(`pipeline-off server failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
