/**
 * The reminder job tests again with the world's store on MongoDB (FerretDB in npm test): the
 * claims that keep two instances from mailing a reminder twice hold on both engines.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { onMongo } from '../../helpers/on-mongo';
import { useWorldStore } from '../security/fixture';

onMongo('reminder job', useWorldStore, () => {
  require('./reminder-job.test');
}, 1);
