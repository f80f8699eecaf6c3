/**
 * The demo learning records again on MongoDB (FerretDB in npm test): filed under the demo
 * organizations, projected into their reports, on both engines.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { onMongo } from '../helpers/on-mongo';
import { useDemoStore } from './demo-seed-store';

onMongo('demo learning records', useDemoStore, () => {
  require('./demo-seed.test');
}, 1);
