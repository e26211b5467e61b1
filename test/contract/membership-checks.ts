import type { MemberBatch, MemberPage } from '../../src/membership/membership.settings.js';

/** Every id of a newest-first member list, page by page. */
export async function walkMembers(
  page: (limit: number, cursor?: string) => Promise<MemberPage>,
  limit = 50,
): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const result = await page(limit, cursor);
    seen.push(...result.ids);
    cursor = result.cursor;
  } while (cursor);
  return seen;
}

/** Markers (the list), batches and the sharded count all describe exactly `expected`, each member once. */
export function expectOneSet(
  state: { walk: string[]; batches: MemberBatch[]; count: number | undefined },
  expected: readonly string[],
  ceiling: number,
): void {
  const sorted = [...expected].sort();
  expect(state.count).toBe(expected.length);
  expect([...state.walk].sort()).toEqual(sorted);
  expect(state.batches.flatMap((batch) => batch.members).sort()).toEqual(sorted);
  expect(state.batches.every((batch) => batch.members.length <= ceiling)).toBe(true);
}
