/**
 * Runs `work` over `items`, at most `limit` at once, and keeps the results in the items' order.
 *
 * The one copy for the tests and the bench: load-tests/*.mjs import this file as it is (Node strips the types), so it
 * stays plain erasable TypeScript with no imports.
 */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i], i);
      }
    }),
  );
  return results;
}
