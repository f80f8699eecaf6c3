import http, { type Server } from 'node:http';
import { ensureLrsCredential } from './accounts/bootstrap';
import { ensureSiteAdmin, seedDemoAccounts } from './accounts/bootstrap-admin';
import { resolveSessionSecret } from './accounts/session-secret';
import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { seedDemoContent } from './demo/seed-demo';
import { seedDemoCareers } from './demo/seed-demo-careers';
import { seedDemoCourse } from './demo/seed-demo-course';
import { seedDemoCompetencies } from './demo/seed-demo-competencies';
import { createLogger, type Logger } from './logger';
import { createContentApp } from './packages/content-app';
import { startOrphanSweeps } from './packages/orphan-sweep';
import { openStore } from './store';
import { openFileStore } from './store/files';
import { mailStartupNotice } from './accounts/mail/mailer';

/** Configuration, or exit 2 with a message naming the variable. */
function configOrExit(): Config {
  try {
    return resolveSessionSecret(loadConfig());
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`LearnHQ cannot start: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

function listen(server: Server, port: number, host: string, logger: Logger, what: string, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      logger.info({ port, url }, `${what} is listening`);
      resolve();
    });
  });
}

/** Starts LearnHQ: the only place that listens. Stops gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.logLevel);
  const store = await openStore(config.db);
  const files = await openFileStore(config);
  logger.info({ store: store.engine, files: files.kind }, 'store opened');
  const mail = mailStartupNotice(config);
  logger[mail.level](mail.message);

  const boot = await ensureLrsCredential(store.credentials, config, logger);
  if (boot.generated) {
    // Printed once, on the first start only: the secret is not stored in clear anywhere.
    process.stdout.write(
      `\nLearnHQ created an LRS credential (shown once, keep it):\n` +
        `  endpoint: ${config.publicUrl}/xapi/\n  key:      ${boot.generated.key}\n  secret:   ${boot.generated.secret}\n\n`,
    );
  }

  const { listener, services, pipeline, reminders } = createApp({ config, store, logger, files });
  const admin = await ensureSiteAdmin(services);
  if (admin.generated) {
    process.stdout.write(
      `LearnHQ created a site administrator (shown once, keep it):\n` +
        `  sign in:  ${config.publicUrl}/sign-in\n  email:    ${admin.generated.email}\n  password: ${admin.generated.password}\n\n`,
    );
  }
  if (config.demo) {
    const people = await seedDemoAccounts(services);
    if (people.length > 0) logger.info({ people }, 'loaded demo organizations and people (see README for their sign-ins)');
    await seedDemoCourse(services);
    await seedDemoCareers(services);
  }
  await seedDemoContent(services);
  // After the demo statements (they load only into an empty store): the demo learner's evidence.
  if (config.demo) await seedDemoCompetencies(services);

  const server = http.createServer(listener);
  server.keepAliveTimeout = 65_000;
  // The content origin: package files only, no session cookie, its own port (ARCHITECTURE.md).
  const contentServer = http.createServer(createContentApp({ config, logger, store }, files));
  // Issue 11: what interrupted imports and uploads left behind goes, now and every so often.
  const stopSweeps = startOrphanSweeps({ store, files, logger, config, now: () => new Date() });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    stopSweeps();
    logger.info({ signal }, 'stopping: finishing requests in flight');
    const force = setTimeout(() => {
      logger.warn('grace period over: closing remaining connections');
      server.closeAllConnections();
      contentServer.closeAllConnections();
    }, config.shutdownGraceMs);
    force.unref();
    const closed = (s: Server): Promise<void> => new Promise((resolve) => s.close(() => resolve()));
    Promise.all([closed(server), closed(contentServer)])
      .then(() => Promise.all([pipeline.stop(), reminders?.stop()]))
      .then(() => Promise.all([store.close(), files.close()]))
      .then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (err: unknown) => {
          logger.error({ err }, 'error while closing the store');
          process.exit(1);
        },
      );
    // Keep-alive connections become idle once their in-flight response is sent; close them as
    // they do so, rather than waiting for clients to hang up.
    for (const s of [server, contentServer]) s.closeIdleConnections();
    setInterval(() => {
      server.closeIdleConnections();
      contentServer.closeIdleConnections();
    }, 50).unref();
  };
  // Installed before listening: a SIGTERM that arrives as soon as /health answers still stops gracefully.
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  await listen(server, config.port, config.host, logger, 'LearnHQ', `${config.publicUrl}/`);
  await listen(contentServer, config.contentPort, config.host, logger, 'content origin', config.contentUrl);
}

main().catch((err: unknown) => {
  process.stderr.write(`LearnHQ failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
