import { waitFor } from '../support/wait-for.js';
import { call, honourRetryAfter, publish, report, seedUsers, send, tally, walk, type Outcome } from './client.js';
import { embeddedServer } from './embedded-server.js';

const USERS = 80;
/** How many toggles are answered before the SIGTERM: load enough that many are in flight when it comes. */
const SIGTERM_AFTER = USERS * 5;

describe('graceful shutdown under the hot-post load (resilience)', () => {
  const embedded = embeddedServer('shutdown');

  it('should lose no answered like on SIGTERM and answer or refuse every request cleanly', async () => {
    const server = await embedded.start();
    const api = server.baseUrl;
    const users = await seedUsers(api, 'term', USERS);
    const postId = await publish(api, users[0]);
    const like = `/v1/posts/${postId}/like`;

    // Each user toggles its like until the server refuses the connection; `liked` follows the answered toggles.
    let answered = 0;
    const loops = users.map(async (user) => {
      const outcomes: Outcome[] = [];
      let liked = false;
      for (;;) {
        const outcome = await send(api, liked ? 'DELETE' : 'PUT', like, user.token, undefined, 20_000);
        outcomes.push(outcome);
        if (outcome.status === 200) {
          liked = !liked;
          answered++;
        } else if (outcome.status === 503) {
          await honourRetryAfter(outcome);
        } else {
          break;
        }
      }
      return { user, liked, outcomes };
    });
    await waitFor(() => answered >= SIGTERM_AFTER, {
      what: `${SIGTERM_AFTER} answered toggles before the SIGTERM`,
      timeoutMs: 60_000,
    });
    const answeredBefore = answered;
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

    const restarted = await embedded.start();
    const reader = users[0].token;
    const likers = await walk(restarted.baseUrl, `/v1/posts/${postId}/likers`, reader);
    const post = await call<{ likeCount: number }>(restarted.baseUrl, 'GET', `/v1/posts/${postId}`, reader);
    const expected = results.filter((result) => result.liked).map((result) => result.user.id);

    expect(likers.sort()).toEqual(expected.sort());
    expect(post.likeCount).toBe(expected.length);
    report(
      `shutdown: ${USERS} users toggling one like, SIGTERM after ${answeredBefore} answered toggles; answers ${JSON.stringify(counts)}; ` +
        `exit ${code} after ${Math.round(exitMs)} ms; after restart likers ${likers.length} = likeCount ${post.likeCount} = answered state ${expected.length}`,
    );
  });
});
