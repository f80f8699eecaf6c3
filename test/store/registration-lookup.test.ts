/**
 * The registration lookup the progress and report subscribers share (launch/progress/tracks.ts):
 * one read of tracks and one of registrations per batch, what it found remembered for the next
 * subscriber, and nothing remembered across an erasure.
 */
import { randomUUID } from 'node:crypto';
import { forgetRegistrations, isUnknownRegistration, lookUpRegistrations } from '../../src/launch/progress/tracks';
import { openStore } from '../../src/store';
import type { Store } from '../../src/store/ports';
import { unique } from './contract/builders';

describe('lookUpRegistrations', () => {
  let store: Store;
  let reads: { tracks: string[][]; registrations: string[][] };
  let counted: Store;

  beforeAll(async () => {
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
    // The same store, with the two reads the lookup makes recorded.
    const progress = store.progress;
    const launch = store.launch;
    counted = {
      ...store,
      progress: { ...progress, findProgressTracks: (regs) => (reads.tracks.push([...regs].sort()), progress.findProgressTracks(regs)) },
      launch: { ...launch, findRegistrationsByIds: (ids) => (reads.registrations.push([...ids].sort()), launch.findRegistrationsByIds(ids)) },
    } as Store;
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(() => {
    reads = { tracks: [], registrations: [] };
    forgetRegistrations();
  });

  async function tracked(): Promise<{ id: string; userId: string }> {
    const id = randomUUID();
    const userId = unique('user');
    await store.launch.insertRegistration({ id, userId, courseId: unique('course'), versionId: unique('v'), createdAt: new Date().toISOString() });
    await store.progress.insertProgressTrack({
      registration: id, courseId: unique('course'), versionId: unique('v'), userId, agentKey: `account:x|${userId}`,
      courseActivityIds: ['http://example.com/c'], unitActivityIds: [], createdAt: new Date().toISOString(),
    });
    return { id, userId };
  }

  it('reads a batch\'s tracks once and its other registrations once; the next subscriber reads only what has no track', async () => {
    const withTrack = await tracked();
    const launched = randomUUID();
    await store.launch.insertRegistration({ id: launched, userId: unique('user'), courseId: unique('course'), versionId: unique('v'), createdAt: new Date().toISOString() });
    const nobody = randomUUID();

    const first = await lookUpRegistrations(counted, [withTrack.id, launched, nobody, withTrack.id, nobody]);
    expect([...first.tracks.keys()]).toEqual([withTrack.id]);
    expect(first.tracks.get(withTrack.id)).toMatchObject({ userId: withTrack.userId, courseActivityIds: ['http://example.com/c'] });
    expect([...first.untracked.keys()]).toEqual([launched]);
    expect(reads.tracks).toEqual([[withTrack.id, launched, nobody].sort()]);
    expect(reads.registrations).toEqual([[launched, nobody].sort()]);
    expect(isUnknownRegistration(nobody)).toBe(true);
    expect(isUnknownRegistration(launched)).toBe(false);

    // Another subscriber's batch with the same registrations: the track and the unknown one come
    // from the memo; the launched one without a track is read again (its track may exist by now).
    reads = { tracks: [], registrations: [] };
    const second = await lookUpRegistrations(counted, [nobody, withTrack.id, launched]);
    expect([...second.tracks.keys()]).toEqual([withTrack.id]);
    expect([...second.untracked.keys()]).toEqual([launched]);
    expect(reads).toEqual({ tracks: [[launched]], registrations: [[launched]] });

    // All remembered: no read at all.
    reads = { tracks: [], registrations: [] };
    await lookUpRegistrations(counted, [nobody, withTrack.id]);
    expect(reads).toEqual({ tracks: [], registrations: [] });
  });

  it('reads remembered tracks again for the progress subscriber (freshTracks), not registrations nobody launched', async () => {
    const person = await tracked();
    const nobody = randomUUID();
    await lookUpRegistrations(counted, [person.id, nobody]);
    // The track goes without this process's memo being told (an erasure on another instance).
    await store.progress.deleteProgress([person.id]);
    reads = { tracks: [], registrations: [] };
    expect((await lookUpRegistrations(counted, [person.id, nobody])).tracks.has(person.id)).toBe(true);
    expect(reads.tracks).toEqual([]);
    const fresh = await lookUpRegistrations(counted, [person.id, nobody], Date.now(), true);
    expect(fresh.tracks.has(person.id)).toBe(false);
    expect(reads.tracks).toEqual([[person.id]]);
  });

  it('forgets everything at an erasure, also what a lookup running across it found', async () => {
    const person = await tracked();
    await lookUpRegistrations(counted, [person.id]);
    // The erasure deletes the track and the registration, then empties the memo.
    await store.launch.deleteUserLaunchData(person.userId);
    await store.progress.deleteProgress([person.id]);
    forgetRegistrations();
    const after = await lookUpRegistrations(counted, [person.id]);
    expect(after.tracks.size + after.untracked.size).toBe(0);
    expect(isUnknownRegistration(person.id)).toBe(true);

    // A lookup that read before an erasure and finishes after it leaves nothing in the memo.
    const other = await tracked();
    reads = { tracks: [], registrations: [] };
    const pending = lookUpRegistrations(counted, [other.id]);
    forgetRegistrations();
    expect((await pending).tracks.has(other.id)).toBe(true);
    await lookUpRegistrations(counted, [other.id]);
    expect(reads.tracks).toEqual([[other.id], [other.id]]);
  });
});
