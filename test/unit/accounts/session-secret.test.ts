import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSessionSecret, SESSION_SECRET_FILE } from '../../../src/accounts/session-secret';
import { ConfigError, loadConfig, testConfig } from '../../../src/config';

// These touch a temporary folder only; the rest of test/unit stays I/O-free.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'learnhq-secret-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveSessionSecret', () => {
  it('keeps LEARNHQ_SESSION_SECRET when set', () => {
    const config = testConfig({ sessionSecret: 'z'.repeat(32), dataDir: dir });
    expect(resolveSessionSecret(config).sessionSecret).toBe('z'.repeat(32));
  });

  it('on SQLite generates a secret once, in a 0600 file, and reuses it on the next start', () => {
    const config = testConfig({ dataDir: join(dir, 'nested'), sessionSecret: undefined, db: { kind: 'sqlite', path: join(dir, 'x.db') } });
    const first = resolveSessionSecret(config).sessionSecret;
    expect(first?.length).toBeGreaterThanOrEqual(32);
    const file = join(dir, 'nested', SESSION_SECRET_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(resolveSessionSecret(config).sessionSecret).toBe(first);
  });

  it('replaces a file too short to be a key', () => {
    writeFileSync(join(dir, SESSION_SECRET_FILE), 'short\n');
    const config = testConfig({ dataDir: dir, sessionSecret: undefined, db: { kind: 'sqlite', path: join(dir, 'x.db') } });
    expect(resolveSessionSecret(config).sessionSecret).not.toBe('short');
  });

  it('on MongoDB stops the start with a ConfigError naming LEARNHQ_SESSION_SECRET', () => {
    const config = testConfig({ dataDir: dir, sessionSecret: undefined, db: { kind: 'mongo', url: 'mongodb://x/', dbName: 'x' } });
    expect(() => resolveSessionSecret(config)).toThrow(ConfigError);
    expect(() => resolveSessionSecret(config)).toThrow(/LEARNHQ_SESSION_SECRET/);
  });
});

describe('account config variables', () => {
  it('reads the session secret and the administrator, lower-casing the email', () => {
    const c = loadConfig({ LEARNHQ_SESSION_SECRET: 'q'.repeat(32), LEARNHQ_ADMIN_EMAIL: 'Boss@Example.org', LEARNHQ_ADMIN_PASSWORD: 'long password' });
    expect(c).toMatchObject({ sessionSecret: 'q'.repeat(32), adminEmail: 'boss@example.org', adminPassword: 'long password' });
    expect(loadConfig({})).toMatchObject({ sessionSecret: undefined, adminEmail: undefined, adminPassword: undefined });
  });

  it('names the variable that breaks a rule', () => {
    expect(() => loadConfig({ LEARNHQ_SESSION_SECRET: 'short' })).toThrow(/^LEARNHQ_SESSION_SECRET: must be at least 32/);
    expect(() => loadConfig({ LEARNHQ_ADMIN_EMAIL: 'a@b.org' })).toThrow(/^LEARNHQ_ADMIN_PASSWORD: /);
    expect(() => loadConfig({ LEARNHQ_ADMIN_PASSWORD: 'long password' })).toThrow(/^LEARNHQ_ADMIN_EMAIL: /);
    expect(() => loadConfig({ LEARNHQ_ADMIN_EMAIL: 'nope', LEARNHQ_ADMIN_PASSWORD: 'long password' })).toThrow(/^LEARNHQ_ADMIN_EMAIL: is not an email/);
    expect(() => loadConfig({ LEARNHQ_ADMIN_EMAIL: 'a@b.org', LEARNHQ_ADMIN_PASSWORD: 'short' })).toThrow(/^LEARNHQ_ADMIN_PASSWORD: must be at least 10/);
  });
});
