import { loadConfig } from '../../src/config/app-config.js';
import { UsersRepository } from '../../src/repositories/users.repository.js';
import { ErrorCode } from '../../src/common/errors.js';
import { FollowsRepository } from '../../src/repositories/follows.repository.js';
import { lookupAll } from '../../src/store/lookup-plan.js';
import { chunk } from '../../src/store/store.limits.js';
import { clockPast } from '../support/wait-for.js';
import { expectOneSet, walkMembers } from './membership-checks.js';
import { contractAdapters } from './store-adapters.js';
import { contractSuite } from './store-contract.js';

const CEILING = 3;

/** Follows on every adapter: exact counts and lists under concurrency, batches that roll over at a tiny ceiling. */
describe.each(contractAdapters())('FollowsRepository on $name', (adapter) => {
  const { test, store } = contractSuite(adapter);
  let sut: FollowsRepository;

  beforeEach(() => {
    sut = new FollowsRepository(
      store(),
      loadConfig({ FOLLOWER_BATCH_SIZE: String(CEILING) }),
      new UsersRepository(store()),
    );
  });

  async function seedUsers(ids: string[]): Promise<void> {
    const users = ids.map((id) => ({ key: { kind: 'User', name: id }, data: { username: id } }));
    await Promise.all(chunk(users, 500).map((piece) => store().upsert(piece)));
  }

  const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

  const followerWalk = (userId: string) => walkMembers((limit, cursor) => sut.followersOf(userId, limit, cursor));

  async function expectConsistent(userId: string, expected: string[]): Promise<void> {
    const [walk, batches, [counts]] = await Promise.all([
      followerWalk(userId),
      sut.followerBatches(userId),
      lookupAll(store(), [sut.countsLookup([userId])]),
    ]);
    expectOneSet({ walk, batches, count: counts.get(userId)?.followerCount }, expected, CEILING);
  }

  test('should count 200 concurrent followers exactly and list each once', async () => {
    const followers = ids('f', 200);
    await seedUsers(['star', ...followers]);

    const changes = await Promise.all(followers.map((id) => sut.setFollowing(id, 'star', true)));

    expect(changes.every((change) => change.member && change.changed)).toBe(true);
    await expectConsistent('star', followers);
    const batches = await sut.followerBatches('star');
    expect(batches.length).toBeGreaterThanOrEqual(200 / CEILING);
  }, 120_000);

  test('should end at 60 after 100 follows and then 40 concurrent unfollows', async () => {
    const followers = ids('g', 100);
    await seedUsers(['star', ...followers]);
    await Promise.all(followers.map((id) => sut.setFollowing(id, 'star', true)));

    await Promise.all(followers.slice(0, 40).map((id) => sut.setFollowing(id, 'star', false)));

    await expectConsistent('star', followers.slice(40));
  }, 120_000);

  test('should count one follower once however many times they follow at once', async () => {
    await seedUsers(['star', 'fan']);

    const changes = await Promise.all(Array.from({ length: 20 }, () => sut.setFollowing('fan', 'star', true)));

    expect(changes.filter((change) => change.changed)).toHaveLength(1);
    expect(changes.every((change) => change.member && change.count === 1)).toBe(true);
    await expectConsistent('star', ['fan']);
    const [counts] = await lookupAll(store(), [sut.countsLookup(['fan'])]);
    expect(counts.get('fan')?.followingCount).toBe(1);
  }, 60_000);

  test('should count one user following 60 others at once exactly', async () => {
    const stars = ids('s', 60);
    await seedUsers(['fan', ...stars]);

    await Promise.all(stars.map((star) => sut.setFollowing('fan', star, true)));

    const [counts] = await lookupAll(store(), [sut.countsLookup(['fan', ...stars])]);
    expect(counts.get('fan')?.followingCount).toBe(60);
    expect(stars.every((star) => counts.get(star)?.followerCount === 1)).toBe(true);
    expect((await walkMembers((limit, cursor) => sut.followedBy('fan', limit, cursor))).sort()).toEqual(stars.sort());
  }, 120_000);

  test('should keep marker, batch and count in agreement when one user follows and unfollows at once', async () => {
    await seedUsers(['star', 'fan']);

    const wanted = Array.from({ length: 20 }, (_, i) => i % 2 === 0);
    await Promise.all(wanted.map((follow) => sut.setFollowing('fan', 'star', follow)));

    const walk = await followerWalk('star');
    await expectConsistent('star', walk);
    expect(walk.length).toBeLessThanOrEqual(1);
    const [[followingFan]] = await lookupAll(store(), [sut.isFollowingLookup('fan', ['star'])]);
    expect(followingFan).toBe(walk.length === 1);
  }, 60_000);

  test('should close a full batch and open a new one', async () => {
    const followers = ids('h', 7);
    await seedUsers(['star', ...followers]);

    for (const id of followers) {
      await sut.setFollowing(id, 'star', true);
    }

    const batches = await sut.followerBatches('star');
    expect(batches.map((batch) => batch.members.length).sort()).toEqual([1, 3, 3]);
    await sut.setFollowing('h0', 'star', false);
    await expectConsistent('star', followers.slice(1));
  }, 60_000);

  test('should list followers newest first and the users someone follows', async () => {
    await seedUsers(['a', 'b', 'c', 'fan']);
    for (const id of ['a', 'b', 'c']) {
      await sut.setFollowing('fan', id, true);
      await sut.setFollowing(id, 'fan', true);
      await clockPast(Date.now()); // newest first is by millisecond; ties fall back to key order
    }

    expect((await sut.followersOf('fan', 10)).ids).toEqual(['c', 'b', 'a']);
    const first = await sut.followedBy('fan', 2);
    expect(first.ids).toEqual(['c', 'b']);
    expect((await sut.followedBy('fan', 2, first.cursor)).ids).toEqual(['a']);
  }, 60_000);

  test('should never repeat or skip a follower in a walk while follows keep arriving', async () => {
    const early = ids('e', 30);
    const late = ids('l', 30);
    await seedUsers(['star', ...early, ...late]);
    await Promise.all(early.map((id) => sut.setFollowing(id, 'star', true)));

    const walked: string[] = [];
    let cursor: string | undefined;
    let arriving = 0;
    do {
      const page = await sut.followersOf('star', 4, cursor);
      walked.push(...page.ids);
      cursor = page.cursor;
      await Promise.all(late.slice(arriving, arriving + 3).map((id) => sut.setFollowing(id, 'star', true)));
      arriving += 3;
    } while (cursor);

    expect(new Set(walked).size).toBe(walked.length);
    expect(early.every((id) => walked.includes(id))).toBe(true);
  }, 120_000);

  test('should refuse to follow a user who does not exist', async () => {
    await seedUsers(['fan']);

    await expect(sut.setFollowing('fan', 'ghost', true)).rejects.toMatchObject({ code: ErrorCode.UserNotFound });
    expect((await sut.followedBy('fan', 10)).ids).toEqual([]);
  });
});
