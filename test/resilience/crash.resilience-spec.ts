import { waitFor } from '../support/wait-for.js';
import { call, publish, report, seedUsers, send, walk, type User } from './client.js';
import { embeddedServer } from './embedded-server.js';

const USERS = 40;
const FOLLOWEES = 5;
/** How many likes and follows are answered before the kill: load enough that many are in flight when it comes. */
const KILL_AFTER = USERS * 10;

interface Target {
  readonly key: string;
  readonly path: string;
}

describe('kill -9 of the embedded server under like and follow load (resilience)', () => {
  const embedded = embeddedServer('crash');

  it('should keep every like and follow answered 2xx, with counts that agree with the markers', async () => {
    const server = await embedded.start();
    const api = server.baseUrl;
    const users = await seedUsers(api, 'crash', USERS);
    const followees = users.slice(0, FOLLOWEES);
    const postIds = await Promise.all(users.slice(0, 3).map((author) => publish(api, author)));
    const targets: Target[] = [
      ...postIds.map((id) => ({ key: `post:${id}`, path: `/v1/posts/${id}/like` })),
      ...followees.map((followee) => ({ key: `user:${followee.id}`, path: `/v1/users/${followee.id}/follow` })),
    ];

    // Each user toggles likes and follows at random; `answered` holds the state its 2xx answers left, and the
    // target of a request that got no answer is ambiguous (it may or may not have been stored).
    let answeredWrites = 0;
    const loops = users.map(async (user) => {
      const mine = targets.filter((target) => target.key !== `user:${user.id}`);
      const answered = new Map<string, boolean>();
      let ambiguous: string | undefined;
      for (;;) {
        const target = mine[Math.floor(Math.random() * mine.length)];
        const on = !(answered.get(target.key) ?? false);
        const outcome = await send(api, on ? 'PUT' : 'DELETE', target.path, user.token, undefined, 10_000);
        if (outcome.status === 200) {
          answered.set(target.key, on);
          answeredWrites++;
        } else {
          ambiguous = outcome.status === undefined ? target.key : undefined;
          expect(outcome.failure ?? `status ${outcome.status}`).toMatch(/ECONNRESET|ECONNREFUSED|UND_ERR_SOCKET/);
          return { user, answered, ambiguous };
        }
      }
    });
    await waitFor(() => answeredWrites >= KILL_AFTER, {
      what: `${KILL_AFTER} answered likes and follows before the kill`,
      timeoutMs: 60_000,
    });
    server.child.kill('SIGKILL');
    await server.exited;
    const killedAfter = answeredWrites;
    const results = await Promise.all(loops);

    const restarted = await embedded.start();
    const reader = users[0].token;
    const expectedOf = (key: string) =>
      results.filter((r) => r.answered.get(key) === true && r.ambiguous !== key).map((r) => r.user.id);
    const unsureOf = (key: string) => results.filter((r) => r.ambiguous === key).map((r) => r.user.id);
    const checkMembers = (stored: string[], key: string) => {
      const unsure = new Set(unsureOf(key));
      expect(stored.filter((id) => !unsure.has(id)).sort()).toEqual(expectedOf(key).sort());
    };
    let checkedLists = 0;
    await Promise.all([
      ...postIds.map(async (id) => {
        const [likers, post] = await Promise.all([
          walk(restarted.baseUrl, `/v1/posts/${id}/likers`, reader),
          call<{ likeCount: number }>(restarted.baseUrl, 'GET', `/v1/posts/${id}`, reader),
        ]);
        checkMembers(likers, `post:${id}`);
        expect(post.likeCount).toBe(likers.length);
        checkedLists++;
      }),
      ...users.map(async (user: User) => {
        const [followers, following, profile] = await Promise.all([
          walk(restarted.baseUrl, `/v1/users/${user.id}/followers`, reader),
          walk(restarted.baseUrl, `/v1/users/${user.id}/following`, reader),
          call<{ followerCount: number; followingCount: number }>(
            restarted.baseUrl,
            'GET',
            `/v1/users/${user.id}`,
            reader,
          ),
        ]);
        checkMembers(followers, `user:${user.id}`);
        const result = results.find((r) => r.user.id === user.id)!;
        const sure = followees.filter((f) => result.ambiguous !== `user:${f.id}`);
        expect(following.filter((id) => sure.some((f) => f.id === id)).sort()).toEqual(
          sure
            .filter((f) => result.answered.get(`user:${f.id}`) === true)
            .map((f) => f.id)
            .sort(),
        );
        expect([profile.followerCount, profile.followingCount]).toEqual([followers.length, following.length]);
        checkedLists += 2;
      }),
    ]);

    const inFlight = results.filter((r) => r.ambiguous !== undefined).length;
    expect(killedAfter).toBeGreaterThan(USERS);
    report(
      `crash: kill -9 after ${killedAfter} answered likes/follows/unlikes/unfollows by ${USERS} users, ${inFlight} in flight; ` +
        `after restart every answered one is there and counts agree with ${checkedLists} member lists`,
    );
  });
});
