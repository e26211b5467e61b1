import { randomBytes } from 'node:crypto';
import { PageCursors } from '../common/page-cursor.js';
import { ConflictException, NotFoundException } from '@nestjs/common';
import { answer, fakeLookups, strictMock } from '../../test/support/mocks.js';
import type { PostsRepository } from '../posts/posts.repository.js';
import type { FollowsRepository } from '../follows/follows.repository.js';
import { type UserRecord, UsernameTakenError, type UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

const ada: UserRecord = {
  id: 'u1',
  username: 'ada',
  displayName: 'Ada',
  avatarUrl: null,
  bio: '',
  email: 'ada@example.com',
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

const cursors = new PageCursors(randomBytes(32));

const known = (users: UserRecord[]) => () => answer(new Map(users.map((user) => [user.id, user])));

describe('UsersService', () => {
  it('should return an existing user with their counts without creating one', async () => {
    const sut = new UsersService(
      strictMock<UsersRepository>({ recordsLookup: known([ada]) }),
      follows(5),
      posts,
      fakeLookups(),
      cursors,
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
    const sut = new UsersService(users, follows(), posts, fakeLookups(), cursors);

    await sut.getMe({ id: 'u1', email: 'ada@example.com', name: 'Ada', picture: 'https://pic' });

    expect(created).toEqual([
      expect.objectContaining({ id: 'u1', displayName: 'Ada', avatarUrl: 'https://pic', email: 'ada@example.com' }),
    ]);
    expect((created[0] as { usernameCandidates: string[] }).usernameCandidates[0]).toBe('ada');
  });

  it('should turn a taken username into 409', async () => {
    const users = strictMock<UsersRepository>({
      findById: () => Promise.resolve(ada),
      update: () => Promise.reject(new UsernameTakenError()),
    });
    const sut = new UsersService(users, follows(), posts, fakeLookups(), cursors);

    await expect(sut.updateMe({ id: 'u1' }, { username: 'bob' })).rejects.toBeInstanceOf(ConflictException);
  });

  it('should answer 404 for an unknown username, looked up in lower case', async () => {
    const asked: string[] = [];
    const users = strictMock<UsersRepository>({
      findByUsername: (name) => {
        asked.push(name);
        return Promise.resolve(undefined);
      },
    });
    const sut = new UsersService(users, follows(), posts, fakeLookups(), cursors);

    await expect(sut.getUserByUsername('Nobody', { id: 'u2' })).rejects.toBeInstanceOf(NotFoundException);
    expect(asked).toEqual(['nobody']);
  });

  it('should say whether the caller follows the user and leave the email out', async () => {
    const sut = new UsersService(
      strictMock<UsersRepository>({ recordsLookup: known([ada]) }),
      follows(1, true),
      posts,
      fakeLookups(),
      cursors,
    );

    const profile = await sut.getUser('u1', { id: 'u2' });

    expect(profile).toMatchObject({ followedByMe: true, followerCount: 1 });
    expect(profile).not.toHaveProperty('email');
  });

  it('should answer 404 for an unknown id', async () => {
    const sut = new UsersService(
      strictMock<UsersRepository>({ recordsLookup: known([]) }),
      follows(),
      posts,
      fakeLookups(),
      cursors,
    );

    await expect(sut.getUser('nobody', { id: 'u2' })).rejects.toBeInstanceOf(NotFoundException);
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
      cursors,
    );

    await sut.ensureExists({ id: 'u1' });
    await sut.ensureExists({ id: 'u1' });

    expect(lookups).toBe(1);
  });
});
