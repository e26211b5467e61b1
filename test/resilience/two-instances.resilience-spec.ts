import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../contract/emulator.js';
import { REPO_ROOT, spawnServer, type ServerProcess, UNLIMITED_RATES } from '../support/server-process.js';
import { describeWithEmulator } from './with-emulator.js';
import { call, publish, report, seedUsers, send, sleep, tally, walk, type Outcome } from './client.js';

const USERS = 60;

describeWithEmulator('two API instances on one Datastore (resilience)', () => {
  let emulator: Emulator;
  const servers: ServerProcess[] = [];
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'picfeed-two-'));
    emulator = await startEmulator({ rootDir: REPO_ROOT });
  });

  afterAll(async () => {
    servers.forEach((server) => server.child.kill('SIGKILL'));
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should count a hot post exactly when its likes and unlikes are split between the instances', async () => {
    // One DATA_DIR holds the dev issuer's key, so a token minted by either instance signs in on both.
    const env = {
      STORE: 'datastore',
      DATASTORE_EMULATOR_HOST: emulator.host,
      DEV_SIGN_IN: 'true',
      DEV_SIGN_IN_FORCE: 'true',
      DATA_DIR: dataDir,
      ...UNLIMITED_RATES,
    };
    servers.push(await spawnServer(env));
    servers.push(await spawnServer(env));
    const [a, b] = servers.map((server) => server.baseUrl);
    const users = await seedUsers(a, 'two', USERS);
    const postId = await publish(b, users[0]);
    const like = `/v1/posts/${postId}/like`;

    // Every user runs one loop against each instance at once, so the same like races across processes.
    let running = true;
    const loops = users.flatMap((user) =>
      [a, b].map(async (api) => {
        const outcomes: Outcome[] = [];
        while (running) {
          const outcome = await send(api, Math.random() < 0.5 ? 'PUT' : 'DELETE', like, user.token);
          outcomes.push(outcome);
          if (outcome.status !== 200) {
            await sleep(100);
          }
        }
        return outcomes;
      }),
    );
    await sleep(10_000);
    running = false;
    const outcomes = (await Promise.all(loops)).flat();
    const counts = tally(outcomes);
    const refusals = [
      ...new Set(outcomes.filter((o) => o.status === 503).map((o) => (o.body as { message?: string }).message)),
    ];

    const reader = users[0].token;
    const countOn = async (api: string) =>
      (await call<{ likeCount: number }>(api, 'GET', `/v1/posts/${postId}`, reader)).likeCount;
    const likersBefore = await walk(a, `/v1/posts/${postId}/likers`, reader);
    const before = await Promise.all([countOn(a), countOn(b)]);
    await Promise.all(users.map((user, i) => call(i % 2 === 0 ? a : b, 'PUT', like, user.token)));
    const likers = await walk(b, `/v1/posts/${postId}/likers`, reader);
    const after = await Promise.all([countOn(a), countOn(b)]);

    expect(outcomes.filter((o) => o.status !== 200 && o.status !== 503)).toEqual([]);
    expect(counts['200']).toBeGreaterThan(USERS * 10);
    expect(before).toEqual([likersBefore.length, likersBefore.length]);
    expect(new Set(likers).size).toBe(USERS);
    expect(after).toEqual([USERS, USERS]);
    report(
      `two instances: ${USERS} users x 2 loops (one per instance) liking/unliking one post for 10 s; answers ${JSON.stringify(counts)} (503: ${refusals.join('; ') || 'none'}); ` +
        `then likeCount ${before[0]} on both = likers ${likersBefore.length}; after every user likes once more ${after.join(' and ')} = ${USERS} likers`,
    );
  });
});
