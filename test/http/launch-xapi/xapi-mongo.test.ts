/**
 * The xAPI (TinCan) player flows and the learner record on MongoDB: the very tests of
 * tincan-launch, activity-profile, tincan-time and one-record, with every harness opening a
 * MongoDB store. Runs when MONGODB_URI is set (npm test starts FerretDB for it).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { onMongo } from '../../helpers/on-mongo';
import { usePlayerHarnessStore } from '../cmi5/harness';

onMongo('xAPI player and learner record', usePlayerHarnessStore, () => {
  require('./tincan-launch.test');
  require('./activity-profile.test');
  require('./tincan-time.test');
  require('./one-record.test');
}, 4);
