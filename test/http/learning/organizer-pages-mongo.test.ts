/**
 * The organizers' opportunity and assignment pages again with the world's store on MongoDB
 * (FerretDB in npm test): the same answers for every role on both engines.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { onMongo } from '../../helpers/on-mongo';
import { useWorldStore } from '../security/fixture';

onMongo('organizer pages', useWorldStore, () => {
  require('./opportunity-org-pages.test');
  require('./assignment-pages.test');
}, 2);
