/**
 * The SCORM runtime over HTTP — seeding, commits, resume, profile statements and documents,
 * course rollup and score, SCO attempts — on MongoDB: the very tests of runtime, scorm-profile,
 * course-rollup, sco-attempts-seeding and course-score, with every harness opening a MongoDB store. Runs when
 * MONGODB_URI is set (npm test starts FerretDB for it).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { onMongo } from '../../helpers/on-mongo';
import { useLaunchHarnessStore } from './harness';

onMongo('SCORM runtime', useLaunchHarnessStore, () => {
  require('./runtime.test');
  require('./scorm-profile.test');
  require('./course-rollup.test');
  require('./sco-attempts-seeding.test');
  require('./course-score.test');
}, 5);
