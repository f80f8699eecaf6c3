/**
 * The store contract: every engine runs these same suites (sqlite.test.ts, mongo.test.ts), with
 * no per-engine branch inside. `open` is called once per suite; the store it returns may already
 * hold data, because tests use unique ids and keys instead of wiping.
 */
import type { Store } from '../../src/store/ports';
import { accountsContract } from './contract/accounts';
import { activitiesContract } from './contract/activities';
import { careersContract } from './contract/careers';
import { competencyContract } from './contract/competency';
import { catalogContract } from './contract/catalog';
import { coursesContract } from './contract/courses';
import { credentialsContract } from './contract/credentials';
import { statementsContract } from './contract/statements';
import { documentsContract } from './contract/documents';
import { erasureContract } from './contract/erasure';
import { progressContract } from './contract/progress';
import { reportsContract } from './contract/reports';
import { launchContract } from './contract/launch';
import { limitsContract } from './contract/limits';
import { outboxContract } from './contract/outbox';
import { pipelineContract } from './contract/pipeline';
import { forwardingContract } from './contract/forwarding';
import { visibleSeqMultiContract } from './contract/visible-seq-multi';

export type { OpenStore } from './contract/builders';
/** The FileStore contract (package files) is separate: file stores are not part of Store. */
export { runFileStoreContract } from './contract/files';

/** Runs every contract suite against the engine `open` connects to. */
export function runStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`${name} store contract`, () => {
    statementsContract(open);
    credentialsContract(open);
    accountsContract(open);
    activitiesContract(open);
    documentsContract(open);
    erasureContract(open);
    coursesContract(open);
    progressContract(open);
    reportsContract(open);
    launchContract(open);
    outboxContract(open);
    pipelineContract(open);
    forwardingContract(open);
    limitsContract(open);
    competencyContract(open);
    visibleSeqMultiContract(open);
    careersContract(open);
    catalogContract(open);
  });
}
