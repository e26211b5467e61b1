// Discovery at scale: user search among 100,000 users next to GET /v1/me, and a tag page of a tag with 10,000 posts
// next to one with 10. Users and posts are written straight to the store (the API would take hours to sign 100,000
// people in), in commits of 500, through the same entity shapes the API writes, before the API starts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pool } from '../../test/support/pool.ts';
import { ROOT, call, seedUsers, startApi, withPeakRss } from './api.mjs';
import { load, median } from './load.mjs';

/** Users seeded (the goal's 100,000: about 1.5 million entities with their search terms, ~4 minutes to write). */
const DISCOVERY_USERS = Number(process.env.BENCH_DISCOVERY_USERS ?? 100_000);

const FIRST_NAMES = ['ana', 'ben', 'chloe', 'dario', 'emma', 'felix', 'gaia', 'hugo', 'ines', 'jonas'];
const LAST_NAMES = ['García', 'Müller', 'Rossi', 'Dubois', 'Nowak', 'Silva', 'Öztürk', 'Kim', 'Smith', 'Ñúñez'];

/**
 * Writes `users` users (search terms included) and, for `author`, each tag's number of posts.
 * @param {any} store @param {{ users: number, author: string, tags: Record<string, number> }} options
 */
export async function seedDiscovery(store, { users, author, tags }) {
  const { userSearchTerms } = await import('../../dist/common/search-text.js');
  const { newPostId } = await import('../../dist/keys/post.keys.js');
  const { tagCount } = await import('../../dist/keys/tag.keys.js');
  const { userTermKey } = await import('../../dist/keys/user.keys.js');
  const now = new Date();
  const userEntities = Array.from({ length: users }, (_, i) => {
    const first = FIRST_NAMES[i % FIRST_NAMES.length];
    const last = LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length];
    const username = `${first}${i}`;
    const displayName = `${first[0].toUpperCase()}${first.slice(1)} ${last}`;
    return {
      key: { kind: 'User', name: `bench-user-${i}` },
      data: {
        ...{ username, displayName, pictureUrl: null, avatar: null, bio: '', email: null, private: false },
        ...{
          suspended: false,
          createdAt: now,
          updatedAt: now,
          tier: i % 7,
        },
      },
      excludeFromIndexes: ['displayName', 'pictureUrl', 'avatar', 'bio', 'email', 'private', 'suspended'],
    };
  });
  const terms = userEntities.flatMap((user) =>
    userSearchTerms(user.data.username, user.data.displayName).map((term) => ({
      key: userTermKey(term, user.key.name),
      data: { tier: user.data.tier },
    })),
  );
  let at = now.getTime() - 60_000;
  const posts = Object.entries(tags).flatMap(([tag, count]) =>
    Array.from({ length: count }, () => {
      const createdAt = new Date((at -= 3));
      return {
        key: { kind: 'Post', name: newPostId(createdAt) },
        data: {
          ...{ author, caption: `#${tag}`, createdAt, media: '[]', uploadIds: [], tags: [tag] },
          ...{ mentions: '[]', commentsEnabled: true },
        },
        excludeFromIndexes: ['caption', 'media', 'uploadIds', 'mentions', 'commentsEnabled', 'editedAt'],
      };
    }),
  );
  const counts = Object.entries(tags).map(([tag, count]) => ({
    key: tagCount.key(tag, 0),
    data: { size: count },
    excludeFromIndexes: ['size'],
  }));
  const all = [...userEntities, ...terms, ...posts, ...counts];
  const batches = [];
  for (let i = 0; i < all.length; i += 500) {
    batches.push(all.slice(i, i + 500));
  }
  // Two commits at a time, each retried (a Datastore emulator pauses while its heap grows).
  await pool(batches, 2, async (batch) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await store.upsert(batch);
      } catch (error) {
        if (attempt >= 6) {
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 2000 * attempt));
      }
    }
  });
  return { entities: all.length };
}

/**
 * Search and tag pages at scale, each next to its reference in the same run: 100,000 users (and a tag of 10,000
 * posts) written straight into an embedded store's folder, then the API started on it. The emulator answers a query
 * by reading every entity under it, one query at a time, and stalls past a 6 GB heap with 100,000 users' search terms
 * (measured: 2026-12-02-discovery.md), so the figure is taken where queries walk an index, as Cloud Datastore's do.
 * @param {import('./scenarios.mjs').Context} ctx
 */
export async function discovery(ctx) {
  const users = DISCOVERY_USERS;
  const dataDir = mkdtempSync(join(tmpdir(), 'picfeed-discovery-'));
  try {
    const seedStarted = performance.now();
    const { EmbeddedStore } = await import(`${ROOT}/dist/store/embedded/embedded-store.js`);
    const { loadIndexDefinitions } = await import(`${ROOT}/dist/store/index-definitions.js`);
    // Seeding only: a crash here loses a bench run, not data, so the commits skip their fsync.
    const store = await EmbeddedStore.open({
      dataDir,
      fsync: false,
      indexes: loadIndexDefinitions([`${ROOT}/index.yaml`]),
    });
    let entities;
    try {
      ({ entities } = await seedDiscovery(store, {
        users,
        author: 'bench-user-0',
        tags: { benchbig: 10_000, benchsmall: 10 },
      }));
    } finally {
      await store.close();
    }
    const seedSeconds = Math.round((performance.now() - seedStarted) / 1000);
    const api = await startApi({ STORE: 'embedded', DATA_DIR: dataDir });
    try {
      return { users, entities, seedSeconds, ...(await measure(ctx, api.url, api.pid, users)) };
    } finally {
      await api.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Each endpoint under 20 connections, `ctx.runs` times; then what the big tag and a search answer. */
async function measure(
  /** @type {import('./scenarios.mjs').Context} */ ctx,
  /** @type {string} */ api,
  /** @type {number} */ pid,
  /** @type {number} */ users,
) {
  const [reader] = await seedUsers(api, 'disc-', 1);
  const auth = { authorization: `Bearer ${reader.token}` };
  // What typing a name sends: 2 to 5 letters of each first and last name (each starts about 1 in 10 of the users).
  const typed = [...FIRST_NAMES, ...LAST_NAMES].flatMap((name) => {
    const plain = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
    return Array.from({ length: Math.min(plain.length, 5) - 1 }, (_, i) => plain.slice(0, i + 2));
  });
  // Searches that each miss the 2 s candidate cache: "emma5", "ben17", ... (about 10 to 1,100 users each), in turn,
  // more distinct ones than a run sends in 2 s.
  const distinct = Array.from({ length: 5_000 }, (_, i) => `${FIRST_NAMES[i % FIRST_NAMES.length]}${(i % 499) + 1}`);
  /** @type {{ name: string, path: string, requests?: object[] }[]} */
  const endpoints = [
    { name: 'GET /v1/me', path: '/v1/me' },
    {
      name: `GET /v1/search/users, ${typed.length} prefixes of 2-5 letters in turn`,
      path: '/v1/search/users',
      requests: typed.map((q) => ({ method: 'GET', path: `/v1/search/users?q=${q}&limit=10` })),
    },
    {
      name: `GET /v1/search/users?q=emma (1 in 10 of ${users.toLocaleString('en')} match)`,
      path: '/v1/search/users?q=emma&limit=10',
    },
    { name: 'GET /v1/search/users?q=nunez (1 in 10 match by a name word)', path: '/v1/search/users?q=nunez&limit=10' },
    { name: 'GET /v1/tags/benchsmall/posts (10 posts)', path: '/v1/tags/benchsmall/posts?limit=10' },
    { name: 'GET /v1/tags/benchbig/posts (10,000 posts)', path: '/v1/tags/benchbig/posts?limit=10' },
    {
      name: `GET /v1/search/users, ${distinct.length.toLocaleString('en')} distinct username prefixes (each search's candidates read afresh)`,
      path: '/v1/search/users',
      requests: distinct.map((q) => ({ method: 'GET', path: `/v1/search/users?q=${q}&limit=10` })),
    },
  ];
  // Round by round, every endpoint in each: a noisy minute on a shared machine slows one round of all of them, not
  // every run of one, so the ratios compare figures taken minutes apart at most.
  const runs = endpoints.map(() => /** @type {any[]} */ ([]));
  for (let run = 0; run < ctx.runs; run++) {
    for (const [i, { path, requests }] of endpoints.entries()) {
      const { result, peakRssMb } = await withPeakRss(pid, () =>
        load({
          url: requests ? api : `${api}${path}`,
          connections: 20,
          seconds: ctx.seconds(10),
          headers: auth,
          ...(requests ? { requests } : {}),
        }),
      );
      runs[i].push({ ...result, peakRssMb });
    }
  }
  const measured = endpoints.map(({ name }, i) => ({ name, runs: runs[i], median: median(runs[i], (r) => r.rps) }));
  const [me, typing, search, byWord, small, big, cold] = measured.map((e) => e.median);
  const found = await call(`${api}/v1/search/users?q=emma&limit=10`, 'GET', reader.token);
  const tagPage = await call(`${api}/v1/tags/benchbig/posts?limit=10`, 'GET', reader.token);
  const tag = await call(`${api}/v1/tags/benchbig`, 'GET', reader.token);
  return {
    endpoints: measured,
    typingRatio: typing.rps / Math.max(1, me.rps),
    searchRatio: search.rps / Math.max(1, me.rps),
    wordSearchRatio: byWord.rps / Math.max(1, me.rps),
    coldSearchRatio: cold.rps / Math.max(1, me.rps),
    tagRatio: big.p50 / Math.max(0.001, small.p50),
    checks: { searchFound: found.items.length, tagPageItems: tagPage.items.length, tagCount: tag.postCount },
  };
}
