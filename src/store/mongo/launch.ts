import type { Db } from 'mongodb';
import type {
  Attempt, AttemptPatch, CompletionState, LaunchMode, LaunchSession, LaunchStore, Registration, ScoRuntime, SuccessState,
} from '../ports';
import { guard, isDuplicateKeyError, toAppError } from './errors';
import { createKeyedQueue } from './queue';

/**
 * cmi data and format-specific state are JSON text: SCO data carries free-form keys (interaction
 * ids, suspend data) that MongoDB-compatible servers refuse as field names.
 */
interface RegistrationDoc { _id: string; userId: string; courseId: string; versionId: string; orgId?: string; createdAt: string }
interface AttemptDoc {
  _id: string; registrationId: string; number: number; completion: string; success: string; scoreScaled?: number | null;
  totalSeconds: number; suspended: boolean; lastScoId?: string | null; state?: string | null; createdAt: string; updatedAt: string;
  completedAt?: string | null;
}
/** `_id` is `<attemptId>|<scoId>`: the unique key that makes racing commits of one SCO safe. */
interface RuntimeDoc { _id: string; attemptId: string; scoId: string; seq: number; cmi: string; updatedAt: string; scoAttempts?: number | null }
interface SessionDoc {
  _id: string; registrationId: string; attemptId: string; userId: string; courseId: string; versionId: string; mode: string;
  scoId?: string; data?: string; playerSeconds?: number; createdAt: string; expiresAt: string;
}
interface OnceDoc { _id: string; at: string }

/** Creates the launch indexes; idempotent; one createIndex per index (FerretDB). */
export async function ensureMongoLaunchIndexes(db: Db): Promise<void> {
  await db.collection('registrations').createIndex({ userId: 1, versionId: 1 }, { name: 'user_version_unique', unique: true });
  await db.collection('registrations').createIndex({ userId: 1, courseId: 1, createdAt: -1 }, { name: 'user_course' });
  await db.collection('attempts').createIndex({ registrationId: 1, number: 1 }, { name: 'registration_number_unique', unique: true });
  await db.collection('sco_runtime').createIndex({ attemptId: 1, scoId: 1 }, { name: 'attempt_sco' });
  await db.collection('launch_sessions').createIndex({ attemptId: 1, createdAt: 1 }, { name: 'attempt_created' });
}

function toRegistration(d: RegistrationDoc): Registration {
  return {
    id: d._id, userId: d.userId, courseId: d.courseId, versionId: d.versionId,
    ...(typeof d.orgId === 'string' ? { orgId: d.orgId } : {}), createdAt: d.createdAt,
  };
}

function toAttempt(d: AttemptDoc): Attempt {
  return {
    id: d._id,
    registrationId: d.registrationId,
    number: d.number,
    completion: d.completion as CompletionState,
    success: d.success as SuccessState,
    ...(typeof d.scoreScaled === 'number' ? { scoreScaled: d.scoreScaled } : {}),
    totalSeconds: d.totalSeconds,
    suspended: d.suspended,
    ...(typeof d.lastScoId === 'string' ? { lastScoId: d.lastScoId } : {}),
    ...(typeof d.state === 'string' ? { state: JSON.parse(d.state) as Record<string, unknown> } : {}),
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    ...(typeof d.completedAt === 'string' ? { completedAt: d.completedAt } : {}),
  };
}

function toRuntime(d: RuntimeDoc): ScoRuntime {
  return {
    attemptId: d.attemptId, scoId: d.scoId, seq: d.seq, cmi: JSON.parse(d.cmi) as Record<string, unknown>,
    ...(typeof d.scoAttempts === 'number' ? { scoAttempts: d.scoAttempts } : {}), updatedAt: d.updatedAt,
  };
}

function toSession(d: SessionDoc): LaunchSession {
  return {
    id: d._id, registrationId: d.registrationId, attemptId: d.attemptId, userId: d.userId, courseId: d.courseId,
    versionId: d.versionId, mode: d.mode as LaunchMode,
    ...(typeof d.scoId === 'string' ? { scoId: d.scoId } : {}),
    ...(typeof d.data === 'string' ? { data: JSON.parse(d.data) as Record<string, unknown> } : {}),
    ...(typeof d.playerSeconds === 'number' ? { playerSeconds: d.playerSeconds } : {}),
    createdAt: d.createdAt, expiresAt: d.expiresAt,
  };
}

/** The MongoDB launch store. */
export function createMongoLaunchStore(db: Db): LaunchStore {
  const regs = db.collection<RegistrationDoc>('registrations');
  const attempts = db.collection<AttemptDoc>('attempts');
  const runtime = db.collection<RuntimeDoc>('sco_runtime');
  const sessions = db.collection<SessionDoc>('launch_sessions');
  const once = db.collection<OnceDoc>('launch_once');

  const serialize = createKeyedQueue();

  return {
    async deleteUserLaunchData(userId) {
      const registrations = (await guard('reading registrations', () => regs.find({ userId }, { projection: { _id: 1 } }).toArray())).map((d) => d._id);
      const attemptIds = (await guard('reading attempts', () => attempts.find({ registrationId: { $in: registrations } }, { projection: { _id: 1 } }).toArray())).map((d) => d._id);
      let deleted = 0;
      deleted += (await guard('erasing runtime data', () => runtime.deleteMany({ attemptId: { $in: attemptIds } }))).deletedCount;
      deleted += (await guard('erasing attempts', () => attempts.deleteMany({ registrationId: { $in: registrations } }))).deletedCount;
      deleted += (await guard('erasing launch sessions', () => sessions.deleteMany({ userId }))).deletedCount;
      deleted += (await guard('erasing registrations', () => regs.deleteMany({ userId }))).deletedCount;
      return { registrations, deleted };
    },
    async insertRegistration(r) {
      await guard('storing a registration', () => regs.insertOne({
        _id: r.id, userId: r.userId, courseId: r.courseId, versionId: r.versionId,
        ...(r.orgId !== undefined ? { orgId: r.orgId } : {}), createdAt: r.createdAt,
      }), () => `registration ${r.id} or one of user ${r.userId} for version ${r.versionId} exists`);
    },
    async findRegistration(id) {
      const d = await guard('reading a registration', () => regs.findOne({ _id: id }));
      return d ? toRegistration(d) : undefined;
    },
    async findRegistrationsByIds(ids) {
      if (ids.length === 0) return [];
      const docs = await guard('reading registrations', () => regs.find({ _id: { $in: [...new Set(ids)] } }).toArray());
      return docs.map(toRegistration);
    },
    async findRegistrations(q) {
      const docs = await guard('listing registrations', () =>
        regs.find({ userId: q.userId, courseId: q.courseId }).sort({ createdAt: -1, _id: -1 }).toArray());
      return docs.map(toRegistration);
    },
    async insertAttempt(a) {
      await guard('storing an attempt', () => attempts.insertOne({
        _id: a.id, registrationId: a.registrationId, number: a.number, completion: a.completion, success: a.success,
        ...(a.scoreScaled !== undefined ? { scoreScaled: a.scoreScaled } : {}),
        totalSeconds: a.totalSeconds, suspended: a.suspended,
        ...(a.lastScoId !== undefined ? { lastScoId: a.lastScoId } : {}),
        ...(a.state !== undefined ? { state: JSON.stringify(a.state) } : {}),
        createdAt: a.createdAt, updatedAt: a.updatedAt,
        ...(a.completedAt !== undefined ? { completedAt: a.completedAt } : {}),
      }), () => `attempt ${a.id} or attempt number ${a.number} of registration ${a.registrationId} exists`);
    },
    async findAttempt(id) {
      const d = await guard('reading an attempt', () => attempts.findOne({ _id: id }));
      return d ? toAttempt(d) : undefined;
    },
    async findAttempts(registrationId) {
      const docs = await guard('listing attempts', () => attempts.find({ registrationId }).sort({ number: 1 }).toArray());
      return docs.map(toAttempt);
    },
    async findAttemptsOf(registrationIds) {
      if (registrationIds.length === 0) return [];
      const docs = await guard('listing attempts', () => attempts.find({ registrationId: { $in: [...new Set(registrationIds)] } }).sort({ registrationId: 1, number: 1 }).toArray());
      return docs.map(toAttempt);
    },
    async updateAttempt(id, patch: AttemptPatch) {
      const set: Partial<AttemptDoc> = { updatedAt: patch.updatedAt };
      if (patch.completion !== undefined) set.completion = patch.completion;
      if (patch.success !== undefined) set.success = patch.success;
      if (patch.scoreScaled !== undefined) set.scoreScaled = patch.scoreScaled;
      if (patch.totalSeconds !== undefined) set.totalSeconds = patch.totalSeconds;
      if (patch.suspended !== undefined) set.suspended = patch.suspended;
      if (patch.lastScoId !== undefined) set.lastScoId = patch.lastScoId;
      if (patch.state !== undefined) set.state = patch.state === null ? null : JSON.stringify(patch.state);
      if (patch.completedAt !== undefined) set.completedAt = patch.completedAt;
      const res = await guard('updating an attempt', () => attempts.updateOne({ _id: id }, { $set: set }));
      if (res.matchedCount === 0) return undefined;
      const d = await guard('reading an attempt', () => attempts.findOne({ _id: id }));
      return d ? toAttempt(d) : undefined;
    },
    async commitRuntime(r) {
      const _id = `${r.attemptId}|${r.scoId}`;
      // Commits of one SCO are applied one after another in this process, and each checks what
      // it left: FerretDB 1.x does not apply a filtered update atomically (two racing updates can
      // both match `seq < n`, and the lower may land last), so a commit whose seq is no longer
      // the stored one after its write, while lower, writes again. Commits from other instances
      // race the same way and converge the same way: the highest seq always ends up stored.
      return serialize(_id, async () => {
        let applied = false;
        for (let attempt = 0; attempt < 5; attempt++) {
          try {
            // Matches only a stored commit with a lower seq; when a higher or equal one is stored
            // the upsert tries to insert the same _id and the unique key refuses it: a no-op.
            const res = await runtime.updateOne(
              { _id, seq: { $lt: r.seq } },
              {
                $set: {
                  attemptId: r.attemptId, scoId: r.scoId, seq: r.seq, cmi: JSON.stringify(r.cmi), updatedAt: r.updatedAt,
                  scoAttempts: r.scoAttempts ?? null,
                },
              },
              { upsert: true },
            );
            applied = applied || res.modifiedCount + res.upsertedCount > 0;
          } catch (err) {
            if (!isDuplicateKeyError(err)) throw toAppError(err, 'storing SCO runtime data');
          }
          const stored = await guard('reading SCO runtime data', () => runtime.findOne({ _id }, { projection: { seq: 1 } }));
          if (!stored || stored.seq >= r.seq) return { applied, seq: stored?.seq ?? r.seq };
        }
        throw toAppError(new Error('SCO runtime data kept being overwritten by older commits'), 'storing SCO runtime data');
      });
    },
    async findRuntime(attemptId, scoId) {
      const filter = scoId !== undefined ? { _id: `${attemptId}|${scoId}` } : { attemptId };
      const docs = await guard('reading SCO runtime data', () => runtime.find(filter).sort({ scoId: 1 }).toArray());
      return docs.map(toRuntime);
    },
    async insertLaunchSession(s) {
      await guard('storing a launch session', () => sessions.insertOne({
        _id: s.id, registrationId: s.registrationId, attemptId: s.attemptId, userId: s.userId, courseId: s.courseId,
        versionId: s.versionId, mode: s.mode, ...(s.scoId !== undefined ? { scoId: s.scoId } : {}),
        ...(s.data !== undefined ? { data: JSON.stringify(s.data) } : {}), createdAt: s.createdAt, expiresAt: s.expiresAt,
      }), () => `launch session ${s.id} exists`);
    },
    async findLaunchSession(id) {
      const d = await guard('reading a launch session', () => sessions.findOne({ _id: id }));
      return d ? toSession(d) : undefined;
    },
    async updateLaunchSessionData(id, data) {
      const res = await guard('updating a launch session', () => sessions.updateOne({ _id: id }, { $set: { data: JSON.stringify(data) } }));
      if (res.matchedCount === 0) return undefined;
      const d = await guard('reading a launch session', () => sessions.findOne({ _id: id }));
      return d ? toSession(d) : undefined;
    },
    async recordPlayerTime(id, seconds) {
      const res = await guard('recording player time', () => sessions.updateOne({ _id: id }, { $max: { playerSeconds: seconds } }));
      return res.matchedCount > 0;
    },
    async findLaunchSessions(q) {
      if (q.attemptIds.length === 0) return [];
      const docs = await guard('listing launch sessions', () => sessions.find({ attemptId: { $in: [...new Set(q.attemptIds)] } }).sort({ createdAt: 1, _id: 1 }).toArray());
      return docs.map(toSession);
    },
    async claimOnce(key, at) {
      try {
        await once.insertOne({ _id: key, at });
        return true;
      } catch (err) {
        if (isDuplicateKeyError(err)) return false;
        throw toAppError(err, 'claiming a one-time use');
      }
    },
  };
}
