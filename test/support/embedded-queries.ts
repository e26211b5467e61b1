import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { parseIndexYaml } from '../../src/store/index-definitions.js';
import type { Entity, Key, Query } from '../../src/store/store.types.js';

// The setup of the EmbeddedStore query specs (src/store/embedded/embedded-store.query*.spec.ts).

const INDEXES = parseIndexYaml(`
indexes:
  - kind: Post
    properties:
      - name: author
      - name: createdAt
        direction: desc
  - kind: PostReceiver
    properties:
      - name: receivers
      - name: createdAt
        direction: desc
  - kind: Comment
    ancestor: yes
    properties:
      - name: createdAt
        direction: desc
  - kind: Post
    properties:
      - name: __key__
        direction: desc
  - kind: Photo
    properties:
      - name: album
      - name: takenAt
        direction: desc
  - kind: Photo
    properties:
      - name: owner
      - name: takenAt
        direction: desc
`);

export const key = (kind: string, name: string, parent?: Key): Key => ({ kind, name, ...(parent ? { parent } : {}) });
export const names = (entities: Entity[]) => entities.map((entity) => entity.key.name);
export const at = (minute: number) => new Date(Date.UTC(2024, 0, 1, 0, minute));

export interface QuerySuite {
  /** The current test's store: a new in-memory one with the indexes above. */
  sut(): EmbeddedStore;
  /** The names of what a query returns. */
  run(query: Query): Promise<string[]>;
  /** The names on every page of a query, `between` running after each page but the last. */
  walk(query: Query, between?: (page: number) => Promise<void>): Promise<string[]>;
}

/** Opens a fresh store before each test of the describe and closes it after. */
export function embeddedQuerySuite(): QuerySuite {
  let current: EmbeddedStore | undefined;
  beforeEach(async () => {
    current = await EmbeddedStore.open({ indexes: INDEXES });
  });
  afterEach(async () => {
    await current?.close();
  });
  const sut = (): EmbeddedStore => {
    if (!current) {
      throw new Error('no store outside a test');
    }
    return current;
  };
  return {
    sut,
    run: async (query) => names((await sut().query(query)).entities),
    walk: async (query, between = () => Promise.resolve()) => {
      const seen: string[] = [];
      let startCursor: string | undefined;
      for (let page = 0; ; page++) {
        const result = await sut().query({ ...query, startCursor });
        seen.push(...names(result.entities));
        if (!result.moreResults) {
          return seen;
        }
        startCursor = result.endCursor;
        await between(page);
      }
    },
  };
}
