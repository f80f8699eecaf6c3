import type { ActivityStore } from '../../../src/store/ports';
import { unique, useStore, type OpenStore } from './builders';

const activityId = (): string => `http://example.com/activities/${unique('act')}`;

/** ActivityStore contract: canonical definitions by id, replaced by later writes. */
export function activitiesContract(open: OpenStore): void {
  describe('activities', () => {
    const store = useStore(open);
    const acts = (): ActivityStore => store().activities;

    it('returns undefined for an unknown activity and skips unknown ids in bulk reads', async () => {
      expect(await acts().findActivity(activityId())).toBeUndefined();
      expect(await acts().findActivities([activityId(), activityId()])).toEqual([]);
      expect(await acts().findActivities([])).toEqual([]);
    });

    it('stores definitions with dotted extension keys and reads them back', async () => {
      const id = activityId();
      const definition = {
        name: { 'en-US': 'Example', 'fr-FR': 'Exemple' },
        type: 'http://adlnet.gov/expapi/activities/meeting',
        extensions: { 'http://example.com/ext.v1': { nested: [1, 'two', null, true] } },
      };
      await acts().upsertActivities([{ id, definition, updated: '2024-01-01T00:00:00.000Z' }]);
      expect(await acts().findActivity(id)).toEqual({ id, definition, updated: '2024-01-01T00:00:00.000Z' });
    });

    it('replaces a definition on a later write (last write wins, also within one batch)', async () => {
      const id = activityId();
      await acts().upsertActivities([{ id, definition: { name: { 'en-US': 'one' } }, updated: '2024-01-01T00:00:00.000Z' }]);
      await acts().upsertActivities([
        { id, definition: { name: { 'en-US': 'two' } }, updated: '2024-01-02T00:00:00.000Z' },
        { id, definition: { name: { 'en-US': 'three' } }, updated: '2024-01-03T00:00:00.000Z' },
      ]);
      expect((await acts().findActivity(id))?.definition).toEqual({ name: { 'en-US': 'three' } });
      await acts().upsertActivities([]); // a no-op
    });

    it('reads many records at once, each id once', async () => {
      const ids = Array.from({ length: 5 }, activityId);
      await acts().upsertActivities(ids.map((id, i) => ({ id, definition: { n: i }, updated: '2024-02-01T00:00:00.000Z' })));
      const found = await acts().findActivities([...ids, ids[0]!, activityId()]);
      expect(found.map((r) => r.id).sort()).toEqual([...ids].sort());
      expect(found.find((r) => r.id === ids[3])?.definition).toEqual({ n: 3 });
    });
  });
}
