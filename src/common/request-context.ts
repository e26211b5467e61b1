import { AsyncLocalStorage } from 'node:async_hooks';

/** Which HTTP request this is, readable anywhere down its async call chain (log lines and errors carry it). */
export interface RequestContext {
  readonly requestId: string;
  readonly trace?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
