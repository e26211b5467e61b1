import { randomBytes } from 'node:crypto';
import { NotificationsRepository } from '../repositories/notifications.repository.js';
import { strictMock } from '../../test/support/mocks.js';
import { InlineTaskQueue } from '../../test/support/tasks.js';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import type { CommentRecord, CommentsRepository } from '../repositories/comments.repository.js';
import type { PostRecord, PostsRepository } from '../repositories/posts.repository.js';
import type { TagsRepository } from '../repositories/tags.repository.js';
import type { Relations } from '../relations/relations.js';
import { PageCursors } from '../security/page-cursors.js';
import type { UsersService } from '../users/users.service.js';
import type { CommentViews } from './comment-views.js';
import { CommentsService } from './comments.service.js';

const postId = '0a-1234567890123-deadbeef';
const post = { id: postId, author: 'ada', commentsEnabled: true } as PostRecord;
const comment: CommentRecord = {
  id: `${postId}.1733100000000aaaaaaaa`,
  postId,
  author: 'bob',
  text: 'hi',
  replyTo: null,
  mentions: [],
  tags: [],
  createdAt: new Date(),
};
const caller = (id: string) => ({ id, email: `${id}@example.com` }) as AuthenticatedUser;

function setup(comments: Partial<CommentsRepository>) {
  const tasks = new InlineTaskQueue();
  const sut = new CommentsService(
    strictMock<CommentsRepository>(comments),
    strictMock<PostsRepository>({
      find: () => Promise.resolve(post),
      authorOf: () => Promise.resolve(post.author),
    }),
    strictMock<TagsRepository>({ touch: () => Promise.resolve() }),
    strictMock<NotificationsRepository>({ removeAbout: () => Promise.resolve() }),
    strictMock<UsersService>({ mentioned: () => Promise.resolve([]), ensureExists: () => Promise.resolve() }),
    strictMock<CommentViews>({ fresh: (record) => ({ id: record.id }) as never }),
    strictMock<Relations>({
      requireContentOf: () => Promise.resolve({} as never),
      requireContentForWrite: () => Promise.resolve(),
    }),
    new PageCursors(randomBytes(32)),
    tasks,
    tasks.handlers,
  );
  sut.onModuleInit();
  return { sut, tasks };
}

describe('CommentsService', () => {
  it('should refuse a reply to a comment of another post before anything is stored', async () => {
    const { sut } = setup({});
    const other = `0b-1234567890123-deadbeef.1733100000000aaaaaaaa`;
    await expect(sut.addComment(caller('bob'), postId, { text: 'x', replyTo: other })).rejects.toMatchObject({
      code: ErrorCode.CommentNotFound,
    });
  });

  it('should hand the comment’s tags to the group commit and answer with what it stored', async () => {
    const added: unknown[] = [];
    const { sut } = setup({
      add: (input) => {
        added.push(input);
        return Promise.resolve({ comment: { ...comment, ...input }, author: undefined, movedTags: [] });
      },
    });
    await sut.addComment(caller('bob'), postId, { text: 'so #Blue' });
    expect(added).toEqual([{ postId, author: 'bob', text: 'so #Blue', replyTo: null, mentions: [], tags: ['blue'] }]);
  });

  it('should store no clean-up for a delete it refuses', async () => {
    const { sut, tasks } = setup({ find: () => Promise.resolve(comment) });
    await expect(sut.deleteComment(comment.id, caller('cat'))).rejects.toMatchObject({
      code: ErrorCode.NotCommentAuthor,
    });
    await tasks.runDelayed();
    expect(tasks.ran).toEqual([]);
  });

  it('should let the post’s author delete, then clean up the thread once the comment is gone', async () => {
    let stored = true;
    const cleaned: string[] = [];
    const { sut, tasks } = setup({
      find: () => Promise.resolve(stored ? comment : undefined),
      remove: (_id, allowed) => {
        allowed(comment);
        stored = false;
        return Promise.resolve({ comment, movedTags: [] });
      },
      removeThread: (id) => {
        cleaned.push(id);
        return Promise.resolve();
      },
    });
    await sut.deleteComment(comment.id, caller('ada'));
    await tasks.runDelayed();
    expect(cleaned).toEqual([comment.id]);
  });

  it('should make a clean-up wait while its comment is still there', async () => {
    const { sut, tasks } = setup({
      find: () => Promise.resolve(comment),
      remove: () => Promise.reject(new DomainError(ErrorCode.StoreUnavailable, 'down')),
    });
    await expect(sut.deleteComment(comment.id, caller('bob'))).rejects.toThrow('down');
    await expect(tasks.runDelayed()).rejects.toThrow(/not deleted yet/);
  });
});
