import { http, signIn, startTestApp, type SignedIn, type TestApp } from './support/app.js';
import { publishPost } from './support/posts.js';
import { expectProblem } from './support/problems.js';

type Comment = {
  id: string;
  postId: string;
  text: string;
  replyTo: string | null;
  replyCount: number;
  likeCount: number;
  likedByMe: boolean;
  mentions: { id: string; username: string }[];
  tags: string[];
  author: { id: string };
};

describe('comments (e2e)', () => {
  let sut: TestApp;
  let ann: SignedIn;
  let ben: SignedIn;
  let cat: SignedIn;
  let postId: string;

  beforeAll(async () => {
    sut = await startTestApp({ LOG_LEVEL: 'warn' });
    sut.logs.length = 0;
    [ann, ben, cat] = await Promise.all(
      ['ann', 'ben', 'cat'].map((name) => signIn(sut.app, `${name}@example.com`, name)),
    );
    postId = (await publishPost(sut.app, ann, 'first post')).id;
  });

  afterAll(() => sut.close());

  const comment = (who: SignedIn, body: object, post = postId) =>
    http(sut.app).post(`/v1/posts/${post}/comments`).set('Authorization', who.auth).send(body);
  const get = (who: SignedIn, path: string) => http(sut.app).get(path).set('Authorization', who.auth);
  const post = async (id = postId) =>
    (await get(ann, `/v1/posts/${id}`).expect(200)).body as { commentCount: number; commentsEnabled: boolean };

  it('should store a comment with its mentions and tags, and count it on the post', async () => {
    const before = (await post()).commentCount;
    const res = await comment(ben, { text: '  Lovely @ann and @nobody_here #Sunset #sunset  ' }).expect(201);
    const body = res.body as Comment;
    expect(body).toMatchObject({
      postId,
      text: 'Lovely @ann and @nobody_here #Sunset #sunset',
      replyTo: null,
      replyCount: 0,
      likeCount: 0,
      likedByMe: false,
      tags: ['sunset'],
      author: { id: ben.id },
    });
    expect(body.mentions).toEqual([{ id: ann.id, username: 'ann' }]);
    expect((await post()).commentCount).toBe(before + 1);
    expect((await get(cat, `/v1/comments/${body.id}`).expect(200)).body).toMatchObject({
      id: body.id,
      text: body.text,
    });
  });

  it('should take a mention of a reserved or impossible name as text, not as a user', async () => {
    const res = await comment(ben, { text: 'hi @__init__ @____ @__proto__x and @ann' }).expect(201);
    expect((res.body as Comment).mentions).toEqual([{ id: ann.id, username: 'ann' }]);
  });

  it('should fold a reply to a reply into its top-level comment and count both', async () => {
    const top = (await comment(ann, { text: 'top' }).expect(201)).body as Comment;
    const reply = (await comment(ben, { text: 'reply', replyTo: top.id }).expect(201)).body as Comment;
    const nested = (await comment(cat, { text: 'reply to reply', replyTo: reply.id }).expect(201)).body as Comment;
    expect(reply.replyTo).toBe(top.id);
    expect(nested.replyTo).toBe(top.id);
    expect(((await get(ann, `/v1/comments/${top.id}`).expect(200)).body as Comment).replyCount).toBe(2);
    const replies = (await get(ann, `/v1/comments/${top.id}/replies`).expect(200)).body as { items: Comment[] };
    expect(replies.items.map((item) => item.text)).toEqual(['reply', 'reply to reply']);
    const list = (await get(ann, `/v1/posts/${postId}/comments?limit=50`).expect(200)).body as { items: Comment[] };
    expect(list.items.every((item) => item.replyTo === null)).toBe(true);
    expect(list.items.find((item) => item.id === top.id)?.replyCount).toBe(2);
  });

  it('should refuse bad comments with the field named, and unknown posts and parents with 404', async () => {
    for (const body of [{}, { text: '' }, { text: '   ' }, { text: 'x'.repeat(2201) }, { text: 5 }, { text: null }]) {
      const res = await comment(ben, body).expect(400);
      expect(expectProblem(res, 400, 'validation_failed').detail).toMatch(/text/);
    }
    await comment(ben, { text: 'x'.repeat(2200) }).expect(201);
    await comment(ben, { text: 'hi', replyTo: 'nope' }).expect(400);
    await comment(ben, { text: 'hi', extra: 1 }).expect(400);
    expectProblem(await comment(ben, { text: 'hi' }, '0a-1234567890123-abcdef01').expect(404), 404, 'post_not_found');
    const other = (await publishPost(sut.app, cat, 'other')).id;
    const elsewhere = (await comment(ann, { text: 'on the other post' }, other).expect(201)).body as Comment;
    expectProblem(await comment(ben, { text: 'hi', replyTo: elsewhere.id }).expect(404), 404, 'comment_not_found');
    expectProblem(
      await comment(ben, { text: 'hi', replyTo: `${postId}.1733100000000abcdef01` }).expect(404),
      404,
      'comment_not_found',
    );
    await get(ben, `/v1/comments/${postId}.1733100000000abcdef01`).expect(404);
    await get(ben, '/v1/comments/not-an-id').expect(400);
    await get(ben, `/v1/posts/${postId}/comments?cursor=AAAA`).expect(400);
    await get(ben, `/v1/posts/${postId}/comments?limit=51`).expect(400);
  });

  it('should let the author turn comments off and on, changing nothing else', async () => {
    const id = (await publishPost(sut.app, ann, 'caption stays')).id;
    await http(sut.app)
      .patch(`/v1/posts/${id}`)
      .set('Authorization', ben.auth)
      .send({ commentsEnabled: false })
      .expect(403);
    // Nothing sent, or nothing new: the post is not marked edited.
    const same = await http(sut.app).patch(`/v1/posts/${id}`).set('Authorization', ann.auth).send({}).expect(200);
    expect(same.body).toMatchObject({ caption: 'caption stays', commentsEnabled: true, editedAt: null });
    const again = await http(sut.app)
      .patch(`/v1/posts/${id}`)
      .set('Authorization', ann.auth)
      .send({ caption: 'caption stays', commentsEnabled: true })
      .expect(200);
    expect(again.body.editedAt).toBeNull();
    const off = await http(sut.app)
      .patch(`/v1/posts/${id}`)
      .set('Authorization', ann.auth)
      .send({ commentsEnabled: false })
      .expect(200);
    expect(off.body).toMatchObject({ caption: 'caption stays', commentsEnabled: false });
    expect(off.body.editedAt).toEqual(expect.any(String));
    expectProblem(await comment(ben, { text: 'hi' }, id).expect(403), 403, 'comments_disabled');
    const edited = await http(sut.app)
      .patch(`/v1/posts/${id}`)
      .set('Authorization', ann.auth)
      .send({ caption: 'new #Tag for @ben' })
      .expect(200);
    expect(edited.body).toMatchObject({ caption: 'new #Tag for @ben', tags: ['tag'], commentsEnabled: false });
    expect(edited.body.mentions).toEqual([{ id: ben.id, username: 'ben' }]);
    await http(sut.app)
      .patch(`/v1/posts/${id}`)
      .set('Authorization', ann.auth)
      .send({ commentsEnabled: 'no' })
      .expect(400);
    await http(sut.app).patch(`/v1/posts/${id}`).set('Authorization', ann.auth).send({ caption: null }).expect(400);
    await http(sut.app)
      .patch(`/v1/posts/0a-1234567890123-abcdef01`)
      .set('Authorization', ann.auth)
      .send({})
      .expect(404);
    await http(sut.app)
      .patch(`/v1/posts/${id}`)
      .set('Authorization', ann.auth)
      .send({ commentsEnabled: true })
      .expect(200);
    await comment(ben, { text: 'back on' }, id).expect(201);
  });

  it('should let the comment’s author and the post’s author delete it, nobody else, and move the counts', async () => {
    const id = (await publishPost(sut.app, ann, 'deletions')).id;
    const top = (await comment(ben, { text: 'top' }, id).expect(201)).body as Comment;
    const r1 = (await comment(cat, { text: 'r1', replyTo: top.id }, id).expect(201)).body as Comment;
    const r2 = (await comment(ann, { text: 'r2', replyTo: top.id }, id).expect(201)).body as Comment;
    const solo = (await comment(cat, { text: 'solo' }, id).expect(201)).body as Comment;
    expect((await post(id)).commentCount).toBe(4);

    expectProblem(
      await http(sut.app).delete(`/v1/comments/${solo.id}`).set('Authorization', ben.auth).expect(403),
      403,
      'not_comment_author',
    );
    await http(sut.app).delete(`/v1/comments/${r2.id}`).set('Authorization', ann.auth).expect(204);
    expect(((await get(ann, `/v1/comments/${top.id}`).expect(200)).body as Comment).replyCount).toBe(1);
    expect((await post(id)).commentCount).toBe(3);
    // The post's author deletes Ben's thread: its reply leaves both counts.
    await http(sut.app).delete(`/v1/comments/${top.id}`).set('Authorization', ann.auth).expect(204);
    expect((await post(id)).commentCount).toBe(1);
    await get(ann, `/v1/comments/${top.id}`).expect(404);
    await get(ann, `/v1/comments/${top.id}/replies`).expect(404);
    await http(sut.app).delete(`/v1/comments/${top.id}`).set('Authorization', ann.auth).expect(404);
    // Its reply is gone with it at once, before the clean-up: no read, like or reply reaches it.
    await get(ann, `/v1/comments/${r1.id}`).expect(404);
    await http(sut.app).put(`/v1/comments/${r1.id}/like`).set('Authorization', cat.auth).expect(404);
    await http(sut.app).delete(`/v1/comments/${r1.id}`).set('Authorization', cat.auth).expect(404);
    expectProblem(
      await comment(ben, { text: 'to a deleted comment', replyTo: top.id }, id).expect(404),
      404,
      'comment_not_found',
    );
    await sut.settled();
    const left = (await get(ann, `/v1/posts/${id}/comments`).expect(200)).body as { items: Comment[] };
    expect(left.items.map((item) => item.text)).toEqual(['solo']);
    await http(sut.app).delete(`/v1/comments/${solo.id}`).set('Authorization', cat.auth).expect(204);
    expect((await post(id)).commentCount).toBe(0);
  });

  it('should cost the same store calls with comment counts: a post 2, a comments page 3 (2 one after the other)', async () => {
    const one = await get(ben, `/v1/posts/${postId}`).expect(200);
    expect(one.headers['server-timing']).toMatch(/^store;desc="2 calls"/);
    const page = await get(ben, `/v1/posts/${postId}/comments?limit=50`).expect(200);
    expect((page.body as { items: unknown[] }).items.length).toBeGreaterThan(2);
    // The post's lookup and the comments' query go out together; then one lookup of everything the page shows.
    expect(page.headers['server-timing']).toMatch(/^store;desc="3 calls, 2 in sequence"/);
  });

  it('should like and unlike a comment idempotently', async () => {
    const target = (await comment(ben, { text: 'like me' }).expect(201)).body as Comment;
    const like = (who: SignedIn) => http(sut.app).put(`/v1/comments/${target.id}/like`).set('Authorization', who.auth);
    expect((await like(ann).expect(200)).body).toEqual({ liked: true, likeCount: 1 });
    expect((await like(ann).expect(200)).body).toEqual({ liked: true, likeCount: 1 });
    expect((await like(cat).expect(200)).body).toEqual({ liked: true, likeCount: 2 });
    const seen = (await get(ann, `/v1/comments/${target.id}`).expect(200)).body as Comment;
    expect(seen).toMatchObject({ likeCount: 2, likedByMe: true });
    const unliked = await http(sut.app)
      .delete(`/v1/comments/${target.id}/like`)
      .set('Authorization', ann.auth)
      .expect(200);
    expect(unliked.body).toEqual({ liked: false, likeCount: 1 });
    await http(sut.app)
      .put(`/v1/comments/${postId}.1733100000000abcdef01/like`)
      .set('Authorization', ann.auth)
      .expect(404);
  });

  it('should take a deleted post’s comments with it', async () => {
    const id = (await publishPost(sut.app, ann, 'to delete')).id;
    const top = (await comment(ben, { text: 'gone soon' }, id).expect(201)).body as Comment;
    await http(sut.app).delete(`/v1/posts/${id}`).set('Authorization', ann.auth).expect(204);
    await get(ben, `/v1/posts/${id}/comments`).expect(404);
    // Gone at once, before the clean-up has run.
    await get(ben, `/v1/comments/${top.id}`).expect(404);
    await get(ben, `/v1/comments/${top.id}/replies`).expect(404);
    await comment(cat, { text: 'too late', replyTo: top.id }, id).expect(404);
    await http(sut.app).put(`/v1/comments/${top.id}/like`).set('Authorization', cat.auth).expect(404);
    await sut.settled();
    await get(ben, `/v1/comments/${top.id}`).expect(404);
  });
});
