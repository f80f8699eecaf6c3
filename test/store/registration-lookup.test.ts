/**
 * The registration lookup the progress and report subscribers share (launch/progress/tracks.ts):
 * one read of tracks and one of registrations per batch, what it found remembered for the next
 * subscriber, and nothing remembered across an erasure; one memo per store.
 */
import { randomUUID } from 'node:crypto';
import { forgetRegistrations, isUnknownRegistration, lookUpRegistrations } from '../../src/launch/progress/tracks';
import { openStore } from '../../src/store';
import type { Store } from '../../src/store/ports';
import { unique } from './contract/builders';

/** A registration launched in `store` with its progress track (a learner of its own). */
async function launchTracked(store: Store, id: string = randomUUID()): Promise<{ id: string; userId: string }> {
  const userId = unique('user');
  await store.launch.insertRegistration({ id, userId, courseId: unique('course'), versionId: unique('v'), createdAt: new Date().toISOString() });
  await store.progress.insertProgressTrack({
    registration: id, courseId: unique('course'), versionId: unique('v'), userId, agentKey: `account:x|${userId}`,
    courseActivityIds: ['http://example.com/c'], unitActivityIds: [], createdAt: new Date().toISOString(),
  });
  return { id, userId };
}

type Reads = { tracks: string[][]; registrations: string[][] };

/**
 * Records the two reads a lookup makes on `store`, on its own ports: a copy of the store with a
 * counting `launch` would have a memo of its own (tracks.ts keys the memo by `store.launch`).
 */
function countReads(store: Store): Reads {
  const reads: Reads = { tracks: [], registrations: [] };
  const findTracks = store.progress.findProgressTracks.bind(store.progress);
  const findRegistrations = store.launch.findRegistrationsByIds.bind(store.launch);
  jest.spyOn(store.progress, 'findProgressTracks').mockImplementation((regs) => (reads.tracks.push([...regs].sort()), findTracks(regs)));
  jest.spyOn(store.launch, 'findRegistrationsByIds').mockImplementation((ids) => (reads.registrations.push([...ids].sort()), findRegistrations(ids)));
  return reads;
}

/** A new in-memory SQLite store, its lookups' reads recorded. */
type Counted = { store: Store; reads: Reads };
async function openCounted(): Promise<Counted> {
  const store = await openStore({ kind: 'sqlite', path: ':memory:' });
  return { store, reads: countReads(store) };
}

function clearReads(reads: Reads): void {
  reads.tracks.length = 0;
  reads.registrations.length = 0;
}

describe('lookUpRegistrations', () => {
  let store: Store;
  let reads: Reads;

  beforeAll(async () => {
    ({ store, reads } = await openCounted());
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(() => {
    clearReads(reads);
    forgetRegistrations(store);
  });

  const tracked = (): Promise<{ id: string; userId: string }> => launchTracked(store);

  it('reads a batch\'s tracks once and its other registrations once; the next subscriber reads only what has no track', async () => {
    const withTrack = await tracked();
    const launched = randomUUID();
    await store.launch.insertRegistration({ id: launched, userId: unique('user'), courseId: unique('course'), versionId: unique('v'), createdAt: new Date().toISOString() });
    const nobody = randomUUID();

    const first = await lookUpRegistrations(store, [withTrack.id, launched, nobody, withTrack.id, nobody]);
    expect([...first.tracks.keys()]).toEqual([withTrack.id]);
    expect(first.tracks.get(withTrack.id)).toMatchObject({ userId: withTrack.userId, courseActivityIds: ['http://example.com/c'] });
    expect([...first.untracked.keys()]).toEqual([launched]);
    expect(reads.tracks).toEqual([[withTrack.id, launched, nobody].sort()]);
    expect(reads.registrations).toEqual([[launched, nobody].sort()]);
    expect(isUnknownRegistration(store, nobody)).toBe(true);
    expect(isUnknownRegistration(store, launched)).toBe(false);

    // Another subscriber's batch with the same registrations: the track and the unknown one come
    // from the memo; the launched one without a track is read again (its track may exist by now).
    clearReads(reads);
    const second = await lookUpRegistrations(store, [nobody, withTrack.id, launched]);
    expect([...second.tracks.keys()]).toEqual([withTrack.id]);
    expect([...second.untracked.keys()]).toEqual([launched]);
    expect(reads).toEqual({ tracks: [[launched]], registrations: [[launched]] });

    // All remembered: no read at all.
    clearReads(reads);
    await lookUpRegistrations(store, [nobody, withTrack.id]);
    expect(reads).toEqual({ tracks: [], registrations: [] });
  });

  it('reads remembered tracks again for the progress subscriber (freshTracks), not registrations nobody launched', async () => {
    const person = await tracked();
    const nobody = randomUUID();
    await lookUpRegistrations(store, [person.id, nobody]);
    // The track goes without this process's memo being told (an erasure on another instance).
    await store.progress.deleteProgress([person.id]);
    clearReads(reads);
    expect((await lookUpRegistrations(store, [person.id, nobody])).tracks.has(person.id)).toBe(true);
    expect(reads.tracks).toEqual([]);
    const fresh = await lookUpRegistrations(store, [person.id, nobody], Date.now(), true);
    expect(fresh.tracks.has(person.id)).toBe(false);
    expect(reads.tracks).toEqual([[person.id]]);
  });

  it('forgets everything at an erasure, also what a lookup running across it found', async () => {
    const person = await tracked();
    await lookUpRegistrations(store, [person.id]);
    // The erasure deletes the track and the registration, then empties the memo.
    await store.launch.deleteUserLaunchData(person.userId);
    await store.progress.deleteProgress([person.id]);
    forgetRegistrations(store);
    const after = await lookUpRegistrations(store, [person.id]);
    expect(after.tracks.size + after.untracked.size).toBe(0);
    expect(isUnknownRegistration(store, person.id)).toBe(true);

    // A lookup that read before an erasure and finishes after it leaves nothing in the memo.
    const other = await tracked();
    clearReads(reads);
    const pending = lookUpRegistrations(store, [other.id]);
    forgetRegistrations(store);
    expect((await pending).tracks.has(other.id)).toBe(true);
    await lookUpRegistrations(store, [other.id]);
    expect(reads.tracks).toEqual([[other.id], [other.id]]);
  });
});

/**
 * Two stores in one process (two databases: a test file, a tool that copies between sites) may
 * both hold a registration id, each with its own record: what one store's lookups remember is
 * that store's, never an answer for the other.
 */
describe('lookUpRegistrations with two stores', () => {
  let a: Counted;
  let b: Counted;

  beforeAll(async () => {
    [a, b] = await Promise.all([openCounted(), openCounted()]);
  });
  afterAll(async () => {
    await Promise.all([a.store.close(), b.store.close()]);
  });

  it('answers through each store from its own records, also for an id the other store remembered', async () => {
    // `shared`: launched and tracked in A, nobody launched it in B. inA.id: tracked in both, for a
    // different learner in each (inA in A, inB in B).
    const shared = await launchTracked(a.store);
    const inA = await launchTracked(a.store);
    const inB = await launchTracked(b.store, inA.id);

    const fromA = await lookUpRegistrations(a.store, [shared.id, inA.id]);
    expect(fromA.tracks.get(shared.id)?.userId).toBe(shared.userId);
    expect(fromA.tracks.get(inA.id)?.userId).toBe(inA.userId);

    const fromB = await lookUpRegistrations(b.store, [shared.id, inA.id]);
    expect(fromB.tracks.has(shared.id)).toBe(false);
    expect(fromB.untracked.has(shared.id)).toBe(false);
    expect(fromB.tracks.get(inA.id)?.userId).toBe(inB.userId);
    // What decides whether a write waits for the progress subscriber is each store's too.
    expect(isUnknownRegistration(b.store, shared.id)).toBe(true);
    expect(isUnknownRegistration(a.store, shared.id)).toBe(false);

    // And back: B's answers did not replace A's.
    const again = await lookUpRegistrations(a.store, [shared.id, inA.id]);
    expect(again.tracks.get(shared.id)?.userId).toBe(shared.userId);
    expect(again.tracks.get(inA.id)?.userId).toBe(inA.userId);
  });

  it("empties at an erasure of one store only that store's memo; the other store's lookups running across it still remember", async () => {
    const inA = await launchTracked(a.store);
    const inB = await launchTracked(b.store);
    const late = await launchTracked(b.store);
    await lookUpRegistrations(a.store, [inA.id]);
    await lookUpRegistrations(b.store, [inB.id]);

    const pending = lookUpRegistrations(b.store, [late.id]);
    forgetRegistrations(a.store);
    expect((await pending).tracks.has(late.id)).toBe(true);

    // B answers from its memo, without a read; A reads its track again.
    clearReads(a.reads);
    clearReads(b.reads);
    expect([...(await lookUpRegistrations(b.store, [inB.id, late.id])).tracks.keys()]).toEqual([inB.id, late.id]);
    expect(b.reads).toEqual({ tracks: [], registrations: [] });
    expect((await lookUpRegistrations(a.store, [inA.id])).tracks.has(inA.id)).toBe(true);
    expect(a.reads).toEqual({ tracks: [[inA.id]], registrations: [] });
  });
});
