import { randomBytes } from 'node:crypto';
import { NotificationsRepository } from '../repositories/notifications.repository.js';
import { answer, fakeLookups, strictMock } from '../../test/support/mocks.js';
import { ErrorCode } from '../common/errors.js';
import type { FollowsRepository } from '../repositories/follows.repository.js';
import type { PostRecord, PostsRepository } from '../repositories/posts.repository.js';
import type { ReceiversRepository } from '../repositories/receivers.repository.js';
import type { PairsRepository } from '../repositories/pairs.repository.js';
import type { UserRecord, UsersRepository } from '../repositories/users.repository.js';
import type { Relations } from '../relations/relations.js';
import { PageCursors } from '../security/page-cursors.js';
import type { UserPresenter } from '../users/user.presenter.js';
import type { UsersService } from '../users/users.service.js';
import { InlineTaskQueue } from '../../test/support/tasks.js';
import { FollowsService } from './follows.service.js';

const cursors = new PageCursors(randomBytes(32));
const recent = [{ id: 'p1', author: 'bob', createdAt: new Date() }] as PostRecord[];

function setup(follows: Partial<FollowsRepository>, users = new Map([['bob', { id: 'bob' } as UserRecord]])) {
  const calls: string[] = [];
  const tasks = new InlineTaskQueue();
  const sut = new FollowsService(
    strictMock<FollowsRepository>({ countsLookup: () => answer(new Map()), ...follows }),
    strictMock<PairsRepository>({ remove: () => Promise.resolve([false]) }),
    strictMock<NotificationsRepository>({ removeItems: () => Promise.resolve(), addSingles: () => Promise.resolve() }),
    strictMock<PostsRepository>({
      byAuthor: (author, limit) => {
        calls.push(`byAuthor(${author}, ${limit})`);
        return Promise.resolve({ posts: recent });
      },
    }),
    strictMock<ReceiversRepository>({
      backfill: (follower, posts) => {
        calls.push(`backfill(${follower}, ${posts.map((post) => post.id).join()})`);
        return Promise.resolve();
      },
    }),
    strictMock<UsersRepository>(),
    strictMock<UsersService>({
      ensureExists: (caller) => {
        calls.push(`ensureExists(${caller.id})`);
        return Promise.resolve();
      },
      requireUser: (id) => {
        calls.push(`requireUser(${id})`);
        return Promise.resolve({ id } as UserRecord);
      },
    }),
    strictMock<Relations>({
      audienceLookup: () => answer([users, new Map()] as const),
      blockedEitherWay: () => Promise.resolve(false),
      forget: () => undefined,
      access: (_viewer, id) => {
        calls.push(`access(${id})`);
        return Promise.resolve({ user: users.get(id), access: { profile: true, content: true } });
      },
    }),
    strictMock<UserPresenter>({
      page: (list, page) => Promise.resolve({ items: [], nextCursor: `${list}:${page.ids.join()}` }),
    }),
    fakeLookups(),
    cursors,
    tasks,
    tasks.handlers,
  );
  sut.onModuleInit();
  return { sut, calls, tasks };
}

describe('FollowsService', () => {
  it('should make sure the follower exists, follow, and backfill the followee’s recent posts by a task', async () => {
    const { sut, calls, tasks } = setup({
      setFollowing: (follower, followee, following) =>
        Promise.resolve({ member: following, changed: follower !== followee, count: 7 }),
    });

    await expect(sut.followUser({ id: 'ann' }, 'bob')).resolves.toEqual({
      following: true,
      requested: false,
      followerCount: 7,
    });
    expect(calls).toEqual(['ensureExists(ann)', 'byAuthor(bob, 20)', 'backfill(ann, p1)']);
    expect(tasks.ran).toEqual(['backfill({"follower":"ann","followee":"bob"})']);
  });

  it('should unfollow without any backfill', async () => {
    const { sut, calls } = setup({ setFollowing: () => Promise.resolve({ member: false, changed: true, count: 0 }) });

    await expect(sut.unfollowUser({ id: 'ann' }, 'bob')).resolves.toEqual({
      following: false,
      requested: false,
      followerCount: 0,
    });
    expect(calls).toEqual(['access(bob)']);
  });

  it('should refuse to follow yourself before any store call', async () => {
    const { sut, calls } = setup({});

    await expect(sut.followUser({ id: 'ann' }, 'ann')).rejects.toMatchObject({ code: ErrorCode.CannotFollowSelf });
    expect(calls).toEqual([]);
  });

  it('should pass user_not_found on and backfill nothing for an unknown followee', async () => {
    const { sut, calls } = setup({ setFollowing: () => Promise.reject(new Error('must not be called')) });

    await expect(sut.followUser({ id: 'ann' }, 'ghost')).rejects.toMatchObject({ code: ErrorCode.UserNotFound });
    expect(calls).toEqual(['ensureExists(ann)']);
  });

  it('should list followers and following of an existing user through the user presenter', async () => {
    const { sut, calls } = setup({
      followersOf: () => Promise.resolve({ ids: ['x', 'y'] }),
      followedBy: () => Promise.resolve({ ids: ['z'] }),
    });

    const ann = { id: 'ann' };
    await expect(sut.listFollowers('bob', { limit: 2 }, ann)).resolves.toMatchObject({
      nextCursor: 'followers/bob:x,y',
    });
    await expect(sut.listFollowing('bob', { limit: 2 }, ann)).resolves.toMatchObject({ nextCursor: 'following/bob:z' });
    expect(calls).toEqual(['access(bob)', 'access(bob)']);
  });
});
