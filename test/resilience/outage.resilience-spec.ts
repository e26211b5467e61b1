import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../contract/emulator.js';
import { REPO_ROOT, spawnServer, type ServerProcess, UNLIMITED_RATES } from '../support/server-process.js';
import { describeWithEmulator } from './with-emulator.js';
import { call, publish, report, seedUsers, send, sleep, tally, walk, type Outcome } from './client.js';

const USERS = 50;
const STORE_TIMEOUT_MS = 2_000;
/**
 * "No hang": a request may wait for a timed-out group commit ahead of its own, so two deadlines; the bound
 * allows four, far below the 30 s the client waits before calling it a hang.
 */
const ANSWER_BOUND_MS = 4 * STORE_TIMEOUT_MS;

interface Timed extends Outcome {
  readonly at: number;
}

describeWithEmulator('Datastore outage mid-load (resilience)', () => {
  let emulator: Emulator;
  let server: ServerProcess | undefined;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'picfeed-outage-'));
    emulator = await startEmulator({ rootDir: REPO_ROOT });
  });

  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should answer 503 with Retry-After in bounded time, turn /readyz 503, recover without restart and count exactly', async () => {
    server = await spawnServer({
      STORE: 'datastore',
      DATASTORE_EMULATOR_HOST: emulator.host,
      DATASTORE_TIMEOUT_MS: String(STORE_TIMEOUT_MS),
      DEV_SIGN_IN: 'true',
      DEV_SIGN_IN_FORCE: 'true',
      DATA_DIR: dataDir,
      ...UNLIMITED_RATES,
    });
    const api = server.baseUrl;
    const users = await seedUsers(api, 'outage', USERS);
    const postId = await publish(api, users[0]);
    const like = `/v1/posts/${postId}/like`;
    const started = performance.now();
    const now = () => performance.now() - started;

    let running = true;
    const loads = users.map(async (user) => {
      const outcomes: Timed[] = [];
      let liked = false;
      while (running) {
        const at = now();
        const outcome = await send(api, liked ? 'DELETE' : 'PUT', like, user.token, undefined, 30_000);
        outcomes.push({ ...outcome, at });
        if (outcome.status === 200) {
          liked = !liked;
        } else {
          await sleep(250);
        }
      }
      return outcomes;
    });
    const probes = (async () => {
      const answers: Timed[] = [];
      while (running) {
        const at = now();
        answers.push({ ...(await send(api, 'GET', '/readyz', undefined, undefined, 30_000)), at });
        await sleep(250);
      }
      return answers;
    })();

    await sleep(2_000);
    emulator.pause();
    const pausedAt = now();
    await sleep(8_000);
    emulator.resume();
    const resumedAt = now();
    await sleep(8_000);
    running = false;
    const perUser = await Promise.all(loads);
    const outcomes = perUser.flat();
    const readiness = await probes;

    const during = outcomes.filter((o) => o.at > pausedAt + 100 && o.at + o.ms < resumedAt);
    // No user is left hanging: each got an answer while the store was frozen.
    const answeredUsers = perUser.filter((mine) =>
      mine.some((o) => o.at + o.ms > pausedAt + 100 && o.at + o.ms < resumedAt),
    ).length;
    const after = outcomes.filter((o) => o.at > resumedAt + 5_000);
    const slowest = Math.max(...outcomes.map((o) => o.ms));
    const firstOkAfter = Math.min(...outcomes.filter((o) => o.at > resumedAt && o.status === 200).map((o) => o.at));
    const readyDuring = readiness.filter((o) => o.at > pausedAt + 100 && o.at + o.ms < resumedAt);
    const readyAfter = readiness.filter((o) => o.at > resumedAt + 5_000);

    expect(outcomes.filter((o) => o.status === undefined || (o.status !== 200 && o.status !== 503))).toEqual([]);
    expect(answeredUsers).toBe(USERS);
    expect(during.length).toBeGreaterThan(0);
    expect(tally(during)).toEqual({ 503: during.length });
    expect(during.filter((o) => o.retryAfter === undefined)).toEqual([]);
    expect(slowest).toBeLessThanOrEqual(ANSWER_BOUND_MS);
    expect(tally(readyDuring)).toEqual({ 503: readyDuring.length });
    expect(readyDuring.length).toBeGreaterThan(0);
    expect(tally(after)).toEqual({ 200: after.length });
    expect(tally(readyAfter)).toEqual({ 200: readyAfter.length });

    const reader = users[0].token;
    const likersBefore = await walk(api, `/v1/posts/${postId}/likers`, reader);
    const before = await call<{ likeCount: number }>(api, 'GET', `/v1/posts/${postId}`, reader);
    expect(before.likeCount).toBe(likersBefore.length);
    await Promise.all(users.map((user) => call(api, 'PUT', like, user.token)));
    const likers = await walk(api, `/v1/posts/${postId}/likers`, reader);
    const settled = await call<{ likeCount: number }>(api, 'GET', `/v1/posts/${postId}`, reader);
    expect(new Set(likers).size).toBe(USERS);
    expect([settled.likeCount, likers.length]).toEqual([USERS, USERS]);

    report(
      `outage: ${USERS} users toggling one like, emulator paused for ${Math.round((resumedAt - pausedAt) / 1000)} s; ` +
        `every user answered during the outage, the ${during.length} requests made within it all 503 + Retry-After, slowest answer ${Math.round(slowest)} ms ` +
        `(bound ${ANSWER_BOUND_MS}); /readyz 503 x${readyDuring.length} then 200; first 200 ${Math.round(firstOkAfter - resumedAt)} ms after resume; ` +
        `answers ${JSON.stringify(tally(outcomes))}; likeCount ${before.likeCount} = likers ${likersBefore.length}, after every user likes once more ${settled.likeCount} = ${USERS}`,
    );
  });
});
