import type { Credential, Store } from '../../../src/store/ports';
import { nextStored, unique, useStore, type OpenStore } from './builders';

function credential(over: Partial<Credential> = {}): Credential {
  const key = over.key ?? unique('key');
  return {
    key,
    secretHash: `scrypt$N=16384,r=8,p=1$${unique('salt')}$${unique('hash')}`,
    name: `Test credential ${key}`,
    scopes: ['statements/write', 'statements/read/mine'],
    authority: { objectType: 'Agent', account: { homePage: 'https://learnhq.example', name: key } },
    createdAt: nextStored(),
    ...over,
  };
}

/** CredentialStore contract: CRUD, ordering, organization filter and revocation. */
export function credentialsContract(open: OpenStore): void {
  describe('credentials', () => {
    const store = useStore(open);
    const creds = (): Store['credentials'] => store().credentials;

    it('stores a credential and reads it back as given', async () => {
      const c = credential({ orgId: unique('org') });
      await creds().insertCredential(c);
      expect(await creds().findCredential(c.key)).toEqual(c);
      const plain = credential();
      await creds().insertCredential(plain);
      const found = await creds().findCredential(plain.key);
      expect(found).toEqual(plain);
      expect(found && 'orgId' in found).toBe(false);
      expect(found && 'revokedAt' in found).toBe(false);
    });

    it('answers undefined for an unknown key', async () => {
      expect(await creds().findCredential(unique('missing'))).toBeUndefined();
    });

    it('refuses a second credential with the same key, keeping the first', async () => {
      const c = credential();
      await creds().insertCredential(c);
      await expect(creds().insertCredential(credential({ key: c.key, name: 'other' }))).rejects.toMatchObject({
        code: 'conflict',
      });
      expect((await creds().findCredential(c.key))?.name).toBe(c.name);
    });

    it('lists credentials oldest first, optionally of one organization', async () => {
      const org = unique('org');
      const a = credential({ orgId: org });
      const b = credential();
      const c = credential({ orgId: org });
      for (const x of [a, b, c]) await creds().insertCredential(x);
      expect((await creds().findCredentials({ orgId: org })).map((x) => x.key)).toEqual([a.key, c.key]);
      const all = (await creds().findCredentials()).map((x) => x.key);
      const mine = all.filter((k) => [a.key, b.key, c.key].includes(k));
      expect(mine).toEqual([a.key, b.key, c.key]);
      expect(await creds().findCredentials({ orgId: unique('no-org') })).toEqual([]);
    });

    it('counts credentials, revoked included', async () => {
      const before = await creds().countCredentials();
      const c = credential();
      await creds().insertCredential(c);
      await creds().updateCredentialRevoked(c.key, nextStored());
      expect(await creds().countCredentials()).toBe(before + 1);
    });

    it('revokes idempotently and reports unknown keys', async () => {
      const c = credential();
      await creds().insertCredential(c);
      const first = nextStored();
      expect(await creds().updateCredentialRevoked(c.key, first)).toBe(true);
      expect((await creds().findCredential(c.key))?.revokedAt).toBe(first);
      expect(await creds().updateCredentialRevoked(c.key, nextStored())).toBe(true);
      expect((await creds().findCredential(c.key))?.revokedAt).toBe(first);
      expect(await creds().updateCredentialRevoked(unique('missing'), nextStored())).toBe(false);
    });
  });
}
