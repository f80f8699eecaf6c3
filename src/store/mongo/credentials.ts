import type { Credential, CredentialStore } from '../ports';
import type { Collections, CredentialDoc } from './collections';
import { guard } from './errors';

let lastOrder = 0;
/** Insertion order: microseconds, strictly increasing within the process. */
function nextOrder(): number {
  lastOrder = Math.max(Date.now() * 1000, lastOrder + 1);
  return lastOrder;
}

/** The MongoDB CredentialStore: one document per key (the key is `_id`, hence unique). */
export function createMongoCredentialStore(c: Collections): CredentialStore {
  return {
    async insertCredential(cred) {
      await guard(
        'storing a credential',
        async () => {
          // No shared counter: FerretDB applies concurrent $inc non-atomically (see sequence.ts).
          const doc: CredentialDoc = {
            _id: cred.key,
            n: nextOrder(),
            secretHash: cred.secretHash,
            name: cred.name,
            scopes: [...cred.scopes],
            authority: JSON.stringify(cred.authority),
            createdAt: cred.createdAt,
          };
          if (cred.orgId !== undefined) doc.orgId = cred.orgId;
          if (cred.revokedAt !== undefined) doc.revokedAt = cred.revokedAt;
          await c.credentials.insertOne(doc);
        },
        () => `credential key ${cred.key} already exists`,
      );
    },
    async findCredential(key) {
      const doc = await guard('reading a credential', () => c.credentials.findOne({ _id: key }));
      return doc ? toCredential(doc) : undefined;
    },
    async findCredentials(filter) {
      const query = filter?.orgId !== undefined ? { orgId: filter.orgId } : {};
      const docs = await guard('listing credentials', () =>
        c.credentials.find(query).sort({ createdAt: 1, n: 1 }).toArray(),
      );
      return docs.map(toCredential);
    },
    async updateCredentialRevoked(key, revokedAt) {
      return guard('revoking a credential', async () => {
        // Keeps the first revocation time. Two plain steps instead of an update pipeline
        // ($ifNull), which FerretDB does not run.
        const first = await c.credentials.updateOne({ _id: key, revokedAt: { $exists: false } }, { $set: { revokedAt } });
        if (first.matchedCount > 0) return true;
        return (await c.credentials.countDocuments({ _id: key }, { limit: 1 })) > 0;
      });
    },
    async countCredentials() {
      return guard('counting credentials', () => c.credentials.countDocuments({}));
    },
  };
}

function toCredential(doc: CredentialDoc): Credential {
  return {
    key: doc._id,
    secretHash: doc.secretHash,
    name: doc.name,
    scopes: doc.scopes,
    authority: JSON.parse(doc.authority) as Record<string, unknown>,
    createdAt: doc.createdAt,
    ...(doc.orgId !== undefined ? { orgId: doc.orgId } : {}),
    ...(doc.revokedAt !== undefined ? { revokedAt: doc.revokedAt } : {}),
  };
}
