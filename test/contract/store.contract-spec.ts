import { contractAdapters } from './store-adapters.js';
import { contractSuite } from './store-contract.js';
import { indexesContract } from './store-indexes.contract.js';
import { pagingContract } from './store-paging.contract.js';
import { queriesContract } from './store-queries.contract.js';
import { transactionsContract } from './store-transactions.contract.js';
import { writesContract } from './store-writes.contract.js';

/** One contract, every adapter: the embedded store, and Cloud Datastore's emulator when the run has one. */
describe.each(contractAdapters())('Store contract on $name', (adapter) => {
  const suite = contractSuite(adapter);

  writesContract(suite);
  queriesContract(suite);
  pagingContract(suite);
  indexesContract(suite);
  transactionsContract(suite);
});
