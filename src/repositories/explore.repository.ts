import { Injectable } from '@nestjs/common';
import { Store } from '../store/store.js';
import type { Key } from '../store/store.types.js';

/** One run of the explore ranking: the posts (with their authors) in order. */
export interface Ranking {
  /** When it was ranked (ms): pages keep reading the generation they started with. */
  readonly generation: number;
  readonly posts: readonly { id: string; author: string }[];
}

type RankingData = { generation: number; posts: string };

const KIND = 'ExploreRanking';
/** Older generations are kept this long for the pages still reading them. */
const KEPT_MS = 24 * 60 * 60_000;
const currentKey: Key = { kind: KIND, name: 'current' };
const generationKey = (generation: number): Key => ({ kind: KIND, name: `g${generation}` });
const EMPTY: Ranking = { generation: 0, posts: [] };

/** The explore ranking: written by its scheduled job only, read by key by every explore page (never a hot write). */
@Injectable()
export class ExploreRepository {
  constructor(private readonly store: Store) {}

  async current(): Promise<Ranking> {
    const [entity] = await this.store.get<RankingData>([currentKey]);
    return entity ? toRanking(entity.data) : EMPTY;
  }

  /** The ranking a page started in; an expired one reads as empty (its pages go on with recent posts). */
  async generation(generation: number): Promise<Ranking> {
    const [entity] = await this.store.get<RankingData>([generationKey(generation)]);
    return entity ? toRanking(entity.data) : { generation, posts: [] };
  }

  /** Stores a new generation as the current one, and removes those older than a day. */
  async save(ranking: Ranking): Promise<Ranking> {
    const data: RankingData = { generation: ranking.generation, posts: JSON.stringify(ranking.posts) };
    await this.store.upsert(
      [currentKey, generationKey(ranking.generation)].map((key) => ({ key, data, excludeFromIndexes: ['posts'] })),
    );
    const old = await this.store.query({
      kind: KIND,
      filters: [{ property: 'generation', op: '<', value: ranking.generation - KEPT_MS }],
      limit: 100,
      keysOnly: true,
    });
    await this.store.delete(old.entities.map((entity) => entity.key).filter((key) => key.name !== 'current'));
    return ranking;
  }
}

function toRanking(data: RankingData): Ranking {
  return { generation: data.generation, posts: JSON.parse(data.posts) as Ranking['posts'] };
}
