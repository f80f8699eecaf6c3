import { ConfigError, loadConfig, testConfig } from '../../../src/config';

describe('loadConfig', () => {
  it('defaults to SQLite under ./data on port 8080', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.db.kind).toBe('sqlite');
    expect(c.db.kind === 'sqlite' && c.db.path.endsWith('data/learnhq.sqlite')).toBe(true);
    expect(c.lrsKey).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('caps the SQLite WAL at 128 MB unless LEARNHQ_SQLITE_WAL_CAP_MB says otherwise', () => {
    expect(loadConfig({}).db).toMatchObject({ kind: 'sqlite', walCapBytes: 128 * 1024 * 1024 });
    expect(loadConfig({ LEARNHQ_DB: '/tmp/x.db', LEARNHQ_SQLITE_WAL_CAP_MB: '32' }).db).toMatchObject({ walCapBytes: 32 * 1024 * 1024 });
  });

  it('runs the reminder job hourly, 3 days ahead, unless told otherwise; 0 turns it off; tests get none unless they ask', () => {
    expect(loadConfig({})).toMatchObject({ reminderIntervalSeconds: 3600, reminderDaysBefore: 3 });
    expect(loadConfig({ LEARNHQ_REMINDER_INTERVAL_SECONDS: '0', LEARNHQ_REMINDER_DAYS_BEFORE: '7' })).toMatchObject({ reminderIntervalSeconds: 0, reminderDaysBefore: 7 });
    expect(() => loadConfig({ LEARNHQ_REMINDER_INTERVAL_SECONDS: 'hourly' })).toThrow(ConfigError);
    expect(() => loadConfig({ LEARNHQ_REMINDER_DAYS_BEFORE: '400' })).toThrow(/LEARNHQ_REMINDER_DAYS_BEFORE/);
    expect(testConfig().reminderIntervalSeconds).toBe(0);
    expect(testConfig({ reminderIntervalSeconds: 5 }).reminderIntervalSeconds).toBe(5);
  });

  it('selects MongoDB from a mongodb:// URL and takes the database name from its path', () => {
    const c = loadConfig({ LEARNHQ_DB: 'mongodb://h1,h2/lrs?replicaSet=rs0' });
    expect(c.db).toEqual({ kind: 'mongo', url: 'mongodb://h1,h2/lrs?replicaSet=rs0', dbName: 'lrs', leaseMs: 10000 });
    expect(loadConfig({ LEARNHQ_DB: 'mongodb://h1' }).db).toMatchObject({ dbName: 'learnhq' });
    expect(loadConfig({ LEARNHQ_DB: 'mongodb://h1', LEARNHQ_MONGO_LEASE_MS: '1500' }).db).toMatchObject({ leaseMs: 1500 });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ LEARNHQ_DB: 'postgres://x/y' }, 'LEARNHQ_DB'],
    [{ LEARNHQ_LRS_KEY: 'k' }, 'LEARNHQ_LRS_SECRET'],
    [{ LEARNHQ_LRS_SECRET: 'longenough' }, 'LEARNHQ_LRS_KEY'],
    [{ LEARNHQ_LRS_KEY: 'a:b', LEARNHQ_LRS_SECRET: 'longenough' }, 'LEARNHQ_LRS_KEY'],
    [{ LEARNHQ_LRS_KEY: 'k', LEARNHQ_LRS_SECRET: 'short' }, 'LEARNHQ_LRS_SECRET'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LEARNHQ_DEMO: 'maybe' }, 'LEARNHQ_DEMO'],
    [{ LEARNHQ_MAX_DOCUMENT_BYTES: '0' }, 'LEARNHQ_MAX_DOCUMENT_BYTES'],
    [{ LEARNHQ_SQLITE_WAL_CAP_MB: '1' }, 'LEARNHQ_SQLITE_WAL_CAP_MB'],
    [{ LEARNHQ_DB: 'mongodb://h1', LEARNHQ_MONGO_LEASE_MS: '50' }, 'LEARNHQ_MONGO_LEASE_MS'],
  ])('refuses %j naming %s', (env, variable) => {
    let thrown: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe(variable);
    expect((thrown as ConfigError).message).toContain(variable);
  });
});
