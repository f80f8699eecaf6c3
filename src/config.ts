import path from 'node:path';

/**
 * The only reader of process.env. Every variable is documented in docs/env.md.
 * loadConfig parses and validates once and returns a frozen object; bad values throw a
 * ConfigError that names the variable, and main.ts stops the start with that message.
 */

export type DbConfig =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'mongo'; readonly url: string; readonly dbName: string };

export interface Config {
  /** HTTP port of the app origin. */
  readonly port: number;
  /** Interface to bind. */
  readonly host: string;
  /** Public base URL of the app (used in `more` links and launch URLs). */
  readonly publicUrl: string;
  readonly db: DbConfig;
  /** Folder for the SQLite file and other local data. */
  readonly dataDir: string;
  /** Folder where uploaded package files live (folder file store). */
  readonly packagesDir: string;
  /** Ensure a Basic-auth credential with scope `all` exists at start. Both or neither. */
  readonly lrsKey: string | undefined;
  readonly lrsSecret: string | undefined;
  /** Largest request body accepted on the statements resource, bytes. */
  readonly maxStatementBytes: number;
  /** Largest document accepted on the document resources, bytes (413 above it). */
  readonly maxDocumentBytes: number;
  /** Most statements returned by one GET /statements page (and the default limit). */
  readonly maxQueryLimit: number;
  /** pino level. */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** How long SIGTERM waits for requests in flight, ms. */
  readonly shutdownGraceMs: number;
  /** Key material for the HMAC of `more` cursors; shared by every instance of a deployment. */
  readonly cursorSecret: string | undefined;
  /** Load demo content on a start with an empty store. */
  readonly demo: boolean;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function boolVar(env: Env, name: string, def: boolean): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return def;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function intVar(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw.trim());
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Parses the environment into a frozen Config; throws ConfigError naming the bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const port = intVar(env, 'PORT', 8080, 0, 65535);
  const host = env['HOST'] || '0.0.0.0';
  const dataDir = path.resolve(env['LEARNHQ_DATA_DIR'] || 'data');
  const packagesDir = path.resolve(env['LEARNHQ_PACKAGES_DIR'] || 'packages-store');

  const rawDb = env['LEARNHQ_DB'] || '';
  let db: DbConfig;
  if (rawDb === '') {
    db = { kind: 'sqlite', path: path.join(dataDir, 'learnhq.sqlite') };
  } else if (/^mongodb(\+srv)?:\/\//.test(rawDb)) {
    let url: URL;
    try {
      url = new URL(rawDb);
    } catch {
      throw new ConfigError('LEARNHQ_DB', 'is not a valid mongodb:// URL');
    }
    const dbName = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'learnhq';
    db = { kind: 'mongo', url: rawDb, dbName };
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rawDb)) {
    throw new ConfigError('LEARNHQ_DB', 'must be a SQLite file path or a mongodb:// URL');
  } else {
    db = { kind: 'sqlite', path: path.resolve(rawDb.replace(/^sqlite:/, '')) };
  }

  const lrsKey = env['LEARNHQ_LRS_KEY'] || undefined;
  const lrsSecret = env['LEARNHQ_LRS_SECRET'] || undefined;
  if ((lrsKey === undefined) !== (lrsSecret === undefined)) {
    throw new ConfigError(lrsKey === undefined ? 'LEARNHQ_LRS_KEY' : 'LEARNHQ_LRS_SECRET', 'LEARNHQ_LRS_KEY and LEARNHQ_LRS_SECRET must be set together');
  }
  if (lrsKey !== undefined && (lrsKey.includes(':') || !/^[\x21-\x7e]+$/.test(lrsKey))) {
    throw new ConfigError('LEARNHQ_LRS_KEY', 'must be printable ASCII without spaces or ":"');
  }
  if (lrsSecret !== undefined && lrsSecret.length < 8) {
    throw new ConfigError('LEARNHQ_LRS_SECRET', 'must be at least 8 characters');
  }

  const publicUrlRaw = env['LEARNHQ_PUBLIC_URL'] || `http://localhost:${port}`;
  let publicUrl: string;
  try {
    publicUrl = new URL(publicUrlRaw).toString().replace(/\/$/, '');
  } catch {
    throw new ConfigError('LEARNHQ_PUBLIC_URL', `is not a URL: "${publicUrlRaw}"`);
  }

  const logLevelRaw = env['LOG_LEVEL'] || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevelRaw)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }

  return Object.freeze({
    port,
    host,
    publicUrl,
    db: Object.freeze(db),
    dataDir,
    packagesDir,
    lrsKey,
    lrsSecret,
    maxStatementBytes: intVar(env, 'LEARNHQ_MAX_STATEMENT_BYTES', 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    maxDocumentBytes: intVar(env, 'LEARNHQ_MAX_DOCUMENT_BYTES', 1024 * 1024, 1, 1024 * 1024 * 1024),
    maxQueryLimit: intVar(env, 'LEARNHQ_MAX_QUERY_LIMIT', 500, 1, 10000),
    logLevel: logLevelRaw as Config['logLevel'],
    shutdownGraceMs: intVar(env, 'LEARNHQ_SHUTDOWN_GRACE_MS', 10000, 0, 600000),
    cursorSecret: env['LEARNHQ_CURSOR_SECRET'] || undefined,
    demo: boolVar(env, 'LEARNHQ_DEMO', true),
  });
}

/** Config for tests: defaults with overrides, no environment read. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return Object.freeze({ ...loadConfig({ LOG_LEVEL: 'silent' }), ...overrides });
}
