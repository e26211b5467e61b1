import type { Store } from '../../src/store/store.js';
import type { StoreAdapter } from './store-adapters.js';
import type { Entity, Key, QueryResult } from '../../src/store/store.types.js';
import { tallyFor } from './contract-run.js';

/** `it`, counted per adapter for the run's closing summary. */
export type ContractTest = (name: string, fn: () => Promise<void>, timeoutMs?: number) => void;

/** A counted `it` for one adapter, its tally saved after the describe for the run's closing summary. */
function countedTests(adapter: string): ContractTest {
  const tally = tallyFor(adapter);
  afterAll(() => tally.save());
  return (name, fn, timeoutMs) =>
    it(
      name,
      async () => {
        tally.started();
        await fn();
        tally.passed();
      },
      timeoutMs,
    );
}

export const item = (name: string, parent?: Key): Key =>
  parent ? { kind: 'Item', name, parent } : { kind: 'Item', name };

export const names = (result: QueryResult | (Entity | undefined)[]): (string | undefined)[] =>
  ('entities' in result ? result.entities : result).map((entity) => entity?.key.name);

/**
 * The setup every contract describe shares: the backing store emptied once before it, and its tests counted per
 * adapter for the run's summary. For suites that make their own stores (the whole app over HTTP).
 */
export function countedSuite(adapter: Pick<StoreAdapter, 'name' | 'reset'>): ContractTest {
  beforeAll(() => adapter.reset());
  return countedTests(adapter.name);
}

export interface ContractSuite {
  readonly test: ContractTest;
  /** The current test's store. */
  store(): Store;
}

/** `countedSuite` and a fresh store for each test, closed after it. */
export function contractSuite(adapter: StoreAdapter): ContractSuite {
  const test = countedSuite(adapter);
  let current: Store | undefined;
  beforeEach(async () => {
    current = await adapter.open();
  });
  afterEach(() => current?.close());
  return {
    test,
    store: () => {
      if (!current) {
        throw new Error('no store outside a test');
      }
      return current;
    },
  };
}
