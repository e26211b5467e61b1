import { AsyncLocalStorage } from 'node:async_hooks';

/** What a unit of work (an HTTP request, a task) has cost the store so far. */
export interface CostMeter {
  storeCalls: number;
  storeMs: number;
  /** Round trips that began with none in flight: the calls one after the other (parallel ones count once). */
  storeWaves?: number;
  /** Round trips out now. */
  storeInFlight?: number;
}

const meters = new AsyncLocalStorage<CostMeter>();

/** Runs `fn` with `meter` counting every store round trip made anywhere down its async call chain. */
export function runMetered<T>(meter: CostMeter, fn: () => T): T {
  return meters.run(meter, fn);
}

/** Called by the store as each round trip starts. */
export function noteStoreRoundTripStart(): void {
  const meter = meters.getStore();
  if (meter) {
    if ((meter.storeInFlight ?? 0) === 0) {
      meter.storeWaves = (meter.storeWaves ?? 0) + 1;
    }
    meter.storeInFlight = (meter.storeInFlight ?? 0) + 1;
  }
}

/** Called by the store for every round trip it makes, once it is over. */
export function noteStoreRoundTrip(durationMs: number): void {
  const meter = meters.getStore();
  if (meter) {
    meter.storeCalls += 1;
    meter.storeMs += durationMs;
    meter.storeInFlight = Math.max(0, (meter.storeInFlight ?? 1) - 1);
  }
}
