/**
 * The cmi5 HTTP flows — launch sequence, LRS rules for session tokens, moveOn and satisfied, the
 * LMS test suite's AUs — on MongoDB: the very tests of cmi5-launch, cmi5-rules, cmi5-move-on and
 * catapult-lts, with every harness opening a MongoDB store. Runs when MONGODB_URI is set (npm test starts FerretDB for it).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { onMongo } from '../../helpers/on-mongo';
import { usePlayerHarnessStore } from './harness';

onMongo('cmi5 flows', usePlayerHarnessStore, () => {
  require('./cmi5-launch.test');
  require('./cmi5-rules.test');
  require('./cmi5-move-on.test');
  require('./catapult-lts.test');
}, 4);
