import type { Entity, Key, QueryResult } from '../../src/store/store.types.js';

/** `it`, counted per adapter for the run's closing summary. */
export type ContractTest = (name: string, fn: () => Promise<void>, timeoutMs?: number) => void;

export const item = (name: string, parent?: Key): Key =>
  parent ? { kind: 'Item', name, parent } : { kind: 'Item', name };

export const names = (result: QueryResult | (Entity | undefined)[]): (string | undefined)[] =>
  ('entities' in result ? result.entities : result).map((entity) => entity?.key.name);
