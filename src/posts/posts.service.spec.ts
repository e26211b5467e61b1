import { randomBytes } from 'node:crypto';
import { TagsRepository } from '../repositories/tags.repository.js';
import { NotificationsRepository } from '../repositories/notifications.repository.js';
import { fakeLookups, strictMock } from '../../test/support/mocks.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import type { StoredImage, UploadImages } from '../media/upload-images.js';
import type { CommentsRepository } from '../repositories/comments.repository.js';
import type { LikesRepository } from '../repositories/likes.repository.js';
import type { PostRecord, PostsRepository, UploadRecord } from '../repositories/posts.repository.js';
import type { UserRecord } from '../repositories/users.repository.js';
import type { Relations } from '../relations/relations.js';
import { PageCursors } from '../security/page-cursors.js';
import type { UsersService } from '../users/users.service.js';
import type { PostDto } from './dto/post.dto.js';
import type { PostFanOut } from './post-fan-out.js';
import type { PostViews } from './post-views.js';
import { InlineTaskQueue } from '../../test/support/tasks.js';
import { PostsService } from './posts.service.js';

const ada = { id: 'ada' };
const upload: UploadRecord = {
  id: 'u'.repeat(32),
  owner: 'ada',
  objectName: `uploads/ada/${'u'.repeat(32)}`,
  contentType: 'image/jpeg',
  contentLength: 100,
  createdAt: new Date(),
  expiresAt: new Date(),
  postId: null,
};
const image: StoredImage = {
  blurhash: 'LEHV6nWB2yk8pyo0adR*.7kCMdnj',
  variants: [{ width: 8, height: 8, objectName: `media/ada/${upload.id}-w320` }],
};
const post: PostRecord = {
  id: '0a-1234567890123-deadbeef',
  author: 'ada',
  caption: 'hi',
  media: [{ uploadId: upload.id, altText: null, ...image }],
  legacyObjectName: null,
  tags: [],
  listedTags: [],
  mentions: [],
  commentsEnabled: true,
  editedAt: null,
  uploadIds: [upload.id],
  createdAt: new Date('2026-12-01T00:00:00Z'),
};
const dto = { id: post.id } as PostDto;
const cursors = new PageCursors(randomBytes(32));

function setup(overrides: { posts?: Partial<PostsRepository>; images?: Partial<UploadImages> } = {}) {
  const calls: string[] = [];
  const tasks = new InlineTaskQueue();
  const note =
    <T>(what: string, value: T) =>
    (...args: unknown[]) => {
      calls.push(`${what}(${args.map((arg) => JSON.stringify(arg)).join(', ')})`);
      return Promise.resolve(value);
    };
  const sut = new PostsService(
    strictMock<PostsRepository>(overrides.posts),
    strictMock<LikesRepository>({ removePost: note('removeLikes', undefined) }),
    strictMock<CommentsRepository>({ removePost: note('removeComments', undefined) }),
    strictMock<NotificationsRepository>({
      removeAbout: note('removeNotifications', undefined),
      addSingles: () => Promise.resolve(),
      removeItems: () => Promise.resolve(),
    }),
    strictMock<TagsRepository>({ touch: () => Promise.resolve() }),
    strictMock<UsersService>({
      requireUser: note('requireUser', {} as UserRecord),
      mentioned: () => Promise.resolve([]),
    }),
    strictMock<UploadImages>({
      removeVariants: note('removeVariants', undefined),
      removeAllVariantsOf: note('removeAllVariantsOf', undefined),
      removeOriginals: note('removeOriginals', undefined),
      ...overrides.images,
    }),
    strictMock<PostFanOut>({ deliver: note('deliver', undefined), withdraw: note('withdraw', undefined) }),
    strictMock<PostViews>({ present: (posts) => Promise.resolve(posts.map((p) => ({ id: p.id }) as PostDto)) }),
    strictMock<Relations>({
      access: (_viewer, id) => {
        calls.push(`access(${JSON.stringify(id)})`);
        return Promise.resolve({ user: { id } as UserRecord, access: { profile: true, content: true } });
      },
    }),
    fakeLookups(),
    cursors,
    tasks,
    tasks.handlers,
  );
  sut.onModuleInit();
  return { sut, calls, tasks };
}

describe('PostsService', () => {
  it('should store the image, publish, remove the original, fan out and present a new post', async () => {
    const published: unknown[] = [];
    const { sut, calls } = setup({
      posts: {
        findUploads: () => Promise.resolve(new Map([[upload.id, upload]])),
        publishedFrom: () => Promise.resolve(undefined),
        publish: (...args) => {
          published.push(args);
          return Promise.resolve({ post, created: true });
        },
      },
      images: { store: () => Promise.resolve(image) },
    });

    await expect(sut.createPost(ada, { uploadId: upload.id, caption: 'hi' })).resolves.toEqual(dto);
    expect(published).toEqual([
      [[upload.id], { author: 'ada', caption: 'hi', media: post.media, tags: [], mentions: [], commentsEnabled: true }],
    ]);
    expect(calls).toEqual([
      `removeOriginals(${JSON.stringify([upload.objectName])})`,
      `deliver(${JSON.stringify(post)})`,
    ]);
  });

  it('should answer a retried publish with its post without processing any image again', async () => {
    const { sut, calls } = setup({
      posts: {
        findUploads: () => Promise.resolve(new Map([[upload.id, { ...upload, postId: post.id }]])),
        publishedFrom: () => Promise.resolve(post),
      },
    });

    await expect(sut.createPost(ada, { uploadId: upload.id })).resolves.toEqual(dto);
    expect(calls).toEqual([`deliver(${JSON.stringify(post)})`]);
  });

  it('should answer the post of a concurrent identical publish that won while this one was processing', async () => {
    const gone = new DomainError(ErrorCode.UploadMissing, 'nothing was uploaded');
    let lookups = 0;
    const { sut } = setup({
      posts: {
        findUploads: () => Promise.resolve(new Map([[upload.id, { ...upload, postId: lookups++ ? post.id : null }]])),
        publishedFrom: (uploads) => Promise.resolve(uploads[0].postId ? post : undefined),
      },
      images: { store: () => Promise.reject(gone) },
    });

    await expect(sut.createPost(ada, { uploadId: upload.id })).resolves.toEqual(dto);
  });

  it('should remove the variants it wrote when the upload went before its publish could commit', async () => {
    const gone = new DomainError(ErrorCode.UploadNotFound, 'upload not found');
    const { sut, calls } = setup({
      posts: {
        findUploads: () => Promise.resolve(new Map([[upload.id, upload]])),
        publishedFrom: () => Promise.resolve(undefined),
        publish: () => Promise.reject(gone),
      },
      images: { store: () => Promise.resolve(image) },
    });

    await expect(sut.createPost(ada, { uploadId: upload.id })).rejects.toBe(gone);
    expect(calls).toEqual([`removeVariants(${JSON.stringify(image.variants)})`]);
  });

  it.each([
    ['an unknown upload', undefined, { id: 'ada' }, ErrorCode.UploadNotFound],
    ["another user's upload", upload, { id: 'bob' }, ErrorCode.NotUploadOwner],
  ])('should refuse %s before touching any image', async (_, found, caller, code) => {
    const { sut } = setup({
      posts: { findUploads: () => Promise.resolve(new Map(found ? [[found.id, found]] : [])) },
    });

    await expect(sut.createPost(caller, { uploadId: upload.id })).rejects.toMatchObject({ code });
  });

  it('should throw post_not_found for an unknown post', async () => {
    const { sut } = setup({ posts: { find: () => Promise.resolve(undefined) } });

    await expect(sut.getPost('nope', ada)).rejects.toMatchObject({ code: ErrorCode.PostNotFound });
  });

  it('should store the clean-up, delete the post, then remove its receivers, likes, notifications, variants and originals', async () => {
    let removed = false;
    const { sut, calls, tasks } = setup({
      posts: {
        find: () => Promise.resolve(removed ? undefined : post),
        remove: () => {
          removed = true;
          return Promise.resolve({ post, uploads: [upload] });
        },
      },
    });

    await sut.deletePost(post.id, ada);
    expect(removed).toBe(true);
    expect(calls).toEqual([]);
    await tasks.runDelayed();

    expect(calls.sort()).toEqual(
      [
        `removeAllVariantsOf("ada", ${JSON.stringify([upload.id])})`,
        `removeOriginals(${JSON.stringify([upload.objectName])})`,
        `removeLikes("${post.id}")`,
        `removeComments("${post.id}")`,
        `removeNotifications("post", "${post.id}")`,
        `withdraw("${post.id}")`,
      ].sort(),
    );
    expect(tasks.ran).toHaveLength(1);
    expect(tasks.ran[0]).toMatch(/^cleanup\(\{"postId":"0a-1234567890123-deadbeef","author":"ada"/);
  });

  it('should let a clean-up wait for its post to be gone, and drop it when the delete never happened', async () => {
    const { sut, calls, tasks } = setup({
      posts: {
        find: () => Promise.resolve(post),
        remove: () => Promise.reject(new Error('the store went away')),
      },
    });

    await expect(sut.deletePost(post.id, ada)).rejects.toThrow('the store went away');
    await expect(tasks.runDelayed()).rejects.toThrow(`post ${post.id} is not deleted yet`);
    expect(calls).toEqual([]);
  });

  it("should refuse someone else's post or an unknown one before storing any clean-up", async () => {
    const { sut, calls, tasks } = setup({
      posts: { find: (id) => Promise.resolve(id === post.id ? post : undefined) },
    });

    await expect(sut.deletePost(post.id, { id: 'bob' })).rejects.toMatchObject({ code: ErrorCode.NotPostAuthor });
    await expect(sut.deletePost('0a-0000000000000-00000000', ada)).rejects.toMatchObject({
      code: ErrorCode.PostNotFound,
    });
    await tasks.runDelayed();
    expect([calls, tasks.ran]).toEqual([[], []]);
  });

  it("should page a user's posts with a signed cursor, and refuse a forged one before any store call", async () => {
    const { sut } = setup({ posts: { byAuthor: () => Promise.resolve({ posts: [post], cursor: 'next' }) } });

    const page = await sut.listUserPosts('ada', { limit: 1 }, ada);

    expect(page.items).toEqual([dto]);
    expect(cursors.decode(page.nextCursor ?? undefined, 'posts/ada')).toEqual({ store: 'next' });
    const silent = setup();
    await expect(silent.sut.listUserPosts('ada', { limit: 1, cursor: 'forged' }, ada)).rejects.toMatchObject({
      code: ErrorCode.InvalidCursor,
    });
    expect(silent.calls).toEqual([]);
  });
});
