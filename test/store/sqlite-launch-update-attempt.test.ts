/**
 * updateAttempt of the SQLite launch store compiles one UPDATE per column set and reuses it: a
 * commit's patch has the same shape every time, so later calls never reach db.prepare, whatever
 * order the patch's properties were written in; each set still writes its values to the right columns.
 */
import Database from 'better-sqlite3';
import { createSqliteLaunchStore, migrateSqliteLaunch } from '../../src/store/sqlite/launch';

const T0 = '2025-01-01T00:00:00.000Z';

it('prepares the UPDATE once per column set and writes each value to its column', async () => {
  const db = new Database(':memory:');
  try {
    migrateSqliteLaunch(db);
    const launch = createSqliteLaunchStore(db);
    await launch.insertRegistration({ id: 'r1', userId: 'u1', courseId: 'c1', versionId: 'v1', createdAt: T0 });
    await launch.insertAttempt({
      id: 'a1', registrationId: 'r1', number: 1, completion: 'not attempted', success: 'unknown', totalSeconds: 0,
      suspended: false, createdAt: T0, updatedAt: T0,
    });
    const prepare = jest.spyOn(db, 'prepare');

    const first = await launch.updateAttempt('a1', { completion: 'incomplete', scoreScaled: 0.25, lastScoId: 's1', updatedAt: '2025-01-01T00:00:01.000Z' });
    expect(prepare).toHaveBeenCalledTimes(1);
    expect(first).toMatchObject({ completion: 'incomplete', scoreScaled: 0.25, lastScoId: 's1', updatedAt: '2025-01-01T00:00:01.000Z' });

    // Same columns, properties in another order: the cached statement, values still in place.
    const second = await launch.updateAttempt('a1', { updatedAt: '2025-01-01T00:00:02.000Z', lastScoId: 's2', scoreScaled: 0.5, completion: 'completed' });
    expect(prepare).toHaveBeenCalledTimes(1);
    expect(second).toMatchObject({ completion: 'completed', scoreScaled: 0.5, lastScoId: 's2', updatedAt: '2025-01-01T00:00:02.000Z' });

    // Another column set compiles its own statement once.
    const third = await launch.updateAttempt('a1', { suspended: true, state: { x: 1 }, success: 'passed', updatedAt: '2025-01-01T00:00:03.000Z' });
    expect(third).toMatchObject({ suspended: true, state: { x: 1 }, success: 'passed', completion: 'completed', lastScoId: 's2' });
    await launch.updateAttempt('a1', { success: 'failed', state: null, suspended: false, updatedAt: '2025-01-01T00:00:04.000Z' });
    expect(prepare).toHaveBeenCalledTimes(2);
    const last = await launch.findAttempt('a1');
    expect(last).toMatchObject({ success: 'failed', suspended: false, completion: 'completed', scoreScaled: 0.5 });
    expect(last?.state).toBeUndefined();

    expect(await launch.updateAttempt('missing', { completion: 'completed', updatedAt: T0 })).toBeUndefined();
  } finally {
    db.close();
  }
});
