/**
 * The careers HTTP tests (units and managers, role profiles, goals, extension points, career plans,
 * heat map) again with the world's store
 * on MongoDB (FerretDB in npm test), so the manager's scope and every answer hold on both engines.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { onMongo } from '../../helpers/on-mongo';
import { useWorldStore } from '../security/fixture';

onMongo('careers', useWorldStore, () => {
  require('./teams.test');
  require('./role-profiles.test');
  require('./goals.test');
  require('./extensions.test');
  require('./plans.test');
  require('./heat-map.test');
  require('./goal-history.test');
}, 7);
