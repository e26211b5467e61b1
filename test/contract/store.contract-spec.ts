import { contractAdapters } from './store-adapters.js';
import { countedTests } from './store-contract.js';
import { queriesContract } from './store-queries.contract.js';
import { transactionsContract } from './store-transactions.contract.js';
import { writesContract } from './store-writes.contract.js';

/** One contract, every adapter: the embedded store, and Cloud Datastore's emulator when the run has one. */
describe.each(contractAdapters())('Store contract on $name', (adapter) => {
  const { test, save } = countedTests(adapter.name);

  beforeAll(() => adapter.reset());

  afterAll(() => save());

  writesContract(adapter, test);
  queriesContract(adapter, test);
  transactionsContract(adapter, test);
});
