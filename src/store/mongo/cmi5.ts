import type { Db, Filter } from 'mongodb';
import type { Cmi5LaunchMode, Cmi5Session, Cmi5SessionState, Cmi5Store } from '../ports';
import { guard, isDuplicateKeyError, toAppError } from './errors';

/** The actor is JSON text: Agents are client data and may carry keys MongoDB-compatible servers refuse. */
interface SessionDoc {
  _id: string; registration: string; courseId: string; versionId: string; userId: string; orgId?: string; actor: string;
  agentKey: string; auId: string; auActivityId: string; launchMode: string; moveOn: string; masteryScore?: number;
  fetchKeyHash: string; tokenId?: string; state: string; launchedAt: string; lastStatementAt?: string; endedAt?: string;
}
/** `_id` is `<registration> <mark>`: the unique key makes marks once-only across instances. */
interface MarkDoc { _id: string; registration: string; mark: string; statementId: string }

/** Creates the cmi5 indexes; idempotent; one createIndex per index (FerretDB: sparse, not partial). */
export async function ensureMongoCmi5Indexes(db: Db): Promise<void> {
  await db.collection('cmi5_sessions').createIndex({ registration: 1, state: 1 }, { name: 'registration_state' });
  await db.collection('cmi5_sessions').createIndex({ tokenId: 1 }, { name: 'token', sparse: true });
  await db.collection('cmi5_marks').createIndex({ registration: 1 }, { name: 'registration' });
}

function toSession(d: SessionDoc): Cmi5Session {
  return {
    id: d._id, registration: d.registration, courseId: d.courseId, versionId: d.versionId, userId: d.userId,
    ...(typeof d.orgId === 'string' ? { orgId: d.orgId } : {}),
    actor: JSON.parse(d.actor) as Record<string, unknown>, agentKey: d.agentKey, auId: d.auId, auActivityId: d.auActivityId,
    launchMode: d.launchMode as Cmi5LaunchMode, moveOn: d.moveOn,
    ...(typeof d.masteryScore === 'number' ? { masteryScore: d.masteryScore } : {}),
    fetchKeyHash: d.fetchKeyHash,
    ...(typeof d.tokenId === 'string' ? { tokenId: d.tokenId } : {}),
    state: d.state as Cmi5SessionState, launchedAt: d.launchedAt,
    ...(typeof d.lastStatementAt === 'string' ? { lastStatementAt: d.lastStatementAt } : {}),
    ...(typeof d.endedAt === 'string' ? { endedAt: d.endedAt } : {}),
  };
}

export function createMongoCmi5Store(db: Db): Cmi5Store {
  const sessions = db.collection<SessionDoc>('cmi5_sessions');
  const marks = db.collection<MarkDoc>('cmi5_marks');
  return {
    async insertCmi5Session(s) {
      const { id, actor, ...rest } = s;
      await guard('inserting a cmi5 session', () => sessions.insertOne({ _id: id, actor: JSON.stringify(actor), ...rest }),
        () => `cmi5 session ${id} exists`);
    },
    async findCmi5Session(id) {
      const d = await guard('finding a cmi5 session', () => sessions.findOne({ _id: id }));
      return d ? toSession(d) : undefined;
    },
    async findCmi5SessionByToken(tokenId) {
      const d = await guard('finding a cmi5 session', () => sessions.findOne({ tokenId }));
      return d ? toSession(d) : undefined;
    },
    async findOpenCmi5Sessions(registration) {
      const docs = await guard('finding open cmi5 sessions', () =>
        sessions.find({ registration, state: { $in: ['launched', 'initialized'] } }).toArray());
      return docs.map(toSession).sort((a, b) => (a.launchedAt < b.launchedAt ? -1 : a.launchedAt > b.launchedAt ? 1 : a.id < b.id ? -1 : 1));
    },
    async updateCmi5Session(id, patch, fromStates) {
      const set: Partial<SessionDoc> = {};
      if (patch.state !== undefined) set.state = patch.state;
      if (patch.tokenId !== undefined) set.tokenId = patch.tokenId;
      if (patch.lastStatementAt !== undefined) set.lastStatementAt = patch.lastStatementAt;
      if (patch.endedAt !== undefined) set.endedAt = patch.endedAt;
      const filter: Filter<SessionDoc> = { _id: id };
      if (fromStates !== undefined) filter.state = { $in: [...fromStates] };
      const d = Object.keys(set).length === 0
        ? await guard('finding a cmi5 session', () => sessions.findOne(filter))
        : await guard('updating a cmi5 session', () => sessions.findOneAndUpdate(filter, { $set: set }, { returnDocument: 'after' }));
      return d ? toSession(d) : undefined;
    },
    async insertCmi5Mark(registration, mark, statementId) {
      const _id = `${registration} ${mark}`;
      try {
        await marks.insertOne({ _id, registration, mark, statementId });
        return undefined;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw toAppError(err, 'inserting a cmi5 mark');
        const d = await guard('finding a cmi5 mark', () => marks.findOne({ _id }));
        return d?.statementId ?? statementId;
      }
    },
    async findCmi5Marks(registration) {
      const docs = await guard('finding cmi5 marks', () => marks.find({ registration }).toArray());
      return docs.map((d) => d.mark).sort();
    },
  };
}
