import type { Server } from 'node:http';
import { ensureLrsCredential } from './accounts/bootstrap';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { seedDemoContent } from './demo/seed-demo';
import { openStore } from './store';

/** Starts LearnHQ: the only place that listens. Stops gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`LearnHQ cannot start: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const store = await openStore(config.db);
  logger.info({ store: store.engine }, 'store opened');

  const boot = await ensureLrsCredential(store.credentials, config, logger);
  if (boot.generated) {
    // Printed once, on the first start only: the secret is not stored in clear anywhere.
    process.stdout.write(
      `\nLearnHQ created an LRS credential (shown once, keep it):\n` +
        `  endpoint: ${config.publicUrl}/xapi/\n  key:      ${boot.generated.key}\n  secret:   ${boot.generated.secret}\n\n`,
    );
  }

  const { app, credentials } = createApp({ config, store, logger });
  await seedDemoContent({ config, store, logger, credentials });
  const server: Server = app.listen(config.port, config.host, () => {
    logger.info({ port: config.port, url: `${config.publicUrl}/xapi` }, 'LearnHQ is listening');
  });
  server.keepAliveTimeout = 65_000;

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing requests in flight');
    const force = setTimeout(() => {
      logger.warn('grace period over: closing remaining connections');
      server.closeAllConnections();
    }, config.shutdownGraceMs);
    force.unref();
    server.close(() => {
      store.close().then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (err: unknown) => {
          logger.error({ err }, 'error while closing the store');
          process.exit(1);
        },
      );
    });
    // Keep-alive connections become idle once their in-flight response is sent; close them as
    // they do so, rather than waiting for clients to hang up.
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 50).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`LearnHQ failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
