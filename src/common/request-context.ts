import { AsyncLocalStorage } from 'node:async_hooks';

/** What one HTTP request has cost so far, readable anywhere down its async call chain. */
export interface RequestContext {
  readonly requestId: string;
  readonly trace?: string;
  storeCalls: number;
  storeMs: number;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Called by the store for every round trip it makes, so the response can report them in Server-Timing. */
export function noteStoreRoundTrip(durationMs: number): void {
  const context = storage.getStore();
  if (context) {
    context.storeCalls += 1;
    context.storeMs += durationMs;
  }
}
