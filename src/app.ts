import type { RequestListener } from 'node:http';
import path from 'node:path';
import express, { type Express } from 'express';
import { accountsRouter } from './accounts/routes';
import { registerCareersErasure } from './careers/erasure-step';
import { careersRouter } from './careers/routes';
import { learningApiRouter } from './learning/routes';
import { learningPagesRouter } from './web/learning/pages';
import { browserErrorPages } from './web/error-pages';
import { sessionMiddleware } from './accounts/session-middleware';
import type { Config } from './config';
import { notFound } from './errors';
import { errorMiddleware } from './http/error-middleware';
import { securityHeaders, securityHeadersMiddleware } from './http/security-headers';
import type { Logger } from './logger';
import type { FileStore, Store } from './store/ports';
import { CredentialVerifier } from './xapi/auth/credential-verifier';
import { packagesRouter } from './packages/routes';
import { competencyApiRouter } from './competency/routes';
import { badgeRouter } from './competency/badge-routes';
import { mountCompetencyPages } from './web/competency/pages';
import { cmi5Launcher } from './launch/cmi5/launcher';
import { playerFormatsRouter } from './launch/progress/routes';
import { registerLaunchErasure } from './launch/erasure-step';
import { launchRouter } from './launch/routes';
import { tincanLauncher } from './launch/xapi/launcher';
import { createLaunchTokenAuth } from './xapi/auth/launch-auth';
import { createStatementsFastLane } from './xapi/fast-lane';
import { createXapiRouter } from './xapi/router';
import type { AppServices } from './deps';
import { savedReportsRouter } from './reports/saved-routes';
import { reportsApiRouter } from './reports/routes';
import { reportPages } from './web/reports/pages';
import { providerAttainmentApiRouter } from './reports/provider-attainment-routes';
import { providerCompetenciesPages } from './web/reports/provider-competencies-page';
import { peopleApiRouter } from './reports/people-routes';
import { competencyReportsApiRouter } from './reports/competencies-routes';
import { peoplePages } from './web/reports/people-pages';
import { savedReportPages } from './web/reports/saved-pages';
import { composeServices, type ComposeOptions } from './compose';
import type { Pipeline } from './pipeline/engine';
import { startReminderJob, type ReminderJob } from './learning/reminder-job';

/** Everything the app needs from outside; main.ts and tests build it. */
export interface AppDeps {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  /** Defaults to the system clock. */
  readonly now?: () => Date;
  /** Package file store; when absent, the packages router opens the configured one on first use. */
  readonly files?: FileStore;
  /** Pipeline options (tests shorten leases or name the instance). */
  readonly compose?: ComposeOptions;
}

/** The app plus the services that outlive a request (main.ts and tests use them). */
export interface AppHandle {
  /** The Express app (its router stack is what the access-matrix test reads). */
  readonly app: Express;
  /**
   * What servers listen with: the statements fast lane (src/xapi/fast-lane.ts) in front of the
   * app. main.ts and the HTTP tests use it, so every statement write is served as in production.
   */
  readonly listener: RequestListener;
  readonly credentials: CredentialVerifier;
  /** The services the routers were built with (bootstrap and seeding use them too). */
  readonly services: AppServices;
  /** The statement pipeline (main.ts stops it before closing the store). */
  readonly pipeline: Pipeline;
  /** The assignment reminder job, when LEARNHQ_REMINDER_INTERVAL_SECONDS is not 0 (main.ts stops it). */
  readonly reminders: ReminderJob | undefined;
}

/** Builds the Express app; never listens (main.ts does). */
export function createApp(deps: AppDeps): AppHandle {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  const credentials = new CredentialVerifier(deps.store.credentials);
  const now = deps.now ?? (() => new Date());
  // Browser policy headers on every answer (issue 11): here for everything Express serves, and
  // in the listener below for the statements fast lane.
  const headers = securityHeaders(deps.config);
  app.use(securityHeadersMiddleware(deps.config));

  app.get('/health', (_req, res, next) => {
    deps.store.ping().then(
      () => res.json({ status: 'ok', store: deps.store.engine }),
      (err: unknown) => {
        deps.logger.warn({ err }, 'health check: store does not answer');
        res.status(503).json({ error: 'unavailable', message: 'the store does not answer' });
      },
    ).catch(next);
  });

  const { services, pipeline } = composeServices({
    config: deps.config,
    store: deps.store,
    logger: deps.logger,
    now,
    credentials,
    ...(deps.files ? { files: deps.files } : {}),
  }, deps.compose);
  const launchAuth = createLaunchTokenAuth(services);
  app.use('/xapi', createXapiRouter(services, launchAuth));
  const fastLane = createStatementsFastLane(services, launchAuth);

  // Pages and their HTTP API twins. Static assets are public and long-cached by name.
  app.use('/static', express.static(path.join(__dirname, 'web', 'static'), { maxAge: '1h', index: false }));
  app.use(sessionMiddleware(services));
  // Packages first: its upload routes take zip bodies, which the accounts API (JSON only) refuses.
  app.use(packagesRouter(services));
  // Competencies before the accounts API too: CASE packages exceed its 64 kB body limit.
  app.use(competencyApiRouter(services));
  app.use(badgeRouter(services));
  const competencyPages = express.Router();
  mountCompetencyPages(competencyPages, services);
  app.use(competencyPages);
  // The learner's side (issue 18) before the accounts API, which refuses bodies other than JSON:
  // attendance takes a CSV.
  app.use(learningApiRouter(services));
  app.use(accountsRouter(services));
  app.use(learningPagesRouter(services));
  // The player (issue 6): course and player pages, launch API, SCORM runtime API; then the cmi5
  // fetch URL, AU waivers and GET /api/progress.
  registerLaunchErasure();
  app.use(launchRouter(services, { launchers: { tincan: tincanLauncher, cmi5: cmi5Launcher } }));
  app.use(playerFormatsRouter(services));
  // Careers (issue 15): units and managers, role profiles, goals.
  registerCareersErasure();
  app.use(careersRouter(services));
  // Reports (issue 16): pages and their JSON/CSV/SVG twins, read from the report projections.
  app.use(reportsApiRouter(services));
  app.use(savedReportsRouter(services));
  app.use(peopleApiRouter(services));
  app.use(competencyReportsApiRouter(services));
  app.use(providerAttainmentApiRouter(services));
  app.use(providerCompetenciesPages(services));
  app.use(peoplePages(services));
  app.use(savedReportPages(services));
  app.use(reportPages(services));

  app.use((req, _res, next) => next(notFound(`no resource at ${req.method} ${req.path}`)));
  app.use(browserErrorPages(deps.logger));
  app.use(errorMiddleware(deps.logger));
  const listener: RequestListener = (req, res) => {
    // The lane answers after an await at least, so its headers are still open here.
    if (fastLane(req, res)) headers(req, res);
    else app(req, res);
  };
  const reminders = deps.config.reminderIntervalSeconds > 0 ? startReminderJob(services) : undefined;
  return { app, listener, credentials, services, pipeline, reminders };
}
