import request from 'supertest';
import { PostsRepository } from '../src/repositories/posts.repository.js';
import { ReceiversRepository } from '../src/repositories/receivers.repository.js';
import { signIn, startTestApp, type SignedIn, type TestApp } from './support/app.js';
import { expectProblem } from './support/problems.js';

describe('the task and cron endpoints (e2e)', () => {
  describe('with the in-process queue', () => {
    let sut: TestApp;

    beforeAll(async () => {
      sut = await startTestApp();
    });
    afterAll(() => sut.close());

    it('should refuse every call, App Engine headers or not: nothing strips them on one machine', async () => {
      const http = () => request(sut.app.getHttpServer());

      const task = await http()
        .post('/_internal/tasks/backfill')
        .set('X-AppEngine-QueueName', 'backfill')
        .send({ follower: 'a', followee: 'b' });
      const cron = await http().get('/_internal/cron/sweep-uploads').set('X-Appengine-Cron', 'true');

      expectProblem(task, 403, 'internal_only');
      expectProblem(cron, 403, 'internal_only');
    });
  });

  it('should refuse Cloud Tasks headers outside App Engine, where nothing strips them', async () => {
    const sut = await startTestApp({
      TASK_QUEUE: 'cloudtasks',
      GOOGLE_CLOUD_PROJECT: 'picfeed-test',
      CLOUD_TASKS_LOCATION: 'us-central1',
    });
    try {
      const res = await request(sut.app.getHttpServer())
        .post('/_internal/tasks/backfill')
        .set('X-AppEngine-QueueName', 'backfill')
        .send({ follower: 'a', followee: 'b' });
      expectProblem(res, 403, 'internal_only');
    } finally {
      await sut.close();
    }
  });

  describe('with Cloud Tasks on App Engine', () => {
    let sut: TestApp;
    let ada: SignedIn;
    let bob: SignedIn;

    beforeAll(async () => {
      sut = await startTestApp({
        TASK_QUEUE: 'cloudtasks',
        GOOGLE_CLOUD_PROJECT: 'picfeed-test',
        CLOUD_TASKS_LOCATION: 'us-central1',
        GAE_ENV: 'standard',
      });
      [ada, bob] = await Promise.all([signIn(sut.app, 'ada@example.com'), signIn(sut.app, 'bob@example.com')]);
    });
    afterAll(() => sut.close());

    const http = () => request(sut.app.getHttpServer());

    it("should run a task only with App Engine's queue header naming its queue, and a cron job only with the cron header", async () => {
      const backfill = { follower: bob.id, followee: ada.id };

      const bare = await http().post('/_internal/tasks/backfill').send(backfill);
      const otherQueue = await http()
        .post('/_internal/tasks/backfill')
        .set('X-AppEngine-QueueName', 'fan-out')
        .send(backfill);
      const unknown = await http().post('/_internal/tasks/nope').set('X-AppEngine-QueueName', 'nope').send({});
      const cronBare = await http().get('/_internal/cron/sweep-uploads');
      const cronFalse = await http().get('/_internal/cron/sweep-uploads').set('X-Appengine-Cron', 'false');

      expectProblem(bare, 403, 'internal_only');
      expectProblem(otherQueue, 403, 'internal_only');
      expectProblem(unknown, 404, 'route_not_found');
      expectProblem(cronBare, 403, 'internal_only');
      expectProblem(cronFalse, 403, 'internal_only');
      await http().get('/_internal/cron/sweep-uploads').set('X-Appengine-Cron', 'true').expect(200, { done: true });
    });

    it('should run a delivered task: a backfill puts the followee’s posts in the follower’s timeline', async () => {
      // Publishing through the API would call Cloud Tasks itself: the post is stored through its repository.
      const posts = sut.app.get(PostsRepository);
      const uploadId = 'b'.repeat(32);
      await posts.createUpload({
        id: uploadId,
        owner: ada.id,
        objectName: `uploads/${ada.id}/${uploadId}`,
        contentType: 'image/jpeg',
        contentLength: 10,
        createdAt: new Date(),
        expiresAt: new Date(Date.now() + 60_000),
        postId: null,
      });
      const { post } = await posts.publish([uploadId], { author: ada.id, caption: '', media: [] });
      const receivers = sut.app.get(ReceiversRepository);
      expect((await receivers.page(bob.id, 10)).posts).toEqual([]);

      await http()
        .post('/_internal/tasks/backfill')
        .set('X-AppEngine-QueueName', 'backfill')
        .send({ follower: bob.id, followee: ada.id })
        .expect(200, { done: true });

      expect((await receivers.page(bob.id, 10)).posts).toEqual([{ id: post.id, author: ada.id }]);
    });
  });
});
