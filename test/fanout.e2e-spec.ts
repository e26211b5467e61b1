import request from 'supertest';
import { FollowsRepository } from '../src/repositories/follows.repository.js';
import { ReceiversRepository } from '../src/repositories/receivers.repository.js';
import { UsersRepository } from '../src/repositories/users.repository.js';
import { signIn, startTestApp, type TestApp } from './support/app.js';
import { pool } from './support/pool.js';
import { publishPost } from './support/posts.js';

const FOLLOWERS = 5_000;

describe('fan-out by tasks (e2e)', () => {
  let sut: TestApp;

  beforeAll(async () => {
    // 200 a batch: 25 batches, so the fan-out runs as a chain of five tasks of five batches each.
    sut = await startTestApp({ FOLLOWER_BATCH_SIZE: '200' });
  });
  afterAll(() => sut.close());

  it(`should bring a post to all ${FOLLOWERS.toLocaleString('en')} followers' timelines, the publish answering before`, async () => {
    const star = await signIn(sut.app, 'star@example.com');
    const users = sut.app.get(UsersRepository);
    const follows = sut.app.get(FollowsRepository);
    const http = () => request(sut.app.getHttpServer());
    // Three followers who read their timeline through the API, the others seeded through the repositories the API
    // uses (5,000 sign-ins over HTTP would be most of the test).
    const readers = await Promise.all([0, 1, 2].map((i) => signIn(sut.app, `reader${i}@example.com`)));
    for (const reader of readers) {
      await http().put(`/v1/users/${star.id}/follow`).set('Authorization', reader.auth).expect(200);
    }
    const fans = Array.from({ length: FOLLOWERS - readers.length }, (_, i) => `fan-${i}`);
    await pool(fans, 16, async (id) => {
      await users.create({
        id,
        displayName: id,
        pictureUrl: null,
        email: null,
        usernameCandidates: [id.replace('-', '_')],
      });
      await follows.setFollowing(id, star.id, true);
    });
    const batches = await follows.followerBatches(star.id);
    expect(batches.reduce((sum, batch) => sum + batch.members.length, 0)).toBe(FOLLOWERS);

    const post = await publishPost(sut.app, star, 'to everyone');
    const receivers = sut.app.get(ReceiversRepository);
    // The answer came with the author's receiver and the first task stored; the followers' come from the tasks.
    expect((await receivers.page(star.id, 1)).posts).toEqual([{ id: post.id, author: star.id }]);
    await sut.settled();

    expect(await receivers.countFor(post.id)).toBe(batches.length + 1);
    const missing = (
      await pool(fans, 32, async (fan) => ((await receivers.page(fan, 1)).posts[0]?.id === post.id ? [] : [fan]))
    ).flat();
    expect(missing).toEqual([]);
    for (const reader of readers) {
      const timeline = await http().get('/v1/timeline').set('Authorization', reader.auth).expect(200);
      expect((timeline.body as { items: { id: string }[] }).items.map((item) => item.id)).toEqual([post.id]);
    }
  }, 180_000);
});
