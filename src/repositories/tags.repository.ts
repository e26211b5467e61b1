import { Injectable } from '@nestjs/common';
import { normalize } from '../common/search-text.js';
import { TAG_KIND, tagCount, tagKey } from '../keys/tag.keys.js';
import { lookupAll, type LookupPart } from '../store/lookup-plan.js';
import { Store } from '../store/store.js';
import type { Entity } from '../store/store.types.js';
import { followerTier } from './users.repository.js';

type TagData = { prefixes: string[]; tier: number };

export interface TagHit {
  readonly tag: string;
  readonly tier: number;
}

/** A tag's prefixes for the tag search, each up to this long (a tag is up to 100 characters). */
const MAX_PREFIX = 30;

/**
 * Hashtags: exact post counts from TagCount shards (moved in each post's commit, see PostsRepository), and a Tag
 * entity per used tag that the tag search queries by prefix, ordered by a popularity tier that moves only when a
 * count crosses a power of two.
 */
@Injectable()
export class TagsRepository {
  constructor(private readonly store: Store) {}

  countsLookup(tags: readonly string[]): LookupPart<Map<string, number>> {
    return tagCount.countsLookup(tags);
  }

  /** Tags starting with `prefix`, most used first by tier. One bounded query. */
  async search(prefix: string, limit: number): Promise<TagHit[]> {
    const result = await this.store.query<TagData>({
      kind: TAG_KIND,
      filters: [{ property: 'prefixes', op: '=', value: prefix }],
      orders: [{ property: 'tier', direction: 'desc' }],
      limit,
    });
    return result.entities.map((entity) => ({ tag: entity.key.name, tier: entity.data.tier }));
  }

  /** Makes the tag search find these tags, with their tiers as their counts are now: after a post's commit. */
  async touch(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) {
      return;
    }
    const [counts, stored] = await lookupAll(this.store, [this.countsLookup(tags), this.tagsLookup(tags)]);
    const changed = tags.filter((tag) => stored.get(tag)?.tier !== followerTier(counts.get(tag) ?? 0));
    await this.store.upsert(
      changed.map((tag) => ({
        key: tagKey(tag),
        data: { prefixes: prefixesOf(tag), tier: followerTier(counts.get(tag) ?? 0) } satisfies TagData,
      })),
    );
  }

  private tagsLookup(tags: readonly string[]): LookupPart<Map<string, TagData>> {
    return {
      keys: tags.map(tagKey),
      read: (entities) =>
        new Map(
          (entities as (Entity<TagData> | undefined)[]).flatMap((entity) =>
            entity ? [[entity.key.name, entity.data]] : [],
          ),
        ),
    };
  }
}

/** Accent-free like the query it is matched with ("café" is found by "cafe" and "caf"). */
function prefixesOf(tag: string): string[] {
  const chars = [...normalize(tag)].slice(0, MAX_PREFIX);
  return chars.map((_, i) => chars.slice(0, i + 1).join(''));
}
