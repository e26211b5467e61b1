import { AsyncLocalStorage } from 'node:async_hooks';

/** What a unit of work (an HTTP request, a task) has cost the store so far. */
export interface CostMeter {
  storeCalls: number;
  storeMs: number;
}

const meters = new AsyncLocalStorage<CostMeter>();

/** Runs `fn` with `meter` counting every store round trip made anywhere down its async call chain. */
export function runMetered<T>(meter: CostMeter, fn: () => T): T {
  return meters.run(meter, fn);
}

/** Called by the store for every round trip it makes. */
export function noteStoreRoundTrip(durationMs: number): void {
  const meter = meters.getStore();
  if (meter) {
    meter.storeCalls += 1;
    meter.storeMs += durationMs;
  }
}
