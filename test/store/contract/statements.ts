import { useStore, type OpenStore } from './builders';
import { insertCases } from './statements-insert';
import { linkCases } from './statements-links';
import { queryCases } from './statements-query';

/** StatementStore contract. One store for the whole suite; every test uses its own keys. */
export function statementsContract(open: OpenStore): void {
  describe('statements', () => {
    const store = useStore(open);
    insertCases(store);
    queryCases(store);
    linkCases(store);
  });
}
