import { randomBytes } from 'node:crypto';
import { answer, fakeLookups, strictMock } from '../../test/support/mocks.js';
import { ErrorCode } from '../common/errors.js';
import type { PostDto } from '../posts/dto/post.dto.js';
import type { PostView, PostViews } from '../posts/post-views.js';
import type { PostRecord, PostsRepository } from '../repositories/posts.repository.js';
import type { UserRecord } from '../repositories/users.repository.js';
import { NO_RELATION, type Relation, type Relations } from '../relations/relations.js';
import type { ReceiversRepository, TimelineEntries } from '../repositories/receivers.repository.js';
import { PageCursors } from '../security/page-cursors.js';
import { TimelineService } from './timeline.service.js';

const cursors = new PageCursors(randomBytes(32));
const record = (id: string, author: string): PostRecord => ({
  id,
  author,
  caption: '',
  media: [],
  legacyObjectName: null,
  tags: [],
  listedTags: [],
  mentions: [],
  commentsEnabled: true,
  editedAt: null,
  uploadIds: [],
  createdAt: new Date(),
});
const author = (id: string, suspended = false) => [id, { id, suspended } as UserRecord] as const;
const view: PostView = {
  authors: new Map(['me', 'bob', 'eve', 'max', 'sam', 'zed'].map((id) => author(id, id === 'zed'))),
  likeCounts: new Map(),
  liked: new Set(),
  commentCounts: new Map(),
};

function setup(
  entries: TimelineEntries,
  stored: PostRecord[],
  followed: string[],
  marks: Partial<Record<keyof Relation, string[]>> = {},
) {
  const asked: { followees?: readonly string[] } = {};
  const rendered: string[][] = [];
  const sut = new TimelineService(
    strictMock<ReceiversRepository>({ page: () => Promise.resolve(entries) }),
    strictMock<PostsRepository>({
      postsLookup: (ids) => answer(new Map(stored.filter((post) => ids.includes(post.id)).map((p) => [p.id, p]))),
    }),
    strictMock<Relations>({
      lookup: (_viewer, followees, options) => {
        asked.followees = followees;
        expect(options).toEqual({ lean: true });
        return answer(
          new Map(
            followees.map((id) => [id, { ...NO_RELATION, followedByMe: followed.includes(id), ...markOf(id, marks) }]),
          ),
        );
      },
    }),
    strictMock<PostViews>({
      lookup: () => answer(view),
      render: (posts) => {
        rendered.push(posts.map((post) => post.id));
        return Promise.resolve(posts.map((post) => ({ id: post.id }) as PostDto));
      },
    }),
    fakeLookups(),
    cursors,
  );
  return { sut, asked, rendered };
}

/** The relation flags the test gave each user: `{ mutedByMe: ['eve'] }` mutes eve. */
function markOf(id: string, marks: Partial<Record<keyof Relation, string[]>>): Partial<Relation> {
  return Object.fromEntries(Object.entries(marks).map(([flag, users]) => [flag, users.includes(id)]));
}

describe('TimelineService', () => {
  it('should show my posts and those of people I still follow, in receiver order, minus deleted ones', async () => {
    const entries: TimelineEntries = {
      posts: [
        { id: 'p1', author: 'bob' },
        { id: 'p2', author: 'me' },
        { id: 'p3', author: 'eve' },
        { id: 'p4', author: 'bob' },
      ],
      cursor: 'store-cursor',
      last: 'p4',
    };
    const stored = [record('p1', 'bob'), record('p2', 'me'), record('p3', 'eve')];
    const { sut, asked, rendered } = setup(entries, stored, ['bob']);

    const page = await sut.getTimeline({ id: 'me' }, { limit: 4 });

    expect(rendered).toEqual([['p1', 'p2']]);
    expect(page.items.map((item) => item.id)).toEqual(['p1', 'p2']);
    expect(asked.followees).toEqual(['bob', 'eve']);
    expect(cursors.decode(page.nextCursor ?? undefined, 'timeline/me')).toEqual({ store: 'store-cursor', last: 'p4' });
  });

  it('should leave out muted, unfollowed and suspended authors, from the same one lookup', async () => {
    const ids = ['bob', 'eve', 'max', 'zed'];
    const entries: TimelineEntries = { posts: ids.map((id, i) => ({ id: `p${i}`, author: id })) };
    const stored = ids.map((id, i) => record(`p${i}`, id));
    const { sut } = setup(entries, stored, ['bob', 'eve', 'zed'], { mutedByMe: ['eve'] });

    const page = await sut.getTimeline({ id: 'me' }, { limit: 5 });

    expect(page.items.map((item) => item.id)).toEqual(['p0']);
  });

  it('should end with a null cursor on the last page', async () => {
    const { sut } = setup({ posts: [] }, [], []);

    await expect(sut.getTimeline({ id: 'me' }, { limit: 10 })).resolves.toEqual({ items: [], nextCursor: null });
  });

  it("should refuse another reader's cursor before reading any receiver", async () => {
    const other = cursors.next('timeline/bob', 'c') ?? undefined;
    const sut = new TimelineService(
      strictMock<ReceiversRepository>(),
      strictMock<PostsRepository>(),
      strictMock<Relations>(),
      strictMock<PostViews>(),
      fakeLookups(),
      cursors,
    );

    await expect(sut.getTimeline({ id: 'me' }, { limit: 10, cursor: other })).rejects.toMatchObject({
      code: ErrorCode.InvalidCursor,
    });
  });
});
