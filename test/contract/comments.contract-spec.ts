import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { COMMENT_KIND } from '../../src/keys/comment.keys.js';
import { Store } from '../../src/store/store.js';
import { signIn, startTestApp, type SignedIn, type TestApp } from '../support/app.js';
import { pool } from '../support/pool.js';
import { publishPost } from '../support/posts.js';
import { UNLIMITED_RATES } from '../support/server-process.js';
import { contractAdapters } from './store-adapters.js';
import { countedSuite } from './store-contract.js';

type Comment = { id: string; text: string; replyCount: number; likeCount: number };
type Page = { items: Comment[]; nextCursor: string | null };

/** Comments over HTTP on the embedded store on disk, and on the emulator when the run started one. */
describe.each(contractAdapters())('comments (e2e) on $name', (adapter) => {
  const test = countedSuite(adapter);
  let sut: TestApp;
  let dataDir: string;
  let author: SignedIn;
  let crowd: SignedIn[];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'picfeed-comments-'));
    sut = await startTestApp({ ...adapter.appEnv(dataDir), ...UNLIMITED_RATES, LOG_LEVEL: 'warn' });
    author = await signIn(sut.app, 'author@example.com');
    crowd = await pool(
      Array.from({ length: 200 }, (_, i) => i),
      20,
      (i) => signIn(sut.app, `fan${i}@example.com`),
    );
  }, 180_000);

  afterAll(async () => {
    await sut.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const http = () => request(sut.app.getHttpServer());
  const commentCount = async (postId: string) =>
    (
      (await http().get(`/v1/posts/${postId}`).set('Authorization', author.auth).expect(200)).body as {
        commentCount: number;
      }
    ).commentCount;

  async function walk(path: string, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: Page } = await http()
        .get(path)
        .query({ limit, ...(cursor ? { cursor } : {}) })
        .set('Authorization', author.auth)
        .expect(200);
      seen.push(...res.body.items.map((item) => item.text));
      cursor = res.body.nextCursor;
    } while (cursor);
    return seen;
  }

  test('should count 200 concurrent comments on one post exactly, list each once in order, and 50 deletes', async () => {
    const { id: postId } = await publishPost(sut.app, author, 'hot');
    const answers = await Promise.all(
      crowd.map((fan, i) =>
        http()
          .post(`/v1/posts/${postId}/comments`)
          .set('Authorization', fan.auth)
          .send({ text: `c${i}` }),
      ),
    );
    expect(answers.map((res) => res.status).filter((status) => status !== 201)).toEqual([]);
    expect(await commentCount(postId)).toBe(200);

    const listed = await walk(`/v1/posts/${postId}/comments`, 17);
    expect(listed).toHaveLength(200);
    expect(new Set(listed).size).toBe(200);
    // Oldest first: the order they were stored in, by their createdAt.
    const byTime = answers
      .map((res) => res.body as Comment & { createdAt: string })
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
      .map((item) => item.text);
    expect(listed).toEqual(byTime);

    const deletes = await Promise.all(
      answers.slice(0, 50).map((res, i) =>
        http()
          .delete(`/v1/comments/${(res.body as Comment).id}`)
          .set('Authorization', crowd[i].auth),
      ),
    );
    expect(deletes.map((res) => res.status).filter((status) => status !== 204)).toEqual([]);
    expect(await commentCount(postId)).toBe(150);
    expect(await walk(`/v1/posts/${postId}/comments`, 50)).toHaveLength(150);
  }, 180_000);

  test('should count 120 replies in the post and their parent, and take them and their likes out with it', async () => {
    const { id: postId } = await publishPost(sut.app, author, 'thread');
    const top = (
      await http().post(`/v1/posts/${postId}/comments`).set('Authorization', crowd[0].auth).send({ text: 'top' })
    ).body as Comment;
    const replies = await Promise.all(
      crowd.slice(1, 121).map((fan, i) =>
        http()
          .post(`/v1/posts/${postId}/comments`)
          .set('Authorization', fan.auth)
          .send({ text: `r${i}`, replyTo: top.id }),
      ),
    );
    expect(replies.map((res) => res.status).filter((status) => status !== 201)).toEqual([]);
    expect(await commentCount(postId)).toBe(121);
    const parent = await http().get(`/v1/comments/${top.id}`).set('Authorization', author.auth).expect(200);
    expect((parent.body as Comment).replyCount).toBe(120);
    expect(await walk(`/v1/comments/${top.id}/replies`, 17)).toHaveLength(120);
    // Likes of the thread, which its clean-up must take too.
    const firstReply = replies[0].body as Comment;
    await http().put(`/v1/comments/${firstReply.id}/like`).set('Authorization', crowd[7].auth).expect(200);
    await http().put(`/v1/comments/${top.id}/like`).set('Authorization', crowd[7].auth).expect(200);

    await http().delete(`/v1/comments/${top.id}`).set('Authorization', crowd[5].auth).expect(403);
    await http().delete(`/v1/comments/${top.id}`).set('Authorization', crowd[0].auth).expect(204);
    expect(await commentCount(postId)).toBe(0);
    await sut.settled();
    const store = sut.app.get(Store);
    const left = await store.query({ kind: COMMENT_KIND, ancestor: { kind: 'Post', name: postId }, limit: 200 });
    expect(left.entities).toHaveLength(0);
    for (const kind of ['CommentLike', 'CommentLikerBatch']) {
      const likes = await store.query({ kind, limit: 1000, keysOnly: true });
      expect(likes.entities.filter((entity) => entity.key.name.startsWith(postId))).toEqual([]);
    }
  }, 120_000);

  test('should count 200 concurrent likes of one comment exactly', async () => {
    const { id: postId } = await publishPost(sut.app, author, 'liked comment');
    const target = (
      await http().post(`/v1/posts/${postId}/comments`).set('Authorization', author.auth).send({ text: 'like me' })
    ).body as Comment;
    const likes = await Promise.all(
      crowd.map((fan) => http().put(`/v1/comments/${target.id}/like`).set('Authorization', fan.auth)),
    );
    expect(likes.map((res) => res.status).filter((status) => status !== 200)).toEqual([]);
    const seen = await http().get(`/v1/comments/${target.id}`).set('Authorization', author.auth).expect(200);
    expect((seen.body as Comment).likeCount).toBe(200);
  }, 120_000);

  test('should leave nothing of a deleted post’s comments, replies and comment likes', async () => {
    const { id: postId } = await publishPost(sut.app, author, 'to be deleted');
    const top = (
      await http().post(`/v1/posts/${postId}/comments`).set('Authorization', crowd[0].auth).send({ text: 'top' })
    ).body as Comment;
    await http()
      .post(`/v1/posts/${postId}/comments`)
      .set('Authorization', crowd[1].auth)
      .send({ text: 'reply', replyTo: top.id })
      .expect(201);
    await http().put(`/v1/comments/${top.id}/like`).set('Authorization', crowd[2].auth).expect(200);
    await http().delete(`/v1/posts/${postId}`).set('Authorization', author.auth).expect(204);
    await sut.settled();
    const store = sut.app.get(Store);
    for (const kind of [
      COMMENT_KIND,
      'CommentLike',
      'CommentLikerBatch',
      'CommentLikeCount',
      'ReplyCount',
      'CommentCount',
    ]) {
      const result = await store.query({ kind, limit: 1000, keysOnly: true });
      expect({
        kind,
        left: result.entities.filter(
          (entity) => entity.key.name.includes(postId) || entity.key.parent?.name === postId,
        ),
      }).toEqual({ kind, left: [] });
    }
  }, 120_000);
});
