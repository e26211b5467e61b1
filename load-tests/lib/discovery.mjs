// Discovery at scale: user search among 100,000 users next to GET /v1/me, and a tag page of a tag with 10,000 posts
// next to one with 10. Users and posts are written straight to the store (the API would take hours to sign 100,000
// people in), in commits of 500, through the same entity shapes the API writes.
import { pool } from '../../test/support/pool.ts';
import { call, seedUsers, withPeakRss } from './api.mjs';
import { load, median } from './load.mjs';

/**
 * Users seeded. The goal names 100,000; the emulator holds their ~1.7 million search-term entities only past a 6 GB
 * heap and then stalls (measured), so the run seeds what it can hold and says so in the report.
 */
const DISCOVERY_USERS = Number(process.env.BENCH_DISCOVERY_USERS ?? 20_000);

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
  // Two commits at a time, each retried: the emulator pauses (its heap grows) while it takes millions of entities.
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
 * Search and tag pages at scale, each next to its reference in the same run.
 * @param {import('./scenarios.mjs').Context} ctx
 */
export async function discovery(ctx) {
  const users = ctx.seedDiscovery ? DISCOVERY_USERS : 0;
  const { api, pid } = await ctx.fresh();
  const [reader, author] = await seedUsers(api, 'disc-', 2);
  if (!ctx.seedDiscovery) {
    return { skipped: 'needs the emulator (--store datastore): 100,000 users are written straight to the store' };
  }
  const seedStarted = performance.now();
  const { entities } = await ctx.seedDiscovery({
    users,
    author: author.id,
    tags: { benchbig: 10_000, benchsmall: 10 },
  });
  const seedSeconds = Math.round((performance.now() - seedStarted) / 1000);
  const auth = { authorization: `Bearer ${reader.token}` };
  const check = await call(`${api}/v1/search/users?q=emma&limit=10`, 'GET', reader.token);
  const endpoints = [
    { name: 'GET /v1/me', path: '/v1/me' },
    {
      name: `GET /v1/search/users?q=emma (1 in 10 of ${users.toLocaleString('en')} match)`,
      path: '/v1/search/users?q=emma&limit=10',
    },
    { name: 'GET /v1/search/users?q=nunez (1 in 10 match by a name word)', path: '/v1/search/users?q=nunez&limit=10' },
    { name: 'GET /v1/tags/benchsmall/posts (10 posts)', path: '/v1/tags/benchsmall/posts?limit=10' },
    { name: 'GET /v1/tags/benchbig/posts (10,000 posts)', path: '/v1/tags/benchbig/posts?limit=10' },
  ];
  const measured = [];
  for (const { name, path } of endpoints) {
    const runs = [];
    for (let run = 0; run < ctx.runs; run++) {
      const { result, peakRssMb } = await withPeakRss(pid, () =>
        load({ url: `${api}${path}`, connections: 20, seconds: ctx.seconds(10), headers: auth }),
      );
      runs.push({ ...result, peakRssMb });
    }
    measured.push({ name, runs, median: median(runs, (r) => r.rps) });
  }
  const [me, search, byWord, small, big] = measured.map((e) => e.median);
  // Checked after the load, when the emulator may still be catching up: a failure is reported, not fatal.
  const settle = (/** @type {string} */ path) =>
    call(`${api}${path}`, 'GET', reader.token).catch((/** @type {Error} */ error) => ({ failed: error.message }));
  const tagPage = await settle('/v1/tags/benchbig/posts?limit=10');
  const tag = await settle('/v1/tags/benchbig');
  return {
    users,
    entities,
    seedSeconds,
    endpoints: measured,
    searchRatio: search.rps / Math.max(1, me.rps),
    wordSearchRatio: byWord.rps / Math.max(1, me.rps),
    tagRatio: big.p50 / Math.max(0.001, small.p50),
    checks: {
      searchFound: check.items.length,
      tagPageItems: tagPage.items?.length ?? tagPage.failed,
      tagCount: tag.postCount ?? tag.failed,
    },
  };
}
