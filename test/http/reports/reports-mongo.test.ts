import { onMongo } from '../../helpers/on-mongo';
import { useReportWorldStore } from './harness';

/** The report routes' role tests again on MongoDB (FerretDB in CI). */
onMongo('report routes', useReportWorldStore, () => {
  require('./overview.test');
  require('./course.test');
  require('./explorer.test');
  require('./people.test');
  require('./competencies.test');
  require('./saved-pages.test');
  require('./provider-competencies.test');
}, 7);
