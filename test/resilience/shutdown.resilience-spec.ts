import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnServer, type ServerProcess, UNLIMITED_RATES } from '../support/server-process.js';
import { call, publish, report, seedUsers, send, sleep, tally, walk, type Outcome } from './client.js';

const USERS = 80;

describe('graceful shutdown under the hot-post load (resilience)', () => {
  let dataDir: string;
  let server: ServerProcess | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'picfeed-shutdown-'));
  });

  afterAll(() => {
    server?.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should lose no answered like on SIGTERM and answer or refuse every request cleanly', async () => {
    const env = {
      STORE: 'embedded',
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      ...UNLIMITED_RATES,
    };
    server = await spawnServer(env);
    const api = server.baseUrl;
    const users = await seedUsers(api, 'term', USERS);
    const postId = await publish(api, users[0]);
    const like = `/v1/posts/${postId}/like`;

    // Each user toggles its like until the server refuses the connection; `liked` follows the answered toggles.
    const loops = users.map(async (user) => {
      const outcomes: Outcome[] = [];
      let liked = false;
      for (;;) {
        const outcome = await send(api, liked ? 'DELETE' : 'PUT', like, user.token, undefined, 20_000);
        outcomes.push(outcome);
        if (outcome.status === 200) {
          liked = !liked;
        } else if (outcome.status === 503) {
          // A well-behaved client (or load balancer) goes away for Retry-After seconds.
          await sleep(Number(outcome.retryAfter ?? 1) * 1_000);
        } else {
          break;
        }
      }
      return { user, liked, outcomes };
    });
    await sleep(1_500);
    const signalled = performance.now();
    server.child.kill('SIGTERM');
    const code = await server.exited;
    const exitMs = performance.now() - signalled;
    const results = await Promise.all(loops);
    const outcomes = results.flatMap((result) => result.outcomes);
    const counts = tally(outcomes);

    expect(code).toBe(0);
    expect(Object.keys(counts).sort()).toEqual(expect.arrayContaining(['200', 'ECONNREFUSED']));
    expect(outcomes.filter((o) => !(o.status === 200 || o.status === 503 || o.failure === 'ECONNREFUSED'))).toEqual([]);
    expect(outcomes.filter((o) => o.status === 503 && o.retryAfter === undefined)).toEqual([]);

    server = await spawnServer(env);
    const reader = users[0].token;
    const likers = await walk(server.baseUrl, `/v1/posts/${postId}/likers`, reader);
    const post = await call<{ likeCount: number }>(server.baseUrl, 'GET', `/v1/posts/${postId}`, reader);
    const expected = results.filter((result) => result.liked).map((result) => result.user.id);

    expect(likers.sort()).toEqual(expected.sort());
    expect(post.likeCount).toBe(expected.length);
    report(
      `shutdown: ${USERS} users toggling one like, SIGTERM after 1.5 s; answers ${JSON.stringify(counts)}; ` +
        `exit ${code} after ${Math.round(exitMs)} ms; after restart likers ${likers.length} = likeCount ${post.likeCount} = answered state ${expected.length}`,
    );
  });
});
