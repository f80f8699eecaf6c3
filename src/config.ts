import path from 'node:path';

/**
 * The only reader of process.env. Every variable is documented in docs/env.md.
 * loadConfig parses and validates once and returns a frozen object; bad values throw a
 * ConfigError that names the variable, and main.ts stops the start with that message.
 */

export type DbConfig =
  | {
      readonly kind: 'sqlite';
      readonly path: string;
      /** Cap on the WAL file, bytes (LEARNHQ_SQLITE_WAL_CAP_MB; the store's default when absent). */
      readonly walCapBytes?: number;
    }
  | {
      readonly kind: 'mongo';
      readonly url: string;
      readonly dbName: string;
      /** How long an instance that stopped renewing its seq lease holds back the visibility horizon (ms). */
      readonly leaseMs?: number;
    };

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
  /**
   * Statement forwarding targets and webhooks may be on loopback, link-local or private addresses
   * (LEARNHQ_ALLOW_PRIVATE_TARGETS; off by default: server-side request forgery, issue 13).
   */
  readonly allowPrivateTargets: boolean;
  /**
   * HS256 key of session JWTs and of CSRF tokens (LEARNHQ_SESSION_SECRET). When unset, main.ts
   * calls resolveSessionSecret (src/accounts/session-secret.ts): SQLite generates and keeps one in
   * `${dataDir}/session-secret`; MongoDB refuses to start (instances must share it).
   */
  readonly sessionSecret: string | undefined;
  /** Site administrator created at start when missing (LEARNHQ_ADMIN_EMAIL/PASSWORD, both or neither). */
  readonly adminEmail: string | undefined;
  readonly adminPassword: string | undefined;
  /** Largest package upload, bytes (413 above it). */
  readonly maxUploadBytes: number;
  /** Most entries (files and folders) in one package zip. */
  readonly maxZipEntries: number;
  /** Most uncompressed bytes of one package zip (all entries together). */
  readonly maxUncompressedBytes: number;
  /** Highest uncompressed/compressed ratio of a package zip entry and of the whole zip. */
  readonly maxCompressionRatio: number;
  /** Where package files live: a folder (packagesDir) or GridFS in the MongoDB database. */
  readonly fileStore: 'folder' | 'gridfs';
  /** HTTP port of the content origin (package files; no cookies). */
  readonly contentPort: number;
  /** Public base URL of the content origin (a different origin from publicUrl). */
  readonly contentUrl: string;
  /**
   * SMTP server for outgoing mail (LEARNHQ_SMTP_URL, smtp:// or smtps://). Unset: mail goes to
   * the outbox that only the site administrator reads (/admin/outbox).
   */
  readonly smtpUrl: string | undefined;
  /** Sender of outgoing mail (LEARNHQ_MAIL_FROM). */
  readonly mailFrom: string;
  /**
   * Age, seconds, past which an uncommitted file set or a temp upload is an orphan of an
   * interrupted import and is swept (src/packages/orphan-sweep.ts).
   */
  readonly orphanGraceSeconds: number;
  /**
   * How often each instance runs the assignment reminder job, seconds (src/learning/reminder-job.ts,
   * LEARNHQ_REMINDER_INTERVAL_SECONDS); 0 turns it off. Tests turn it off unless they ask.
   */
  readonly reminderIntervalSeconds: number;
  /** Days before an assignment's due date that its "due soon" reminder goes (LEARNHQ_REMINDER_DAYS_BEFORE). */
  readonly reminderDaysBefore: number;
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

/** LEARNHQ_SQLITE_WAL_CAP_MB: the cap on the SQLite WAL file (src/store/sqlite/wal-cap.ts), in bytes. */
function walCapVar(env: Env): number {
  return intVar(env, 'LEARNHQ_SQLITE_WAL_CAP_MB', 128, 4, 65536) * 1024 * 1024;
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
    db = { kind: 'sqlite', path: path.join(dataDir, 'learnhq.sqlite'), walCapBytes: walCapVar(env) };
  } else if (/^mongodb(\+srv)?:\/\//.test(rawDb)) {
    let url: URL;
    try {
      url = new URL(rawDb);
    } catch {
      throw new ConfigError('LEARNHQ_DB', 'is not a valid mongodb:// URL');
    }
    const dbName = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'learnhq';
    db = { kind: 'mongo', url: rawDb, dbName, leaseMs: intVar(env, 'LEARNHQ_MONGO_LEASE_MS', 10000, 300, 600000) };
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rawDb)) {
    throw new ConfigError('LEARNHQ_DB', 'must be a SQLite file path or a mongodb:// URL');
  } else {
    db = { kind: 'sqlite', path: path.resolve(rawDb.replace(/^sqlite:/, '')), walCapBytes: walCapVar(env) };
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

  const fileStoreRaw = env['LEARNHQ_FILE_STORE'] || 'folder';
  if (fileStoreRaw !== 'folder' && fileStoreRaw !== 'gridfs') {
    throw new ConfigError('LEARNHQ_FILE_STORE', `must be folder or gridfs, got "${fileStoreRaw}"`);
  }
  if (fileStoreRaw === 'gridfs' && db.kind !== 'mongo') {
    throw new ConfigError('LEARNHQ_FILE_STORE', 'gridfs needs LEARNHQ_DB to be a mongodb:// URL');
  }
  // Port 0 (tests: any free port) stays 0; otherwise the port after the app's.
  const contentPort = intVar(env, 'LEARNHQ_CONTENT_PORT', port === 0 ? 0 : Math.min(port + 1, 65535), 0, 65535);
  if (contentPort !== 0 && contentPort === port) {
    throw new ConfigError('LEARNHQ_CONTENT_PORT', `must differ from PORT (${port}): package content needs its own origin`);
  }
  // Another host name than the app's by default, not only another port: cookies ignore ports, so
  // package pages on the app's host could plant cookies the app then reads (issue 11).
  const defaultContentHost = new URL(publicUrl).hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
  const contentUrlRaw = env['LEARNHQ_CONTENT_URL'] || `http://${defaultContentHost}:${contentPort}`;
  let contentUrl: string;
  try {
    contentUrl = new URL(contentUrlRaw).toString().replace(/\/$/, '');
  } catch {
    throw new ConfigError('LEARNHQ_CONTENT_URL', `is not a URL: "${contentUrlRaw}"`);
  }
  if (contentPort !== 0 && new URL(contentUrl).origin === new URL(publicUrl).origin) {
    throw new ConfigError('LEARNHQ_CONTENT_URL', `must be another origin than LEARNHQ_PUBLIC_URL (${publicUrl}): package content is untrusted`);
  }
  if (new URL(contentUrl).hostname === new URL(publicUrl).hostname) {
    throw new ConfigError(
      'LEARNHQ_CONTENT_URL',
      `must be on another host name than LEARNHQ_PUBLIC_URL (${publicUrl}): cookies ignore ports, so package content on the app's host could plant cookies for the app (in production use its own registrable domain)`,
    );
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
    allowPrivateTargets: boolVar(env, 'LEARNHQ_ALLOW_PRIVATE_TARGETS', false),
    ...accountVars(env),
    ...mailVars(env, publicUrl),
    maxUploadBytes: intVar(env, 'LEARNHQ_MAX_UPLOAD_BYTES', 2 * 1024 ** 3, 1024, 1024 ** 4),
    maxZipEntries: intVar(env, 'LEARNHQ_MAX_ZIP_ENTRIES', 50000, 1, 10_000_000),
    maxUncompressedBytes: intVar(env, 'LEARNHQ_MAX_UNCOMPRESSED_BYTES', 8 * 1024 ** 3, 1024, 16 * 1024 ** 4),
    maxCompressionRatio: intVar(env, 'LEARNHQ_MAX_COMPRESSION_RATIO', 100, 1, 100000),
    fileStore: fileStoreRaw,
    contentPort,
    contentUrl,
    orphanGraceSeconds: intVar(env, 'LEARNHQ_ORPHAN_GRACE_SECONDS', 3600, 0, 30 * 86400),
    reminderIntervalSeconds: intVar(env, 'LEARNHQ_REMINDER_INTERVAL_SECONDS', 3600, 0, 7 * 86400),
    reminderDaysBefore: intVar(env, 'LEARNHQ_REMINDER_DAYS_BEFORE', 3, 0, 365),
  });
}

/** Session secret and site administrator variables (issue 4). */
function accountVars(env: Env): Pick<Config, 'sessionSecret' | 'adminEmail' | 'adminPassword'> {
  const sessionSecret = env['LEARNHQ_SESSION_SECRET'] || undefined;
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    throw new ConfigError('LEARNHQ_SESSION_SECRET', 'must be at least 32 characters');
  }
  const adminEmail = (env['LEARNHQ_ADMIN_EMAIL'] || '').trim().toLowerCase() || undefined;
  const adminPassword = env['LEARNHQ_ADMIN_PASSWORD'] || undefined;
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    throw new ConfigError(
      adminEmail === undefined ? 'LEARNHQ_ADMIN_EMAIL' : 'LEARNHQ_ADMIN_PASSWORD',
      'LEARNHQ_ADMIN_EMAIL and LEARNHQ_ADMIN_PASSWORD must be set together',
    );
  }
  if (adminEmail !== undefined && !/^[^\s@]+@[^\s@]+$/.test(adminEmail)) {
    throw new ConfigError('LEARNHQ_ADMIN_EMAIL', `is not an email address: "${adminEmail}"`);
  }
  if (adminPassword !== undefined && adminPassword.length < 10) {
    throw new ConfigError('LEARNHQ_ADMIN_PASSWORD', 'must be at least 10 characters');
  }
  return { sessionSecret, adminEmail, adminPassword };
}

/** Mail variables (issue 11). */
function mailVars(env: Env, publicUrl: string): Pick<Config, 'smtpUrl' | 'mailFrom'> {
  const smtpUrl = env['LEARNHQ_SMTP_URL'] || undefined;
  if (smtpUrl !== undefined) {
    let u: URL;
    try {
      u = new URL(smtpUrl);
    } catch {
      throw new ConfigError('LEARNHQ_SMTP_URL', 'is not a URL (e.g. smtp://user:password@mail.example.org:587)');
    }
    if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new ConfigError('LEARNHQ_SMTP_URL', 'must start with smtp:// or smtps://');
  }
  const mailFrom = (env['LEARNHQ_MAIL_FROM'] || `LearnHQ <no-reply@${new URL(publicUrl).hostname}>`).trim();
  if (!/^[^\r\n]*<?[^\s@<>]+@[^\s@<>]+>?$/.test(mailFrom)) {
    throw new ConfigError('LEARNHQ_MAIL_FROM', `is not a sender address like "LearnHQ <learning@example.org>": "${mailFrom}"`);
  }
  return { smtpUrl, mailFrom };
}

/** Config for tests: defaults with overrides, no environment read. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  // No reminder job in tests unless one asks for it (reminderIntervalSeconds in the overrides).
  return Object.freeze({ ...loadConfig({ LOG_LEVEL: 'silent' }), reminderIntervalSeconds: 0, ...overrides });
}
