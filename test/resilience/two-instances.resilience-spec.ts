import { call, honourRetryAfter, publish, report, seedUsers, send, tally, walk, type Outcome } from './client.js';
import { datastoreServers, describeWithEmulator } from './with-emulator.js';

const USERS = 60;
/** Each user's loop against each instance makes this many like/unlike requests. */
const REQUESTS_PER_LOOP = 15;

describeWithEmulator('two API instances on one Datastore (resilience)', () => {
  const cluster = datastoreServers('two');

  it('should count a hot post exactly when its likes and unlikes are split between the instances', async () => {
    const servers = [await cluster.spawn(), await cluster.spawn()];
    const [a, b] = servers.map((server) => server.baseUrl);
    const users = await seedUsers(a, 'two', USERS);
    const postId = await publish(b, users[0]);
    const like = `/v1/posts/${postId}/like`;

    // Every user runs one loop against each instance at once, so the same like races across processes.
    const loops = users.flatMap((user) =>
      [a, b].map(async (api) => {
        const outcomes: Outcome[] = [];
        for (let i = 0; i < REQUESTS_PER_LOOP; i++) {
          const outcome = await send(api, Math.random() < 0.5 ? 'PUT' : 'DELETE', like, user.token);
          outcomes.push(outcome);
          if (outcome.status === 503) {
            await honourRetryAfter(outcome);
          }
        }
        return outcomes;
      }),
    );
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
      `two instances: ${USERS} users x 2 loops (one per instance) liking/unliking one post ${REQUESTS_PER_LOOP} times each; answers ${JSON.stringify(counts)} (503: ${refusals.join('; ') || 'none'}); ` +
        `then likeCount ${before[0]} on both = likers ${likersBefore.length}; after every user likes once more ${after.join(' and ')} = ${USERS} likers`,
    );
  });
});
