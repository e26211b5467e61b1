export interface WaitOptions {
  /** What is awaited, as the failure message says it: "the server to close its listener". */
  readonly what: string;
  /** When to give up: a guard against a hang, not a figure under test (latencies are the bench's). */
  readonly timeoutMs: number;
  /** How often the condition is checked. */
  readonly intervalMs?: number;
}

/**
 * Checks `condition` until it holds, instead of sleeping for a time that stands for it; fails naming `what` once
 * `timeoutMs` has passed. An error thrown by the condition ends the wait with that error.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  { what, timeoutMs, intervalMs = 20 }: WaitOptions,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await condition()) {
      return;
    }
    if (performance.now() >= deadline) {
      throw new Error(`waited ${timeoutMs} ms for ${what}, in vain`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits until the wall clock has passed `time` (ms since the epoch), for stores that order by millisecond. */
export function clockPast(time: number): Promise<void> {
  return waitFor(() => Date.now() > time, {
    what: `the clock to pass ${new Date(time).toISOString()}`,
    timeoutMs: 1_000,
    intervalMs: 1,
  });
}
