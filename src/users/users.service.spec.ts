import { answer, fakeLookups, strictMock } from '../../test/support/mocks.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { UploadImages } from '../media/upload-images.js';
import type { FollowsRepository } from '../repositories/follows.repository.js';
import type { PostsRepository } from '../repositories/posts.repository.js';
import type { UserRecord, UsersRepository } from '../repositories/users.repository.js';
import { NO_RELATION, type Relations } from '../relations/relations.js';
import { InlineTaskQueue } from '../../test/support/tasks.js';
import { UsersService } from './users.service.js';

const ada: UserRecord = {
  id: 'u1',
  username: 'ada',
  displayName: 'Ada',
  pictureUrl: null,
  avatar: null,
  bio: '',
  email: 'ada@example.com',
  private: false,
  suspended: false,
  createdAt: new Date('2026-01-02T03:04:05Z'),
};

function follows(followerCount = 0, followedByMe = false): FollowsRepository {
  return strictMock<FollowsRepository>({
    countsLookup: (ids) => answer(new Map(ids.map((id) => [id, { followerCount, followingCount: 2 }]))),
    isFollowingLookup: (_follower, ids) => answer(ids.map(() => followedByMe)),
  });
}

const posts = strictMock<PostsRepository>({
  postCountsLookup: (ids) => answer(new Map(ids.map((id) => [id, 3]))),
});

/** Relations as the follows mock says: whether the viewer follows each user, nothing else. */
function relationsOf(repository: FollowsRepository): Relations {
  return strictMock<Relations>({
    lookup: (viewer, ids) => {
      const others = ids.filter((id) => id !== viewer);
      const part = repository.isFollowingLookup(viewer, others);
      return {
        keys: part.keys,
        read: (entities) => {
          const followed = part.read(entities);
          return new Map(others.map((id, i) => [id, { ...NO_RELATION, followedByMe: followed[i] }]));
        },
      };
    },
  });
}

const blobs = strictMock<BlobStore>({ mediaUrl: (name) => `https://media.test/${name}` });

const known = (users: UserRecord[]) => () => answer(new Map(users.map((user) => [user.id, user])));

describe('UsersService', () => {
  it('should return an existing user with their counts without creating one', async () => {
    const sut = new UsersService(
      strictMock<UsersRepository>({ recordsLookup: known([ada]) }),
      follows(5),
      posts,
      fakeLookups(),
      relationsOf(follows(5)),
      strictMock<UploadImages>(),
      blobs,
      new InlineTaskQueue(),
    );

    await expect(sut.getMe({ id: 'u1' })).resolves.toMatchObject({
      id: 'u1',
      email: 'ada@example.com',
      followerCount: 5,
      followingCount: 2,
      postCount: 3,
    });
  });

  it('should create a first-time caller from the token claims', async () => {
    const created: unknown[] = [];
    const users = strictMock<UsersRepository>({
      recordsLookup: known([]),
      create: (user) => {
        created.push(user);
        return Promise.resolve(ada);
      },
    });
    const sut = new UsersService(
      users,
      follows(),
      posts,
      fakeLookups(),
      relationsOf(follows()),
      strictMock<UploadImages>(),
      blobs,
      new InlineTaskQueue(),
    );

    await sut.getMe({ id: 'u1', email: 'ada@example.com', name: 'Ada', picture: 'https://pic' });

    expect(created).toEqual([
      expect.objectContaining({ id: 'u1', displayName: 'Ada', pictureUrl: 'https://pic', email: 'ada@example.com' }),
    ]);
    expect((created[0] as { usernameCandidates: string[] }).usernameCandidates[0]).toBe('ada');
  });

  it('should pass a taken username on as username_taken', async () => {
    const users = strictMock<UsersRepository>({
      findById: () => Promise.resolve(ada),
      update: () => Promise.reject(new DomainError(ErrorCode.UsernameTaken, 'username is taken')),
    });
    const sut = new UsersService(
      users,
      follows(),
      posts,
      fakeLookups(),
      relationsOf(follows()),
      strictMock<UploadImages>(),
      blobs,
      new InlineTaskQueue(),
    );

    await expect(sut.updateMe({ id: 'u1' }, { username: 'bob' })).rejects.toMatchObject({
      code: ErrorCode.UsernameTaken,
    });
  });

  it('should show the Google picture until the user sets an avatar, then the 160 px one', async () => {
    const withAvatar: UserRecord = {
      ...ada,
      pictureUrl: 'https://pic',
      avatar: {
        uploadId: 'a'.repeat(32),
        variants: [64, 160, 320].map((side) => ({ width: side, height: side, objectName: `avatars/u1/a-s${side}` })),
      },
    };
    const profile = (user: UserRecord) =>
      new UsersService(
        strictMock<UsersRepository>({ recordsLookup: known([user]) }),
        follows(),
        posts,
        fakeLookups(),
        relationsOf(follows()),
        strictMock<UploadImages>(),
        blobs,
        new InlineTaskQueue(),
      ).getUser('u1', { id: 'u2' });

    await expect(profile({ ...ada, pictureUrl: 'https://pic' })).resolves.toMatchObject({
      avatarUrl: 'https://pic',
      avatarVariants: [],
    });
    const own = await profile(withAvatar);
    expect(own.avatarUrl).toBe('https://media.test/avatars/u1/a-s160');
    expect(own.avatarVariants.map((variant) => variant.url)).toEqual([
      'https://media.test/avatars/u1/a-s64',
      'https://media.test/avatars/u1/a-s160',
      'https://media.test/avatars/u1/a-s320',
    ]);
  });

  it('should throw user_not_found for an unknown username, looked up in lower case', async () => {
    const asked: string[] = [];
    const users = strictMock<UsersRepository>({
      idOfUsername: (name) => {
        asked.push(name);
        return Promise.resolve(undefined);
      },
    });
    const sut = new UsersService(
      users,
      follows(),
      posts,
      fakeLookups(),
      relationsOf(follows()),
      strictMock<UploadImages>(),
      blobs,
      new InlineTaskQueue(),
    );

    await expect(sut.getUserByUsername('Nobody', { id: 'u2' })).rejects.toMatchObject({ code: ErrorCode.UserNotFound });
    expect(asked).toEqual(['nobody']);
  });

  it('should say whether the caller follows the user and leave the email out', async () => {
    const sut = new UsersService(
      strictMock<UsersRepository>({ recordsLookup: known([ada]) }),
      follows(1, true),
      posts,
      fakeLookups(),
      relationsOf(follows(1, true)),
      strictMock<UploadImages>(),
      blobs,
      new InlineTaskQueue(),
    );

    const profile = await sut.getUser('u1', { id: 'u2' });

    expect(profile).toMatchObject({ followedByMe: true, followerCount: 1 });
    expect(profile).not.toHaveProperty('email');
  });

  it('should throw user_not_found for an unknown id', async () => {
    const sut = new UsersService(
      strictMock<UsersRepository>({ recordsLookup: known([]) }),
      follows(),
      posts,
      fakeLookups(),
      relationsOf(follows()),
      strictMock<UploadImages>(),
      blobs,
      new InlineTaskQueue(),
    );

    await expect(sut.getUser('nobody', { id: 'u2' })).rejects.toMatchObject({ code: ErrorCode.UserNotFound });
  });
});

describe('UsersService.ensureExists', () => {
  it('should look a caller up once and then trust that they exist', async () => {
    let lookups = 0;
    const users = strictMock<UsersRepository>({
      findById: () => {
        lookups += 1;
        return Promise.resolve(ada);
      },
    });
    const sut = new UsersService(
      users,
      strictMock<FollowsRepository>(),
      strictMock<PostsRepository>(),
      fakeLookups(),
      relationsOf(strictMock<FollowsRepository>()),
      strictMock<UploadImages>(),
      blobs,
      new InlineTaskQueue(),
    );

    await sut.ensureExists({ id: 'u1' });
    await sut.ensureExists({ id: 'u1' });

    expect(lookups).toBe(1);
  });
});
