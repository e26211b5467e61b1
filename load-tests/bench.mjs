// npm run bench: starts the Datastore emulator and the API, runs the load scenarios with autocannon and writes
// load-tests/reports/latest.md and latest.json. See load-tests/README.md for the options.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pool } from '../test/support/pool.ts';
import { ROOT, call, startApi } from './lib/api.mjs';
import { load } from './lib/load.mjs';
import { writeReport } from './lib/report.mjs';
import { atScale } from './lib/embedded.mjs';
import { ceiling, hotComments, hotPost, images, mix, publishLatency, timeline, toggleLikes } from './lib/scenarios.mjs';
import { discovery } from './lib/discovery.mjs';
import { webApp } from './lib/web.mjs';

const SCENARIOS = { hotPost, hotComments, timeline, publishLatency, images, mix, ceiling, discovery, webApp, atScale };

const { values: args } = parseArgs({
  options: {
    store: { type: 'string', default: 'datastore' },
    runs: { type: 'string', default: '3' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    target: { type: 'string' },
    tokens: { type: 'string' },
    baseline: { type: 'string' },
  },
});

// The emulator needs no credentials; without this the client library probes for a GCE metadata server.
process.env.METADATA_SERVER_DETECTION ??= 'none';

const started = new Date();
const runs = Number(args.runs);
const scale = args.quick ? 0.2 : 1;
/** @param {number} full */
const seconds = (full) => Math.max(2, Math.round(full * scale));
const only = args.only ? args.only.split(',') : Object.keys(SCENARIOS);
const unknown = only.filter((name) => !(name in SCENARIOS));
if (!['datastore', 'embedded'].includes(String(args.store)) || unknown.length > 0 || !(runs >= 1)) {
  process.stderr.write(
    `usage: npm run bench -- [--store datastore|embedded] [--runs N] [--quick] [--only ${Object.keys(SCENARIOS).join(',')}]\n` +
      '       (with --baseline <checkout with dist/ built>: the timeline also on that build, side by side)\n' +
      '       npm run bench -- --target https://api.example.com --tokens tokens.json [--runs N] [--quick]\n',
  );
  process.exit(2);
}

const results = args.target ? await againstTarget() : await locally();
const file = writeReport({ started, args: { ...args, runs }, results });
process.stdout.write(`bench: report written to ${file}\n`);

/** Runs the scenarios against a local API on the emulator (or the embedded store). */
async function locally() {
  const dataDir = mkdtempSync(join(tmpdir(), 'picfeed-bench-'));
  /** @type {Awaited<ReturnType<typeof startApi>> | undefined} */
  let api;
  let emulator;
  const cleanups = [];
  try {
    /** @type {import('./lib/scenarios.mjs').Context} */
    let ctx;
    if (args.store === 'datastore') {
      const harness = await import('../test/contract/emulator.ts');
      emulator = await harness.startEmulator({ rootDir: ROOT, indexFiles: ['index.yaml'] });
      cleanups.push(() => emulator.stop());
      const env = {
        STORE: 'datastore',
        DATASTORE_EMULATOR_HOST: emulator.host,
        DATASTORE_NAMESPACE: 'bench',
        DEV_SIGN_IN: 'true',
        DEV_SIGN_IN_FORCE: 'true',
        DATA_DIR: dataDir,
      };
      api = await startApi(env);
      const direct = await directStore(emulator.host);
      cleanups.push(() => direct.store.close());
      const running = api;
      // Another checkout's built API beside this one, on the same emulator in its own namespace: the timeline
      // scenario measures both in the same run, alternating.
      let baseline;
      if (args.baseline) {
        const root = resolve(String(args.baseline));
        const other = await startApi({ ...env, DATASTORE_NAMESPACE: 'bench-baseline', DATA_DIR: `${dataDir}-b` }, root);
        cleanups.push(() => other.stop());
        const commit = execFileSync('git', ['-C', root, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).trim();
        baseline = { api: other.url, pid: other.pid, label: commit };
      }
      ctx = {
        store: 'datastore (emulator)',
        runs,
        seconds,
        maxFollowers: 50_000,
        fresh: async () => {
          await emulator.reset();
          return { api: running.url, pid: running.pid };
        },
        seedFollowers: direct.seedFollowers,
        naiveCounter: direct.naiveCounter,
        baseline,
      };
    } else {
      let generation = 0;
      ctx = {
        store: 'embedded',
        runs,
        seconds,
        maxFollowers: 5_000,
        fresh: async () => {
          await api?.stop();
          api = await startApi({ STORE: 'embedded', DATA_DIR: join(dataDir, String(generation++)) });
          return { api: api.url, pid: api.pid };
        },
      };
    }
    /** @type {Record<string, unknown>} */
    const results = { store: ctx.store };
    for (const name of only) {
      process.stdout.write(`bench: ${name}...\n`);
      const scenarioStarted = performance.now();
      results[name] = await SCENARIOS[/** @type {keyof typeof SCENARIOS} */ (name)](ctx);
      process.stdout.write(`bench: ${name} done in ${Math.round((performance.now() - scenarioStarted) / 1000)} s\n`);
    }
    return results;
  } finally {
    await api?.stop();
    for (const cleanup of cleanups.reverse()) {
      await cleanup();
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}-b`, { recursive: true, force: true });
  }
}

/** The emulator without the API: seeding follower batches fast, and the naive counter baseline. */
async function directStore(host) {
  const { DatastoreStore } = await import('../dist/store/datastore/datastore-store.js');
  const { FollowsRepository } = await import('../dist/repositories/follows.repository.js');
  const { UsersRepository } = await import('../dist/repositories/users.repository.js');
  const { loadConfig } = await import('../dist/config/app-config.js');
  const store = new DatastoreStore({ projectId: 'picfeed-local', namespace: 'bench', apiEndpoint: host });
  const follows = new FollowsRepository(store, loadConfig({}), new UsersRepository(store));
  return {
    store,
    /** Followers through the real repository (group commits), without signing 50,000 users in. */
    seedFollowers: async (/** @type {string} */ userId, /** @type {number} */ count) => {
      const ids = Array.from({ length: count }, (_, i) => `seed-follower-${i}`);
      await pool(ids, 500, (id) => follows.setFollowing(id, userId, true));
    },
    /** The reference's design: one counter entity, read and written in a transaction per like. */
    naiveCounter: async (/** @type {number} */ duration, /** @type {number} */ workers) => {
      const key = { kind: 'NaiveLikeCounter', name: 'hot-post' };
      let ok = 0;
      let failed = 0;
      const latencies = [];
      const deadline = Date.now() + duration * 1000;
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (Date.now() < deadline) {
            const t = performance.now();
            try {
              await store.runInTransaction(async (tx) => {
                const [counter] = await tx.get([key]);
                tx.upsert([{ key, data: { likes: (counter?.data.likes ?? 0) + 1 } }]);
              });
              ok += 1;
              latencies.push(performance.now() - t);
            } catch {
              failed += 1;
            }
          }
        }),
      );
      const [counter] = await store.get([key]);
      const finalCount = counter?.data.likes ?? 0;
      latencies.sort((a, b) => a - b);
      return {
        rps: Math.round(ok / duration),
        ok,
        failed,
        successRate: ok / Math.max(1, ok + failed),
        p50: Math.round(latencies[Math.floor(latencies.length / 2)] ?? 0),
        finalCount,
        exact: finalCount === ok,
      };
    },
  };
}

/** A deployed API: no seeding, no reset; users, tokens and a post from the tokens file. */
async function againstTarget() {
  if (!args.tokens) {
    throw new Error('--target needs --tokens FILE');
  }
  /** @type {{ baseUrl?: string, postId: string, users: { id: string, token: string }[] }} */
  const tokens = JSON.parse(readFileSync(args.tokens, 'utf8'));
  const api = String(args.target).replace(/\/+$/, '');
  const [reader] = tokens.users;
  const auth = { authorization: `Bearer ${reader.token}` };
  await call(`${api}/v1/me`, 'GET', reader.token);
  const measure = (/** @type {string} */ path, /** @type {object} */ headers, /** @type {number} */ connections) =>
    load({ url: `${api}${path}`, connections, seconds: seconds(10), headers });
  return {
    store: `deployed: ${api}`,
    target: {
      healthz: await measure('/healthz', {}, 50),
      me: await measure('/v1/me', auth, 50),
      timeline10: await measure('/v1/timeline?limit=10', auth, 10),
      hotPost: await toggleLikes({
        api,
        users: tokens.users,
        postId: tokens.postId,
        reader,
        connections: Math.min(200, tokens.users.length),
        seconds: seconds(30),
      }),
    },
  };
}
