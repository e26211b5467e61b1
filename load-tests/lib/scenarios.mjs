// The benchmark's scenarios. Each takes the run context and returns plain figures for the report.
import { pool } from '../../test/support/pool.ts';
import { photoJpeg } from '../../test/support/images.ts';
import { call, preparedUpload, publish, seedUsers, sleep, TINY_JPEG, withPeakRss } from './api.mjs';
import { load, median, percentile } from './load.mjs';

/**
 * @typedef {{ api: string, pid: number }} Target
 * @typedef {{ store: string, runs: number, seconds: (full: number) => number, fresh: () => Promise<Target>,
 *   seedFollowers?: (userId: string, count: number) => Promise<void>, naiveCounter?: (seconds: number,
 *   workers: number) => Promise<object>, maxFollowers: number,
 *   baseline?: { api: string, pid: number, label: string } }} Context
 */

const random = (/** @type {number} */ n) => Math.floor(Math.random() * n);

/**
 * The reference's experiment: 200 concurrent distinct users on one post for 30 s, next to a naive baseline.
 * @param {Context} ctx
 */
export async function hotPost(ctx) {
  const connections = 200;
  const runs = [];
  /** @type {any[]} */
  const beforeRuns = [];
  /** @param {{ api: string, pid: number }} target @param {string} prefix @param {boolean} told */
  const once = async ({ api, pid }, prefix, told) => {
    const [author, ...users] = await seedUsers(api, prefix, 1 + connections + 50);
    const postId = await publish(api, author);
    const run = await toggleLikes({ api, pid, users, postId, reader: author, connections, seconds: ctx.seconds(30) });
    if (!told) {
      return run;
    }
    // The author never read: every like ends in one grouped item, whose actorCount is the settled like count.
    const { items } = await call(`${api}/v1/notifications?limit=50`, 'GET', author.token);
    const likes = items.filter((/** @type {{ type: string }} */ item) => item.type === 'like');
    const actorCount = likes.length === 1 ? likes[0].actorCount : undefined;
    return { ...run, notified: likes.length, actorCount, exact: run.exact && actorCount === run.settledCount };
  };
  for (let run = 0; run < ctx.runs; run++) {
    // With a baseline build, each run measures it first, then this build, on a freshly reset emulator each.
    if (ctx.baseline) {
      await ctx.fresh();
      beforeRuns.push(await once(ctx.baseline, `hotb${run}-`, false));
    }
    runs.push(await once(await ctx.fresh(), `hot${run}-`, true));
  }
  const baselineRuns = [];
  if (ctx.naiveCounter) {
    for (let run = 0; run < ctx.runs; run++) {
      await ctx.fresh();
      baselineRuns.push(await ctx.naiveCounter(ctx.seconds(30), connections));
    }
  }
  const hot = median(runs, (r) => r.rps);
  const baseline = baselineRuns.length > 0 ? median(baselineRuns, (r) => /** @type {any} */ (r).rps) : undefined;
  const before = ctx.baseline
    ? { label: ctx.baseline.label, runs: beforeRuns, median: median(beforeRuns, (r) => r.rps) }
    : undefined;
  return { connections, runs, median: hot, baselineRuns, baseline, before };
}

/**
 * Users toggle their like of one post: every request is a stored change. Exactness: the post's likeCount equals
 * its likers list, and every user whose last answer is known is where that answer says.
 * @param {{ api: string, pid?: number, users: { id: string, token: string }[], postId: string,
 *   reader: { token: string }, connections: number, seconds: number }} run
 */
export async function toggleLikes({ api, pid, users, postId, reader, connections, seconds }) {
  const free = [...users];
  /** @type {Map<string, { last: boolean, pending: boolean, unknown: boolean }>} */
  const state = new Map(users.map((user) => [user.id, { last: false, pending: false, unknown: false }]));
  const requests = [
    {
      method: 'PUT',
      path: `/v1/posts/${postId}/like`,
      setupRequest: (/** @type {any} */ req, /** @type {any} */ context) => {
        const user = free.pop() ?? users[random(users.length)];
        const s = /** @type {any} */ (state.get(user.id));
        s.pending = true;
        context.user = user;
        return {
          ...req,
          method: s.last ? 'DELETE' : 'PUT',
          headers: { ...req.headers, authorization: `Bearer ${user.token}` },
        };
      },
      onResponse: (/** @type {number} */ status, /** @type {string} */ body, /** @type {any} */ context) => {
        const s = /** @type {any} */ (state.get(context.user.id));
        s.pending = false;
        if (status >= 200 && status < 300) {
          s.last = JSON.parse(body).liked;
          s.unknown = false;
        } else {
          s.unknown = true;
        }
        free.push(context.user);
      },
    },
  ];
  const { result, peakRssMb } = await withPeakRss(pid ?? 0, () => load({ url: api, connections, seconds, requests }));
  await sleep(1000);
  const post = await call(`${api}/v1/posts/${postId}`, 'GET', reader.token);
  const likers = new Set(await walk(api, `/v1/posts/${postId}/likers`, reader.token));
  const checkable = [...state].filter(([, s]) => !s.pending && !s.unknown);
  const wrong = checkable.filter(([id, s]) => likers.has(id) !== s.last).length;
  // A request in flight when the load stopped leaves its user's state unknown; settle everyone with one more like:
  // the count must then be exactly the number of users.
  await pool(users, 50, (user) => call(`${api}/v1/posts/${postId}/like`, 'PUT', user.token));
  const settled = await call(`${api}/v1/posts/${postId}`, 'GET', reader.token);
  const settledLikers = (await walk(api, `/v1/posts/${postId}/likers`, reader.token)).length;
  return {
    ...result,
    peakRssMb: pid ? peakRssMb : undefined,
    likeCount: post.likeCount,
    likers: likers.size,
    usersChecked: checkable.length,
    usersInFlightAtStop: state.size - checkable.length,
    wrong,
    settledCount: settled.likeCount,
    settledLikers,
    exact:
      post.likeCount === likers.size &&
      wrong === 0 &&
      settled.likeCount === users.length &&
      settledLikers === users.length,
  };
}

/**
 * Timeline pages of 5, 10, 20 and 50 for a user who follows 500 accounts.
 * @param {Context} ctx
 */
export async function timeline(ctx) {
  const { api, pid } = await ctx.fresh();
  const targets = [{ api, pid, label: 'this build' }];
  if (ctx.baseline) {
    targets.unshift(ctx.baseline);
  }
  // The same users, follows and posts on each build; a run measures every build before the next run starts.
  const readers = await pool(targets, 1, async ({ api: url }) => {
    const [reader, ...authors] = await seedUsers(url, 'tl-', 501);
    await pool(authors, 32, (author) => call(`${url}/v1/users/${author.id}/follow`, 'PUT', reader.token));
    await pool(authors.slice(0, 150), 16, (author) => publish(url, author));
    return reader;
  });
  const sizes = [];
  for (const limit of [5, 10, 20, 50]) {
    const runs = targets.map(() => /** @type {any[]} */ ([]));
    for (let run = 0; run < ctx.runs; run++) {
      for (const [i, target] of targets.entries()) {
        const { result, peakRssMb } = await withPeakRss(target.pid, () =>
          load({
            url: `${target.api}/v1/timeline?limit=${limit}`,
            connections: 10,
            seconds: ctx.seconds(10),
            headers: { authorization: `Bearer ${readers[i].token}` },
          }),
        );
        runs[i].push({ ...result, peakRssMb });
      }
    }
    const mine = runs.at(-1) ?? [];
    sizes.push({
      limit,
      runs: mine,
      median: median(mine, (r) => r.p50),
      ...(ctx.baseline ? { baseline: { runs: runs[0], median: median(runs[0], (r) => r.p50) } } : {}),
    });
  }
  return { followees: 500, posts: 150, sizes, baseline: ctx.baseline?.label };
}

/**
 * Time to publish (POST /v1/posts, fan-out included) against the author's follower count.
 * @param {Context} ctx
 */
export async function publishLatency(ctx) {
  const counts = [10, 100, 500, 5_000, 50_000].filter((count) => count <= ctx.maxFollowers);
  const samplesPerRun = ctx.seconds(30) < 30 ? 5 : 15;
  const rows = [];
  for (const followers of counts) {
    const { api, pid } = await ctx.fresh();
    const [author, firstWatcher, lastWatcher] = await seedUsers(api, `pub${followers}-`, 3);
    const seedStarted = performance.now();
    // Two of the followers read their timelines over HTTP: the first to follow and the last, at both ends of the
    // follower batches, so the post has reached everyone once both see it.
    await call(`${api}/v1/users/${author.id}/follow`, 'PUT', firstWatcher.token);
    if (ctx.seedFollowers) {
      await ctx.seedFollowers(author.id, followers - 2);
    } else {
      const fans = await seedUsers(api, `fan${followers}-`, followers - 2);
      await pool(fans, 32, (fan) => call(`${api}/v1/users/${author.id}/follow`, 'PUT', fan.token));
    }
    await call(`${api}/v1/users/${author.id}/follow`, 'PUT', lastWatcher.token);
    const sees = async (/** @type {{ token: string }} */ watcher, /** @type {string} */ postId) =>
      (await call(`${api}/v1/timeline?limit=1`, 'GET', watcher.token)).items[0]?.id === postId;
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const runs = [];
    let peak = 0;
    for (let run = 0; run < ctx.runs; run++) {
      const uploads = [];
      for (let i = 0; i < samplesPerRun; i++) {
        uploads.push(await preparedUpload(api, author));
      }
      const { result, peakRssMb } = await withPeakRss(pid, async () => {
        const times = [];
        const visible = [];
        for (const uploadId of uploads) {
          const started = performance.now();
          const { id } = await call(`${api}/v1/posts`, 'POST', author.token, { uploadId });
          times.push(performance.now() - started);
          // The next publish starts once this one's fan-out is done, so each sample measures a publish alone.
          while (!((await sees(firstWatcher, id)) && (await sees(lastWatcher, id)))) {
            if (performance.now() - started > 60_000) {
              throw new Error(`post ${id} did not reach its followers within 60 s`);
            }
            await sleep(25);
          }
          visible.push(performance.now() - started);
        }
        return { times, visible };
      });
      const { times: samples, visible } = result;
      peak = Math.max(peak, peakRssMb);
      runs.push({
        p50: percentile(samples, 0.5),
        p90: percentile(samples, 0.9),
        p99: percentile(samples, 0.99),
        visibleP50: percentile(visible, 0.5),
        visibleMax: Math.max(...visible),
      });
    }
    const visibleMedian = median(runs, (r) => r.visibleMax);
    rows.push({
      followers,
      seedSeconds,
      samplesPerRun,
      runs,
      median: median(runs, (r) => r.p50),
      visible: { p50: visibleMedian.visibleP50, max: visibleMedian.visibleMax },
      peakRssMb: peak,
    });
  }
  return { rows };
}

/**
 * Publishing real photos: p50 / p99 of one publish at a time of a 12-megapixel JPEG next to the tiny fixture, and the
 * API's peak RSS while 10 of each are published at once (several rounds), all on one fresh API.
 * @param {Context} ctx
 */
export async function images(ctx) {
  const { api, pid } = await ctx.fresh();
  const [author] = await seedUsers(api, 'images-', 1);
  const photo = await photoJpeg(4000, 3000, 90, 24);
  // The tiny fixture first: its peak is the process's own, the photo's the same process decoding.
  const fixtures = [
    { name: 'tiny fixture (8 x 8 JPEG)', bytes: TINY_JPEG },
    { name: '12-megapixel JPEG (4000 x 3000)', bytes: photo },
  ];
  const samples = ctx.seconds(30) < 30 ? 6 : 20;
  const rounds = ctx.seconds(30) < 30 ? 2 : 5;
  const rows = [];
  for (const fixture of fixtures) {
    const runs = [];
    for (let run = 0; run < ctx.runs; run++) {
      const uploads = await pool(Array.from({ length: samples }), 4, () => preparedUpload(api, author, fixture.bytes));
      const times = [];
      for (const uploadId of uploads) {
        const started = performance.now();
        await call(`${api}/v1/posts`, 'POST', author.token, { uploadId });
        times.push(performance.now() - started);
      }
      runs.push({ p50: percentile(times, 0.5), p99: percentile(times, 0.99) });
    }
    let peakRssMb = 0;
    const concurrent = [];
    for (let round = 0; round < rounds; round++) {
      const uploads = await pool(Array.from({ length: 10 }), 4, () => preparedUpload(api, author, fixture.bytes));
      const { result, peakRssMb: peak } = await withPeakRss(pid, async () => {
        const started = performance.now();
        await Promise.all(uploads.map((uploadId) => call(`${api}/v1/posts`, 'POST', author.token, { uploadId })));
        return performance.now() - started;
      });
      concurrent.push(result);
      peakRssMb = Math.max(peakRssMb, peak);
    }
    rows.push({
      name: fixture.name,
      bytes: fixture.bytes.length,
      samples,
      runs,
      p50: median(runs, (r) => r.p50).p50,
      p99: median(runs, (r) => r.p99).p99,
      rounds,
      tenAtOnceMs: percentile(concurrent, 0.5),
      peakRssMb,
    });
  }
  return { rows };
}

/**
 * A realistic mix while connections ramp up over 60 s, to see where it bends.
 * @param {Context} ctx
 */
export async function mix(ctx) {
  const { api, pid } = await ctx.fresh();
  const users = await seedUsers(api, 'mix-', 300);
  const pairs = users.flatMap((user, i) => Array.from({ length: 10 }, (_, k) => [user, users[(i + 1 + k * 7) % 300]]));
  await pool(pairs, 32, ([a, b]) => call(`${api}/v1/users/${b.id}/follow`, 'PUT', a.token));
  const posts = await pool(users.slice(0, 60), 16, (user) => publish(api, user));
  const pick = () => users[random(users.length)];
  const requests = [
    {
      method: 'GET',
      path: '/v1/timeline',
      setupRequest: (/** @type {any} */ req) => {
        const user = pick();
        const r = Math.random();
        const auth = { ...req.headers, authorization: `Bearer ${user.token}` };
        if (r < 0.4) {
          return { ...req, method: 'GET', path: '/v1/timeline?limit=10', headers: auth };
        }
        if (r < 0.6) {
          return { ...req, method: 'GET', path: `/v1/users/${pick().id}`, headers: auth };
        }
        if (r < 0.8) {
          const method = Math.random() < 0.6 ? 'PUT' : 'DELETE';
          return { ...req, method, path: `/v1/posts/${posts[random(posts.length)]}/like`, headers: auth };
        }
        if (r < 0.9) {
          const other = pick();
          const target = other.id === user.id ? users[(users.indexOf(user) + 1) % users.length] : other;
          const method = Math.random() < 0.6 ? 'PUT' : 'DELETE';
          return { ...req, method, path: `/v1/users/${target.id}/follow`, headers: auth };
        }
        if (r < 0.97) {
          return {
            ...req,
            method: 'POST',
            path: '/v1/uploads',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ contentType: 'image/jpeg', contentLength: 2052 }),
          };
        }
        return { ...req, method: 'GET', path: `/v1/posts/${posts[random(posts.length)]}`, headers: auth };
      },
    },
  ];
  const stageSeconds = Math.max(2, Math.round(ctx.seconds(60) / 5));
  const ramps = [];
  for (let run = 0; run < ctx.runs; run++) {
    const ramp = [];
    for (const connections of [10, 25, 50, 100, 200]) {
      const { result, peakRssMb } = await withPeakRss(pid, () =>
        load({ url: api, connections, seconds: stageSeconds, requests }),
      );
      ramp.push({ connections, ...result, peakRssMb });
    }
    ramps.push(ramp);
  }
  const stages = ramps[0].map((_, i) =>
    median(
      ramps.map((ramp) => ramp[i]),
      (stage) => stage.rps,
    ),
  );
  const bend = stages.find(
    (stage, i) => i > 0 && (stage.rps < stages[i - 1].rps * 1.1 || stage.p99 > stages[i - 1].p99 * 2),
  );
  return { users: 300, follows: pairs.length, posts: posts.length, stageSeconds, stages, bendsAt: bend?.connections };
}

/**
 * The ceiling: GET /healthz (no auth, no store) against GET /v1/me (token check + one lookup) under the same load.
 * @param {Context} ctx
 */
const UNREAD_SEEDED = 20;

export async function ceiling(ctx) {
  const { api, pid } = await ctx.fresh();
  const [user, ...fans] = await seedUsers(api, 'ceiling-', 1 + UNREAD_SEEDED);
  // Something to count: one like and one comment from each fan on each of two posts (2 groups + 2 x fans items).
  const posts = [await publish(api, user), await publish(api, user)];
  await pool(
    fans.flatMap((fan) => posts.map((postId) => ({ fan, postId }))),
    20,
    async ({ fan, postId }) => {
      await call(`${api}/v1/posts/${postId}/like`, 'PUT', fan.token);
      await call(`${api}/v1/posts/${postId}/comments`, 'POST', fan.token, { text: 'nice' });
    },
  );
  const auth = { authorization: `Bearer ${user.token}` };
  const { count } = await call(`${api}/v1/notifications/unread-count`, 'GET', user.token);
  const endpoints = [];
  const bare = { name: 'GET /healthz', path: '/healthz', headers: {} };
  const me = { name: 'GET /v1/me', path: '/v1/me', headers: auth };
  const unread = {
    name: `GET /v1/notifications/unread-count (${count} unread)`,
    path: '/v1/notifications/unread-count',
    headers: auth,
  };
  for (const { name, path, headers } of [bare, me, unread]) {
    const runs = [];
    for (let run = 0; run < ctx.runs; run++) {
      const { result, peakRssMb } = await withPeakRss(pid, () =>
        load({ url: `${api}${path}`, connections: 50, seconds: ctx.seconds(10), headers }),
      );
      runs.push({ ...result, peakRssMb });
    }
    endpoints.push({ name, runs, median: median(runs, (r) => r.rps) });
  }
  return {
    connections: 50,
    endpoints,
    ratio: endpoints[1].median.rps / endpoints[0].median.rps,
    unreadRatio: endpoints[2].median.rps / endpoints[0].median.rps,
    unreadCount: count,
    unreadExact: count === 2 + 2 * fans.length,
  };
}

/**
 * Every user id of a paged list.
 * @param {string} api @param {string} path @param {string} token @returns {Promise<string[]>}
 */
async function walk(api, path, token) {
  const ids = [];
  let cursor = null;
  do {
    const query = new URLSearchParams({ limit: '50', ...(cursor ? { cursor } : {}) });
    const page = await call(`${api}${path}?${query.toString()}`, 'GET', token);
    ids.push(...page.items.map((/** @type {{ id: string }} */ item) => item.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

/**
 * 200 users commenting on one post for 30 s: every request is a new comment. Exactness: the post's commentCount is
 * the number of comments its list walks to, and lies between the 2xx answers and those plus the requests still in
 * flight when the load stopped.
 * @param {Context} ctx
 */
export async function hotComments(ctx) {
  const connections = 200;
  const runs = [];
  for (let run = 0; run < ctx.runs; run++) {
    const { api, pid } = await ctx.fresh();
    const [author, ...users] = await seedUsers(api, `hc${run}-`, 1 + connections);
    const postId = await publish(api, author);
    let next = 0;
    const requests = [
      {
        method: 'POST',
        path: `/v1/posts/${postId}/comments`,
        headers: { 'content-type': 'application/json' },
        setupRequest: (/** @type {any} */ req) => {
          const user = users[next++ % users.length];
          return {
            ...req,
            headers: { ...req.headers, authorization: `Bearer ${user.token}` },
            body: JSON.stringify({ text: `comment ${next} #bench` }),
          };
        },
      },
    ];
    const { result, peakRssMb } = await withPeakRss(pid, () =>
      load({ url: api, connections, seconds: ctx.seconds(30), requests }),
    );
    await sleep(1000);
    const post = await call(`${api}/v1/posts/${postId}`, 'GET', author.token);
    const listed = (await walk(api, `/v1/posts/${postId}/comments`, author.token)).length;
    runs.push({
      ...result,
      peakRssMb,
      commentCount: post.commentCount,
      listed,
      exact:
        post.commentCount === listed && post.commentCount >= result.ok && post.commentCount <= result.ok + connections,
    });
  }
  return { connections, runs, median: median(runs, (r) => r.rps) };
}
