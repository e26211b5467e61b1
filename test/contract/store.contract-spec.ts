import { tallyFor } from './contract-run.js';
import { contractAdapters } from './store-adapters.js';
import type { ContractTest } from './store-contract.js';
import { queriesContract } from './store-queries.contract.js';
import { transactionsContract } from './store-transactions.contract.js';
import { writesContract } from './store-writes.contract.js';

/** One contract, every adapter: the embedded store, and Cloud Datastore's emulator when the run has one. */
describe.each(contractAdapters())('Store contract on $name', (adapter) => {
  const tally = tallyFor(adapter.name);
  const test: ContractTest = (name, fn, timeoutMs) =>
    it(
      name,
      async () => {
        tally.started();
        await fn();
        tally.passed();
      },
      timeoutMs,
    );

  beforeAll(() => adapter.reset());

  afterAll(() => tally.save());

  writesContract(adapter, test);
  queriesContract(adapter, test);
  transactionsContract(adapter, test);
});
