import { randomBytes } from 'node:crypto';
import { NotificationsRepository } from '../repositories/notifications.repository.js';
import { InlineTaskQueue } from '../../test/support/tasks.js';
import { strictMock } from '../../test/support/mocks.js';
import type { FollowsRepository } from '../repositories/follows.repository.js';
import type { PairsRepository } from '../repositories/pairs.repository.js';
import { blockTask } from '../relations/block-task.js';
import type { Relations } from '../relations/relations.js';
import { PageCursors } from '../security/page-cursors.js';
import type { UserPresenter } from '../users/user.presenter.js';
import type { UsersService } from '../users/users.service.js';
import { BlocksService } from './blocks.service.js';

/** The block service over mocks: whether a block stands, and what it ended. */
function setup(blocked: () => boolean, failInline = false) {
  const ended: string[] = [];
  const tasks = new InlineTaskQueue();
  let inline = failInline;
  const sut = new BlocksService(
    strictMock<PairsRepository>({
      add: () => Promise.resolve(true),
      remove: () => Promise.resolve([false, false]),
    }),
    strictMock<FollowsRepository>({
      setFollowing: (follower, followee) => {
        if (inline) {
          inline = false;
          return Promise.reject(new Error('the store went away'));
        }
        ended.push(`${follower}->${followee}`);
        return Promise.resolve({ member: false, changed: true, count: 0 });
      },
    }),
    strictMock<NotificationsRepository>({ removeFrom: () => Promise.resolve() }),
    strictMock<UsersService>({ ensureExists: () => Promise.resolve() }),
    strictMock<Relations>({
      access: () => Promise.resolve({ user: undefined, access: { profile: true, content: true } }) as never,
      blockedEitherWay: () => Promise.resolve(blocked()),
      forget: () => undefined,
    }),
    strictMock<UserPresenter>(),
    new PageCursors(randomBytes(32)),
    tasks,
    tasks.handlers,
  );
  sut.onModuleInit();
  return { sut, tasks, ended };
}

describe('BlocksService', () => {
  it('should end the follows both ways again by its task when ending them with the block failed', async () => {
    const { sut, tasks, ended } = setup(() => true, true);

    await expect(sut.block({ id: 'ann' }, 'bob')).rejects.toThrow('the store went away');
    await tasks.runDelayed();

    expect(ended).toEqual(expect.arrayContaining(['ann->bob', 'bob->ann']));
  });

  it('should wait (fail, to be retried) while its block has not committed, and give up on a block that never did', async () => {
    const { tasks, ended } = setup(() => false);
    const young = blockTask('ann', 'bob');

    await expect(tasks.handlers.run('block', young.payload)).rejects.toThrow('no block between ann and bob yet');
    const old = { ...young.payload, requestedAt: new Date(Date.now() - 6 * 60_000).toISOString() };
    await expect(tasks.handlers.run('block', old)).resolves.toBeUndefined();
    expect(ended).toEqual([]);
  });
});
