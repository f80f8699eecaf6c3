import type { Db } from 'mongodb';
import type { OutboxMail, OutboxStore } from '../ports';
import { guard } from './errors';

interface MailDoc { _id: string; n: number; at: string; to: string; subject: string; text: string }

const COLLECTION = 'outbox_mail';

/** Creates the outbox index; idempotent. */
export async function ensureMongoOutboxIndexes(db: Db): Promise<void> {
  await db.collection(COLLECTION).createIndex({ at: -1, n: -1 }, { name: 'at' });
}

let lastOrder = 0;
/** Insertion order within the process: tie-break of equal times. */
function nextOrder(): number {
  lastOrder = Math.max(Date.now() * 1000, lastOrder + 1);
  return lastOrder;
}

/** The MongoDB OutboxStore. */
export function createMongoOutboxStore(db: Db): OutboxStore {
  const mails = db.collection<MailDoc>(COLLECTION);
  return {
    async insertOutboxMail(m) {
      const doc: MailDoc = { _id: m.id, n: nextOrder(), at: m.at, to: m.to.toLowerCase(), subject: m.subject, text: m.text };
      await guard('storing a mail', () => mails.insertOne(doc), () => `mail ${m.id} already exists`);
    },
    async findOutboxMails(filter) {
      const limit = Math.max(0, Math.trunc(filter.limit));
      if (limit === 0) return [];
      const docs = await guard('listing mail', () => mails.find({}).sort({ at: -1, n: -1 }).limit(limit).toArray());
      return docs.map((d): OutboxMail => ({ id: d._id, at: d.at, to: d.to, subject: d.subject, text: d.text }));
    },
  };
}
