import { Injectable } from '@nestjs/common';
import { Store } from './store.js';
import { chunk } from './store.limits.js';
import { STORE_LIMITS, type Entity, type Key } from './store.types.js';

/**
 * What a repository needs looked up and how it reads the answer, without its keys leaving it: a page that shows
 * posts, authors, counts and markers joins the parts of several repositories into one round trip.
 */
export interface LookupPart<T> {
  readonly keys: readonly Key[];
  read(entities: readonly (Entity | undefined)[]): T;
}

type Results<P extends readonly LookupPart<unknown>[]> = {
  [I in keyof P]: P[I] extends LookupPart<infer T> ? T : never;
};

/** Looks every part's keys up together (split to the per-lookup limit, sent at once) and reads each part's answer. */
export async function lookupAll<P extends readonly LookupPart<unknown>[]>(
  store: Store,
  parts: [...P],
): Promise<Results<P>> {
  const joined = joinLookups(parts);
  const pieces = await Promise.all(chunk(joined.keys, STORE_LIMITS.keysPerLookup).map((piece) => store.get(piece)));
  return joined.read(pieces.flat());
}

/** Runs the lookup parts of several repositories as one round trip; what services join pages with. */
@Injectable()
export class Lookups {
  constructor(private readonly store: Store) {}

  run<P extends readonly LookupPart<unknown>[]>(parts: [...P]): Promise<Results<P>> {
    return lookupAll(this.store, parts);
  }
}

/** Several parts as one, reading as the tuple of their results. */
export function joinLookups<P extends readonly LookupPart<unknown>[]>(parts: [...P]): LookupPart<Results<P>> {
  return {
    keys: parts.flatMap((part) => part.keys),
    read: (entities) => {
      let offset = 0;
      return parts.map((part) => {
        const mine = entities.slice(offset, offset + part.keys.length);
        offset += part.keys.length;
        return part.read(mine);
      }) as Results<P>;
    },
  };
}
