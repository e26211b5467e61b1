import request from 'supertest';
import { signIn, startTestApp, type SignedIn, type TestApp } from './support/app.js';
import { publishPost } from './support/posts.js';
import { expectProblem, fieldMessages } from './support/problems.js';

describe('likes (e2e)', () => {
  let sut: TestApp;
  let ada: SignedIn;
  let bob: SignedIn;
  let postId: string;

  beforeEach(async () => {
    sut = await startTestApp({ LIKER_BATCH_SIZE: '3' });
    [ada, bob] = await Promise.all([signIn(sut.app, 'ada@example.com'), signIn(sut.app, 'bob@example.com')]);
    ({ id: postId } = await publishPost(sut.app, ada));
  });

  afterEach(() => sut.close());

  const http = () => request(sut.app.getHttpServer());

  it('should like and unlike idempotently and show it on the post', async () => {
    const liked = await http().put(`/v1/posts/${postId}/like`).set('Authorization', bob.auth).expect(200);
    await http().put(`/v1/posts/${postId}/like`).set('Authorization', bob.auth).expect(200);

    expect(liked.body).toEqual({ liked: true, likeCount: 1 });
    const seenByBob = await http().get(`/v1/posts/${postId}`).set('Authorization', bob.auth).expect(200);
    const seenByAda = await http().get(`/v1/posts/${postId}`).set('Authorization', ada.auth).expect(200);
    expect(seenByBob.body).toMatchObject({ likeCount: 1, likedByMe: true });
    expect(seenByAda.body).toMatchObject({ likeCount: 1, likedByMe: false });

    const unliked = await http().delete(`/v1/posts/${postId}/like`).set('Authorization', bob.auth).expect(200);
    const again = await http().delete(`/v1/posts/${postId}/like`).set('Authorization', bob.auth).expect(200);
    expect(unliked.body).toEqual({ liked: false, likeCount: 0 });
    expect(again.body).toEqual({ liked: false, likeCount: 0 });
  });

  it('should count 60 concurrent likers exactly and list each once', async () => {
    const fans = await Promise.all(Array.from({ length: 60 }, (_, i) => signIn(sut.app, `fan${i}@example.com`)));

    const answers = await Promise.all(
      fans.map((fan) => http().put(`/v1/posts/${postId}/like`).set('Authorization', fan.auth)),
    );

    expect(answers.map((res) => res.status)).toEqual(Array(60).fill(200));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await http()
        .get(`/v1/posts/${postId}/likers`)
        .query({ limit: 25, ...(cursor ? { cursor } : {}) })
        .set('Authorization', ada.auth)
        .expect(200);
      seen.push(...res.body.items.map((user) => user.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(fans.map((fan) => fan.id).sort());
    const post = await http().get(`/v1/posts/${postId}`).set('Authorization', ada.auth).expect(200);
    expect(post.body.likeCount).toBe(60);
  });

  it('should answer 404 for an unknown or deleted post and 400 for a malformed id', async () => {
    await http().put('/v1/posts/0a-1234567890123-deadbeef/like').set('Authorization', bob.auth).expect(404);
    await http().get('/v1/posts/0a-1234567890123-deadbeef/likers').set('Authorization', bob.auth).expect(404);
    const malformed = await http().put('/v1/posts/nope/like').set('Authorization', bob.auth).expect(400);
    expect(fieldMessages(malformed)).toEqual(['id must be a post id']);

    await http().put(`/v1/posts/${postId}/like`).set('Authorization', bob.auth).expect(200);
    await http().delete(`/v1/posts/${postId}`).set('Authorization', ada.auth).expect(204);

    const gone = await http().put(`/v1/posts/${postId}/like`).set('Authorization', bob.auth).expect(404);
    expect(expectProblem(gone, 404, 'post_not_found').detail).toBe('post not found');
    await http().delete(`/v1/posts/${postId}/like`).set('Authorization', bob.auth).expect(404);
  });
});
