import express, { type Express } from 'express';
import type { Config } from './config';
import { notFound } from './errors';
import { errorMiddleware } from './http/error-middleware';
import type { Logger } from './logger';
import type { Store } from './store/ports';
import { CredentialVerifier } from './xapi/auth/credential-verifier';
import { createXapiRouter } from './xapi/router';

/** Everything the app needs from outside; main.ts and tests build it. */
export interface AppDeps {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  /** Defaults to the system clock. */
  readonly now?: () => Date;
}

/** The app plus the services that outlive a request (main.ts and tests use them). */
export interface AppHandle {
  readonly app: Express;
  readonly credentials: CredentialVerifier;
}

/** Builds the Express app; never listens (main.ts does). */
export function createApp(deps: AppDeps): AppHandle {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  const credentials = new CredentialVerifier(deps.store.credentials);
  const now = deps.now ?? (() => new Date());

  app.get('/health', (_req, res, next) => {
    deps.store.ping().then(
      () => res.json({ status: 'ok', store: deps.store.engine }),
      (err: unknown) => {
        deps.logger.warn({ err }, 'health check: store does not answer');
        res.status(503).json({ error: 'unavailable', message: 'the store does not answer' });
      },
    ).catch(next);
  });

  app.use('/xapi', createXapiRouter({ config: deps.config, store: deps.store, logger: deps.logger, now, credentials }));

  app.use((req, _res, next) => next(notFound(`no resource at ${req.method} ${req.path}`)));
  app.use(errorMiddleware(deps.logger));
  return { app, credentials };
}
