import { waitFor } from '../support/wait-for.js';
import { call, honourRetryAfter, publish, report, seedUsers, send, tally, walk, type Outcome } from './client.js';
import { datastoreServers, describeWithEmulator } from './with-emulator.js';

const USERS = 50;
const STORE_TIMEOUT_MS = 2_000;
/** Once the store is back and answering, each user and /readyz make this many more requests, all to succeed. */
const REQUESTS_AFTER_RECOVERY = 3;
/** How long one phase of the test may take before it gives up: a guard against a hang, not a figure. */
const PHASE_TIMEOUT_MS = 60_000;
/** How often a phase's condition, which sends a /readyz probe, is checked. */
const PROBE_INTERVAL_MS = 250;

interface Timed extends Outcome {
  readonly at: number;
}

describeWithEmulator('Datastore outage mid-load (resilience)', () => {
  const cluster = datastoreServers('outage');

  it('should answer 503 with Retry-After, turn /readyz 503, recover without restart and count exactly', async () => {
    const server = await cluster.spawn({ DATASTORE_TIMEOUT_MS: String(STORE_TIMEOUT_MS) });
    const emulator = cluster.emulator();
    const api = server.baseUrl;
    const users = await seedUsers(api, 'outage', USERS);
    const postId = await publish(api, users[0]);
    const like = `/v1/posts/${postId}/like`;
    const started = performance.now();
    const now = () => performance.now() - started;

    // Each user toggles its like until the test has seen what it needs, staying away for Retry-After after a 503.
    let running = true;
    const perUser: Timed[][] = users.map(() => []);
    const loads = users.map(async (user, i) => {
      let liked = false;
      while (running) {
        const at = now();
        const outcome = await send(api, liked ? 'DELETE' : 'PUT', like, user.token, undefined, 30_000);
        perUser[i].push({ ...outcome, at });
        if (outcome.status === 200) {
          liked = !liked;
        } else if (outcome.status === 503) {
          await honourRetryAfter(outcome);
        }
      }
    });
    const readiness: Timed[] = [];
    const probeReadiness = async (): Promise<void> => {
      const at = now();
      readiness.push({ ...(await send(api, 'GET', '/readyz', undefined, undefined, 30_000)), at });
    };
    /** Whether every user, and /readyz, have `count` answers that `pass` to requests they started after `since`. */
    const answeredSince = (since: number, pass: (o: Timed) => boolean, count = 1): boolean =>
      [...perUser, readiness].every((answers) => answers.filter((o) => o.at > since && pass(o)).length >= count);
    const phase = (what: string, condition: () => boolean) =>
      waitFor(
        async () => {
          await probeReadiness();
          return condition();
        },
        { what, timeoutMs: PHASE_TIMEOUT_MS, intervalMs: PROBE_INTERVAL_MS },
      );

    await phase('a 200 for every user and /readyz before the outage', () => answeredSince(0, (o) => o.status === 200));
    emulator.pause();
    const pausedAt = now();
    await phase('an answer for every user and a 503 from /readyz while the store is frozen', () =>
      answeredSince(pausedAt + 100, (o) => o.status === 503),
    );
    emulator.resume();
    const resumedAt = now();
    await phase('a 200 for every user and /readyz once the store is back', () =>
      answeredSince(resumedAt, (o) => o.status === 200),
    );
    const recoveredAt = now();
    await phase(`${REQUESTS_AFTER_RECOVERY} more answers for every user and /readyz after the recovery`, () =>
      answeredSince(recoveredAt, () => true, REQUESTS_AFTER_RECOVERY),
    );
    running = false;
    await Promise.all(loads);
    const outcomes = perUser.flat();

    const during = outcomes.filter((o) => o.at > pausedAt + 100 && o.at + o.ms < resumedAt);
    // No user is left hanging: each got an answer while the store was frozen.
    const answeredUsers = perUser.filter((mine) =>
      mine.some((o) => o.at + o.ms > pausedAt + 100 && o.at + o.ms < resumedAt),
    ).length;
    const after = outcomes.filter((o) => o.at > recoveredAt);
    const slowest = Math.max(...outcomes.map((o) => o.ms));
    const firstOkAfter = Math.min(...outcomes.filter((o) => o.at > resumedAt && o.status === 200).map((o) => o.at));
    const readyDuring = readiness.filter((o) => o.at > pausedAt + 100 && o.at + o.ms < resumedAt);
    const readyAfter = readiness.filter((o) => o.at > recoveredAt);

    expect(outcomes.filter((o) => o.status === undefined || (o.status !== 200 && o.status !== 503))).toEqual([]);
    expect(answeredUsers).toBe(USERS);
    expect(during.length).toBeGreaterThan(0);
    expect(tally(during)).toEqual({ 503: during.length });
    expect(during.filter((o) => o.retryAfter === undefined)).toEqual([]);
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
      `outage: ${USERS} users toggling one like, emulator paused for ${Math.round((resumedAt - pausedAt) / 1000)} s (until every user and /readyz had answered); ` +
        `every user answered during the outage, the ${during.length} requests made within it all 503 + Retry-After, slowest answer ${Math.round(slowest)} ms; ` +
        `/readyz 503 x${readyDuring.length} then 200; first 200 ${Math.round(firstOkAfter - resumedAt)} ms after resume, every user and /readyz 200 after ${Math.round(recoveredAt - resumedAt)} ms; ` +
        `then ${after.length} requests all 200; answers ${JSON.stringify(tally(outcomes))}; likeCount ${before.likeCount} = likers ${likersBefore.length}, after every user likes once more ${settled.likeCount} = ${USERS}`,
    );
  });
});
