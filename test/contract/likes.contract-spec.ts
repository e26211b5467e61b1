import { loadConfig } from '../../src/config/app-config.js';
import { ErrorCode } from '../../src/common/errors.js';
import { LikesRepository } from '../../src/repositories/likes.repository.js';
import { lookupAll } from '../../src/store/lookup-plan.js';
import { expectOneSet, walkMembers } from './membership-checks.js';
import { contractAdapters } from './store-adapters.js';
import { contractSuite } from './store-contract.js';

const CEILING = 4;
const POST = '0a-8000000000000-0000abcd';

/** Likes on every adapter: exact counts, each liker once, a deleted post takes its likes with it. */
describe.each(contractAdapters())('LikesRepository on $name', (adapter) => {
  const { test, store } = contractSuite(adapter);
  let sut: LikesRepository;

  beforeEach(async () => {
    sut = new LikesRepository(store(), loadConfig({ LIKER_BATCH_SIZE: String(CEILING) }));
    await store().upsert([{ key: { kind: 'Post', name: POST }, data: { author: 'ada' } }]);
  });

  const users = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

  async function expectLikers(expected: string[]): Promise<void> {
    const [walk, batches, [counts]] = await Promise.all([
      walkMembers((limit, cursor) => sut.likersOf(POST, limit, cursor)),
      sut.likerBatches(POST),
      lookupAll(store(), [sut.countsLookup([POST])]),
    ]);
    expectOneSet({ walk, batches, count: counts.get(POST) }, expected, CEILING);
  }

  test('should count 300 concurrent likes of one post exactly and list each liker once', async () => {
    const likers = users('u', 300);

    const changes = await Promise.all(likers.map((id) => sut.setLiked(POST, id, true)));

    expect(changes.every((change) => change.member && change.changed)).toBe(true);
    expect(Math.max(...changes.map((change) => change.count))).toBe(300);
    await expectLikers(likers);
  }, 120_000);

  test('should end at 50 after 100 likes and then 50 concurrent unlikes', async () => {
    const likers = users('v', 100);
    await Promise.all(likers.map((id) => sut.setLiked(POST, id, true)));

    await Promise.all(likers.slice(0, 50).map((id) => sut.setLiked(POST, id, false)));

    await expectLikers(likers.slice(50));
  }, 120_000);

  test('should count 20 concurrent likes by one user once', async () => {
    const changes = await Promise.all(Array.from({ length: 20 }, () => sut.setLiked(POST, 'fan', true)));

    expect(changes.filter((change) => change.changed)).toHaveLength(1);
    await expectLikers(['fan']);
    const [[liked]] = await lookupAll(store(), [sut.likedLookup('fan', [POST])]);
    expect(liked).toBe(true);
  }, 60_000);

  test('should stay consistent when one user likes and unlikes at once', async () => {
    await Promise.all(Array.from({ length: 21 }, (_, i) => sut.setLiked(POST, 'fan', i % 2 === 0)));

    const [[liked]] = await lookupAll(store(), [sut.likedLookup('fan', [POST])]);
    await expectLikers(liked ? ['fan'] : []);
  }, 60_000);

  test('should refuse likes of a post that does not exist and remove every like of a deleted post', async () => {
    await Promise.all(users('w', 10).map((id) => sut.setLiked(POST, id, true)));

    await expect(sut.setLiked('0b-8000000000000-0000abcd', 'w1', true)).rejects.toMatchObject({
      code: ErrorCode.PostNotFound,
    });
    await sut.removePost(POST);
    await store().delete([{ kind: 'Post', name: POST }]);

    await expect(sut.setLiked(POST, 'w1', true)).rejects.toMatchObject({ code: ErrorCode.PostNotFound });
    await expectLikers([]);
  }, 60_000);
});
