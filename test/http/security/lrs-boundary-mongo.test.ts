/**
 * The LRS boundary tests (issues 4 and 11) again on MongoDB: the same test
 * files, with every world opening a fresh MongoDB database. Runs when MONGODB_URI is set (npm test
 * starts FerretDB for it).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { onMongo } from '../../helpers/on-mongo';
import { useWorldStore } from './fixture';

onMongo('LRS boundary', useWorldStore, () => {
  require('./lrs-boundaries.test');
  require('./people-across-orgs.test');
  require('./statement-ids-across-orgs.test');
  require('./existence-oracles.test');
}, 4);
