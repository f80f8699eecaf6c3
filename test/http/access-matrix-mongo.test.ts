/**
 * The access matrix on MongoDB: the very tests of access-matrix.test.ts with the world's store on
 * MongoDB (FerretDB in npm test), so every route's answers — the issue 11 routes (outbox, email
 * proof) and the sign-in limits in the store among them — hold on both engines.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { onMongo } from '../helpers/on-mongo';
import { useWorldStore } from './security/fixture';

onMongo('access matrix', useWorldStore, () => {
  require('./access-matrix.test');
}, 1);
