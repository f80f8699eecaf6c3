import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from '../config';

/** Name of the file that keeps a generated session secret on SQLite deployments. */
export const SESSION_SECRET_FILE = 'session-secret';

/**
 * Returns the config with `sessionSecret` set. LEARNHQ_SESSION_SECRET wins; otherwise, on SQLite
 * (one machine) a random secret is generated once and kept in `${dataDir}/session-secret` (mode
 * 0600) so sessions survive restarts; on MongoDB (possibly several instances, which must share
 * the key) the start stops with a ConfigError naming LEARNHQ_SESSION_SECRET.
 */
export function resolveSessionSecret(config: Config): Config {
  if (config.sessionSecret !== undefined) return config;
  if (config.db.kind === 'mongo') {
    throw new ConfigError(
      'LEARNHQ_SESSION_SECRET',
      'must be set when LEARNHQ_DB is MongoDB (every instance must sign sessions with the same key; at least 32 characters)',
    );
  }
  const file = path.join(config.dataDir, SESSION_SECRET_FILE);
  let secret: string | undefined;
  try {
    secret = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (secret === undefined || secret.length < 32) {
    secret = randomBytes(32).toString('base64url');
    mkdirSync(config.dataDir, { recursive: true });
    // 'wx' would fail on a corrupt short file; overwrite it instead, with owner-only access.
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return Object.freeze({ ...config, sessionSecret: secret });
}

let processSecret: string | undefined;

/**
 * The session key of a running app. main.ts always resolves it first; an app built without it
 * (tests, scripts) gets a random per-process key, so its sessions end with the process.
 */
export function sessionKey(config: Config): string {
  if (config.sessionSecret !== undefined) return config.sessionSecret;
  processSecret ??= randomBytes(32).toString('base64url');
  return processSecret;
}
