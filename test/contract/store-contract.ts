import type { Store } from '../../src/store/store.js';
import type { StoreAdapter } from './store-adapters.js';
import type { Entity, Key, QueryResult } from '../../src/store/store.types.js';
import { tallyFor } from './contract-run.js';

/** `it`, counted per adapter for the run's closing summary. */
export type ContractTest = (name: string, fn: () => Promise<void>, timeoutMs?: number) => void;

/** A counted `it` for one adapter; call `save` in afterAll so the run's summary includes these tests. */
export function countedTests(adapter: string): { test: ContractTest; save(): void } {
  const tally = tallyFor(adapter);
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
  return { test, save: () => tally.save() };
}

export const item = (name: string, parent?: Key): Key =>
  parent ? { kind: 'Item', name, parent } : { kind: 'Item', name };

export const names = (result: QueryResult | (Entity | undefined)[]): (string | undefined)[] =>
  ('entities' in result ? result.entities : result).map((entity) => entity?.key.name);

/**
 * The per-describe setup of a contract suite: the backing store emptied once, a fresh store per test, the tally
 * saved at the end. `store()` is the current test's store.
 */
export function contractSuite(adapter: StoreAdapter): { test: ContractTest; store(): Store } {
  const { test, save } = countedTests(adapter.name);
  let current: Store | undefined;
  beforeAll(() => adapter.reset());
  beforeEach(async () => {
    current = await adapter.open();
  });
  afterEach(() => current?.close());
  afterAll(() => save());
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
