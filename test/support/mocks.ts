import type { Lookups, LookupPart } from '../../src/store/lookup-plan.js';

/** A dependency whose every method fails the test unless the test gave it an answer. */
export function strictMock<T extends object>(overrides: Partial<T> = {}): T {
  return new Proxy(overrides, {
    get(target, property) {
      if (property in target || typeof property === 'symbol' || property === 'then') {
        return target[property as keyof typeof target];
      }
      return () => {
        throw new Error(`unexpected call to ${String(property)}`);
      };
    },
  }) as T;
}

/** A lookup part that needs no keys and reads as `value`. */
export function answer<T>(value: T): LookupPart<T> {
  return { keys: [], read: () => value };
}

/** Runs lookup parts without a store: each part reads every key as absent. */
export function fakeLookups(): Lookups {
  return {
    run: (parts: readonly LookupPart<unknown>[]) =>
      Promise.resolve(parts.map((part) => part.read(part.keys.map(() => undefined)))),
  } as unknown as Lookups;
}
