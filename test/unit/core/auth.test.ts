import { hashSecret, verifySecret } from '../../../src/accounts/secret-hash';
import { AppError } from '../../../src/errors';
import type { Credential, CredentialStore } from '../../../src/store/ports';
import type { AuthContext } from '../../../src/xapi/auth/auth-context';
import { CredentialVerifier } from '../../../src/xapi/auth/credential-verifier';
import { authorize } from '../../../src/xapi/auth/scopes';
import { negotiateVersion } from '../../../src/xapi/http/version';

const ctx = (...scopes: string[]): AuthContext => ({ credentialKey: 'k', name: 'n', scopes: new Set(scopes), authority: {} });

describe('secret hashing', () => {
  it('verifies the right secret and refuses a wrong one or a malformed hash', async () => {
    const h = await hashSecret('s3cret-value');
    expect(h.startsWith('scrypt$')).toBe(true);
    expect(h).not.toContain('s3cret-value');
    await expect(verifySecret('s3cret-value', h)).resolves.toBe(true);
    await expect(verifySecret('s3cret-valuf', h)).resolves.toBe(false);
    await expect(verifySecret('s3cret-value', 'bcrypt$x')).resolves.toBe(false);
  });
});

describe('CredentialVerifier', () => {
  const make = async (revoked = false): Promise<{ store: CredentialStore; calls: () => number }> => {
    const cred: Credential = {
      key: 'tool',
      secretHash: await hashSecret('pass-word'),
      name: 'Tool',
      scopes: ['statements/write'],
      authority: { mbox: 'mailto:tool@example.org' },
      createdAt: new Date().toISOString(),
      ...(revoked ? { revokedAt: new Date().toISOString() } : {}),
    };
    let n = 0;
    const store: CredentialStore = {
      insertCredential: async () => undefined,
      findCredential: async (key) => {
        n += 1;
        return key === cred.key ? cred : undefined;
      },
      findCredentials: async () => [cred],
      updateCredentialRevoked: async () => true,
      countCredentials: async () => 1,
    };
    return { store, calls: () => n };
  };
  const basic = (u: string, p: string): string => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

  it('authenticates once and then answers from the cache', async () => {
    const { store, calls } = await make();
    const v = new CredentialVerifier(store);
    const a = await v.verifyHeader(basic('tool', 'pass-word'));
    expect(a?.credentialKey).toBe('tool');
    expect([...(a?.scopes ?? [])]).toEqual(['statements/write']);
    await v.verifyHeader(basic('tool', 'pass-word'));
    expect(calls()).toBe(1);
    v.invalidate();
    await v.verifyHeader(basic('tool', 'pass-word'));
    expect(calls()).toBe(2);
  });

  it('refuses wrong secrets, unknown keys, revoked credentials and malformed headers', async () => {
    const { store } = await make();
    const v = new CredentialVerifier(store);
    await expect(v.verifyHeader(basic('tool', 'nope'))).resolves.toBeUndefined();
    await expect(v.verifyHeader(basic('other', 'pass-word'))).resolves.toBeUndefined();
    await expect(v.verifyHeader('Bearer abc')).resolves.toBeUndefined();
    await expect(v.verifyHeader('Basic ' + Buffer.from('nocolon').toString('base64'))).resolves.toBeUndefined();
    const r = await make(true);
    await expect(new CredentialVerifier(r.store).verifyHeader(basic('tool', 'pass-word'))).resolves.toBeUndefined();
  });
});

describe('authorize (xAPI scopes)', () => {
  it.each([
    [['all'], 'statements', 'write', 'all'],
    [['all/read'], 'statements', 'read', 'all'],
    [['statements/write'], 'statements', 'write', 'all'],
    [['statements/read'], 'statements', 'read', 'all'],
    [['statements/read/mine'], 'statements', 'read', 'mine'],
    [['state'], 'state', 'write', 'all'],
    [['profile'], 'agentProfile', 'read', 'all'],
    [['profile'], 'activityProfile', 'write', 'all'],
  ] as const)('%j may %s %s', (scopes, resource, access, expected) => {
    expect(authorize(ctx(...scopes), resource, access)).toBe(expected);
  });

  it.each([
    [['all/read'], 'statements', 'write'],
    [['statements/write'], 'statements', 'read'],
    [['statements/read'], 'state', 'read'],
    [['state'], 'agentProfile', 'write'],
    [['profile'], 'state', 'read'],
    [['statements/read/mine'], 'statements', 'write'],
    [[], 'statements', 'read'],
  ] as const)('%j may not %s %s (403)', (scopes, resource, access) => {
    expect(() => authorize(ctx(...scopes), resource, access)).toThrow(AppError);
    try {
      authorize(ctx(...scopes), resource, access);
    } catch (e) {
      expect((e as AppError).status).toBe(403);
    }
  });
});

describe('negotiateVersion', () => {
  it.each([
    ['2.0.0', '2.0.0'],
    ['2.0', '2.0.0'],
    ['1.0.3', '1.0.3'],
    ['1.0.0', '1.0.3'],
    ['1.0', '1.0.3'],
  ])('%s is served as %s', (h, v) => expect(negotiateVersion(h)).toBe(v));
  it.each(['0.95', '1.1.0', '3.0.0', '', 'abc', undefined])('%s is refused', (h) => expect(negotiateVersion(h)).toBeUndefined());
});
