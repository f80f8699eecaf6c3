/**
 * Editing and withdrawing opportunities, and self-report files, again with the world's store on
 * MongoDB (FerretDB in npm test): the same answers for every role on both engines.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { onMongo } from '../../helpers/on-mongo';
import { useWorldStore } from '../security/fixture';

onMongo('opportunity edits and self-report files', useWorldStore, () => {
  require('./opportunity-edit.test');
  require('./self-report-files.test');
}, 2);
