// The embedded store at scale: SQLite with a million likes, next to an almost empty store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pool } from '../../test/support/pool.ts';
import { ROOT, call, seedUsers, startApi, withPeakRss } from './api.mjs';
import { load } from './load.mjs';

/**
 * Data straight through the store (the built repositories on SQLite): users, their posts, likes spread over the
 * posts. Small sizes make the "empty" store the same figures are compared with.
 */
async function seed(
  /** @type {string} */ dataDir,
  /** @type {{ users: number, posts: number, likes: number }} */ size,
) {
  const { EmbeddedStore } = await import(`${ROOT}/dist/store/embedded/embedded-store.js`);
  const { loadIndexDefinitions } = await import(`${ROOT}/dist/store/index-definitions.js`);
  const { loadConfig } = await import(`${ROOT}/dist/config/app-config.js`);
  const { UsersRepository } = await import(`${ROOT}/dist/repositories/users.repository.js`);
  const { PostsRepository } = await import(`${ROOT}/dist/repositories/posts.repository.js`);
  const { LikesRepository } = await import(`${ROOT}/dist/repositories/likes.repository.js`);
  const store = await EmbeddedStore.open({ dataDir, indexes: loadIndexDefinitions([`${ROOT}/index.yaml`]) });
  const started = performance.now();
  try {
    const users = new UsersRepository(store);
    const posts = new PostsRepository(store);
    const likes = new LikesRepository(store, loadConfig({}));
    const userIds = Array.from({ length: size.users }, (_, i) => `scale-user-${i}`);
    await pool(userIds, 256, (id, i) =>
      users.create({ id, displayName: `User ${i}`, avatarUrl: null, email: null, usernameCandidates: [`scale${i}`] }),
    );
    const postIds = await pool(
      Array.from({ length: size.posts }, (_, i) => i),
      256,
      async (i) => {
        const id = `${i}`.padStart(32, '0');
        const owner = userIds[i % userIds.length];
        const now = new Date();
        await posts.createUpload({
          id,
          owner,
          objectName: `uploads/${owner}/${id}`,
          contentType: 'image/jpeg',
          contentLength: 1,
          createdAt: now,
          expiresAt: now,
          postId: null,
        });
        return (await posts.publish(id, `post ${i} #scale`, `media/${owner}/${id}`)).post.id;
      },
    );
    await pool(
      Array.from({ length: size.likes }, (_, i) => i),
      512,
      (i) => likes.setLiked(postIds[i % postIds.length], userIds[(i * 7919) % userIds.length], true),
    );
    return { userIds, postIds, seconds: Math.round((performance.now() - started) / 1000) };
  } finally {
    await store.close();
  }
}

/** Start-up, memory and the hot reads and writes of one data directory, through the API. */
async function measure(
  /** @type {string} */ dataDir,
  /** @type {any} */ seeded,
  /** @type {(n: number) => number} */ seconds,
) {
  const started = performance.now();
  const api = await startApi({ STORE: 'embedded', DATA_DIR: dataDir });
  const startupMs = Math.round(performance.now() - started);
  try {
    const [reader] = await seedUsers(api.url, 'scale-reader-', 1);
    const authors = seeded.userIds.slice(0, 10);
    await pool(authors, 10, (id) => call(`${api.url}/v1/users/${id}/follow`, 'PUT', reader.token));
    const auth = { authorization: `Bearer ${reader.token}` };
    const post = seeded.postIds[0];
    const { result, peakRssMb } = await withPeakRss(api.pid, async () => ({
      timeline: await load({
        url: `${api.url}/v1/timeline?limit=10`,
        connections: 10,
        seconds: seconds(10),
        headers: auth,
      }),
      profile: await load({
        url: `${api.url}/v1/users/${authors[0]}`,
        connections: 10,
        seconds: seconds(10),
        headers: auth,
      }),
      like: await load({
        url: api.url,
        connections: 10,
        seconds: seconds(10),
        headers: auth,
        requests: [
          { method: 'PUT', path: `/v1/posts/${post}/like` },
          { method: 'DELETE', path: `/v1/posts/${post}/like` },
        ],
      }),
    }));
    return { startupMs, peakRssMb, ...result };
  } finally {
    await api.stop();
  }
}

/**
 * SQLite at scale: 100,000 users, 100,000 posts and 1,000,000 likes seeded through the store; then start-up time,
 * RSS and timeline / profile / like latency next to the same on an almost empty store.
 * @param {import('./scenarios.mjs').Context} ctx
 */
export async function atScale(ctx) {
  const full = { users: 100_000, posts: 100_000, likes: 1_000_000 };
  const size = ctx.seconds(10) < 10 ? { users: 20_000, posts: 20_000, likes: 200_000 } : full;
  const empty = { users: 10, posts: 10, likes: 10 };
  /** @type {Record<string, any>} */
  const out = { size };
  for (const [name, wanted] of /** @type {const} */ ([
    ['empty', empty],
    ['scale', size],
  ])) {
    const dataDir = mkdtempSync(join(tmpdir(), `picfeed-${name}-`));
    try {
      const seeded = await seed(dataDir, wanted);
      out[name] = { seedSeconds: seeded.seconds, ...(await measure(dataDir, seeded, ctx.seconds)) };
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return out;
}

const ms = (/** @type {number | undefined} */ value) => (value === undefined ? '—' : `${Math.round(value * 10) / 10}`);

/**
 * The report's sections for the embedded scenarios, and their goals.
 * @param {any} r @param {[string, string, boolean][]} goals @param {number[]} rss @returns {string[]}
 */
export function embeddedSections(r, goals, rss) {
  const lines = [];
  if (r.atScale) {
    const { size, empty, scale } = r.atScale;
    const ratio = (/** @type {string} */ key) => scale[key].p50 / Math.max(0.1, empty[key].p50);
    const row = (/** @type {string} */ name, /** @type {any} */ x) =>
      `| ${name} | ${x.seedSeconds} | ${x.startupMs} | ${x.peakRssMb} | ${ms(x.timeline.p50)} / ${ms(x.timeline.p99)} | ${ms(x.profile.p50)} / ${ms(x.profile.p99)} | ${ms(x.like.p50)} / ${ms(x.like.p99)} |`;
    lines.push(
      `## 7. Embedded at scale: ${size.users.toLocaleString('en')} users, ${size.posts.toLocaleString('en')} posts, ${size.likes.toLocaleString('en')} likes`,
      '',
      'Seeded straight through the store (the built repositories on SQLite), then the API started on the folder: start-up is spawn to the first ready /readyz; then a reader follows 10 of the users and 10 connections read the timeline, read a profile, and toggle a like, in turn. Next to it the same on a store of 10 users, 10 posts and 10 likes.',
      '',
      '| store | seed s | start-up ms | peak RSS MB | timeline p50 / p99 ms | profile p50 / p99 ms | like p50 / p99 ms |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      row('almost empty', empty),
      row('at scale', scale),
      '',
    );
    rss.push(scale.peakRssMb);
    goals.push(['embedded at scale: peak RSS ≤200 MB', `${scale.peakRssMb} MB`, scale.peakRssMb <= 200]);
    goals.push([
      'embedded at scale: start-up ≤2 s',
      `${scale.startupMs} ms (empty ${empty.startupMs})`,
      scale.startupMs <= 2000,
    ]);
    for (const key of ['timeline', 'profile', 'like']) {
      goals.push([`embedded at scale: ${key} p50 ≤1.5x empty`, `${ratio(key).toFixed(2)}x`, ratio(key) <= 1.5]);
    }
  }
  return lines;
}
