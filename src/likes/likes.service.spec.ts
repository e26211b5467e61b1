import { randomBytes } from 'node:crypto';
import { strictMock } from '../../test/support/mocks.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import type { LikesRepository } from '../repositories/likes.repository.js';
import type { PostRecord, PostsRepository } from '../repositories/posts.repository.js';
import type { Relations } from '../relations/relations.js';
import { PageCursors } from '../security/page-cursors.js';
import type { UserPresenter } from '../users/user.presenter.js';
import type { UsersService } from '../users/users.service.js';
import { LikesService } from './likes.service.js';

const cursors = new PageCursors(randomBytes(32));

function setup(likes: Partial<LikesRepository>, post?: PostRecord, access?: Error) {
  const ensured: string[] = [];
  const sut = new LikesService(
    strictMock<LikesRepository>(likes),
    strictMock<PostsRepository>({
      find: () => Promise.resolve(post),
      authorOf: (id) => Promise.resolve(id === 'missing' ? undefined : 'bob'),
    }),
    strictMock<UsersService>({
      ensureExists: (caller) => {
        ensured.push(caller.id);
        return Promise.resolve();
      },
    }),
    strictMock<UserPresenter>({
      page: (list, page) => Promise.resolve({ items: [], nextCursor: `${list}:${page.ids.join()}` }),
    }),
    strictMock<Relations>({
      requireContentOf: () => (access ? Promise.reject(access) : Promise.resolve({ id: 'bob' } as never)),
      requireContentForWrite: () => (access ? Promise.reject(access) : Promise.resolve()),
    }),
    cursors,
  );
  return { sut, ensured };
}

describe('LikesService', () => {
  it('should make sure the liker exists, then like and unlike with the count after the commit', async () => {
    const changes: unknown[] = [];
    const { sut, ensured } = setup({
      setLiked: (postId, userId, liked) => {
        changes.push([postId, userId, liked]);
        return Promise.resolve({ member: liked, changed: true, count: liked ? 1 : 0 });
      },
    });

    await expect(sut.likePost({ id: 'ann' }, 'p1')).resolves.toEqual({ liked: true, likeCount: 1 });
    await expect(sut.unlikePost({ id: 'ann' }, 'p1')).resolves.toEqual({ liked: false, likeCount: 0 });
    expect(changes).toEqual([
      ['p1', 'ann', true],
      ['p1', 'ann', false],
    ]);
    expect(ensured).toEqual(['ann', 'ann']);
  });

  it('should pass post_not_found on from the store', async () => {
    const missing = new DomainError(ErrorCode.PostNotFound, 'post not found');
    const { sut } = setup({ setLiked: () => Promise.reject(missing) });

    await expect(sut.likePost({ id: 'ann' }, 'gone')).rejects.toBe(missing);
  });

  it('should store nothing when the post is unknown or its author refuses the caller', async () => {
    const refused = new DomainError(ErrorCode.PrivateAccount, 'private');
    const { sut } = setup({}, undefined, refused);

    await expect(sut.likePost({ id: 'ann' }, 'missing')).rejects.toMatchObject({ code: ErrorCode.PostNotFound });
    await expect(sut.likePost({ id: 'ann' }, 'p1')).rejects.toBe(refused);
  });

  it('should list the likers of an existing post, and throw post_not_found for an unknown one', async () => {
    const likes = { likersOf: () => Promise.resolve({ ids: ['a', 'b'] }) };

    await expect(
      setup(likes, { id: 'p1' } as PostRecord).sut.listLikers('p1', { limit: 2 }, { id: 'ann' }),
    ).resolves.toEqual({
      items: [],
      nextCursor: 'likers/p1:a,b',
    });
    await expect(setup(likes).sut.listLikers('p1', { limit: 2 }, { id: 'ann' })).rejects.toMatchObject({
      code: ErrorCode.PostNotFound,
    });
  });
});
