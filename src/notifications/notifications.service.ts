import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { BlobStore } from '../blobs/blob-store.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import { type ActorAt, ACTORS_KEPT, groupOfItem, itemOf, NOTIFICATION_KIND } from '../keys/notification.keys.js';
import { CommentsRepository } from '../repositories/comments.repository.js';
import { FollowsRepository } from '../repositories/follows.repository.js';
import { LikesRepository } from '../repositories/likes.repository.js';
import { type NotificationRow, NotificationsRepository } from '../repositories/notifications.repository.js';
import { PairsRepository } from '../repositories/pairs.repository.js';
import { type PostRecord, PostsRepository } from '../repositories/posts.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { accessTo, isVisible, NO_RELATION, Relations } from '../relations/relations.js';
import { PageCursors } from '../security/page-cursors.js';
import { Lookups } from '../store/lookup-plan.js';
import { toSummary } from '../users/user.presenter.js';
import type { MarkReadRequest, NotificationDto, NotificationPageDto, UnreadCountDto } from './dto/notification.dto.js';

/** Actors a grouped item shows. */
const ACTORS_SHOWN = 3;

@Injectable()
export class NotificationsService {
  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly likes: LikesRepository,
    private readonly follows: FollowsRepository,
    private readonly comments: CommentsRepository,
    private readonly posts: PostsRepository,
    private readonly pairs: PairsRepository,
    private readonly users: UsersRepository,
    private readonly relations: Relations,
    private readonly lookups: Lookups,
    private readonly cursors: PageCursors,
    private readonly blobs: BlobStore,
  ) {}

  /**
   * The caller's notifications, last updated first, in two round trips: the page with the read marker, then every
   * slot of its groups, the actors, posts and comments with the caller's relations to them. What the caller may no
   * longer see (a deleted post or comment, an actor blocked either way or suspended, a post gone private) is left
   * out, so a page may hold fewer than `limit` items.
   */
  async list(caller: AuthenticatedUser, page: PageQuery): Promise<NotificationPageDto> {
    const list = `notifications/${caller.id}`;
    // Decoded before any store call starts: a bad cursor must not leave a lookup running unawaited.
    const from = this.cursors.decode(page.cursor, list);
    const [{ rows, newest, cursor }, [readAt]] = await Promise.all([
      this.notifications.page(caller.id, page.limit, from?.store),
      this.lookups.run([this.notifications.readLookup(caller.id)]),
    ]);
    return {
      items: await this.present(caller.id, rows, readAt),
      newestAt: newest?.toISOString() ?? null,
      nextCursor: this.cursors.next(list, cursor),
    };
  }

  unreadCount(caller: AuthenticatedUser): Promise<UnreadCountDto> {
    return this.notifications.unreadCount(caller.id);
  }

  /** Marks read what was updated up to `until` (now when absent or later). */
  async markRead(caller: AuthenticatedUser, request: MarkReadRequest): Promise<void> {
    const now = Date.now();
    // The DTO allows only RFC 3339 date-times, which Date.parse reads.
    const until = request.until === undefined ? now : Math.min(Date.parse(request.until), now);
    await this.notifications.markRead(caller.id, new Date(until));
  }

  private async present(me: string, rows: NotificationRow[], readAt: Date | undefined): Promise<NotificationDto[]> {
    const grouped = rows.filter((row) => row.group !== undefined);
    // A group's actors as every row of it on this page knows them (rows written at once do not know each other's).
    const merged = new Map<string, ActorAt[]>();
    for (const row of grouped) {
      merged.set(row.group!, [...(merged.get(row.group!) ?? []), ...row.actors]);
    }
    const newestOf = new Map(
      [...merged].map(([group, actors]) => {
        const ids = [...actors].sort((a, b) => b.at - a.at).map((actor) => actor.id);
        return [group, [...new Set(ids)].slice(0, ACTORS_KEPT)];
      }),
    );
    const candidates = (row: NotificationRow) => (row.group ? newestOf.get(row.group)! : [row.actors[0].id]);
    const byType = (type: string) =>
      grouped.filter((row) => row.type === type).flatMap((row) => candidates(row).map((actor) => ({ row, actor })));
    const likes = byType('like');
    const commentLikes = byType('comment_like');
    const follows = byType('follow');
    const requests = rows.filter((row) => row.type === 'follow_request');
    const people = [
      ...new Set(rows.flatMap((row) => [...candidates(row), ...(row.postAuthor ? [row.postAuthor] : [])])),
    ];
    const [groups, users, relations, posts, comments, liked, commentLiked, followed, requested] =
      await this.lookups.run([
        this.notifications.groupsLookup(
          me,
          grouped.map((row) => row.group!),
        ),
        this.users.recordsLookup(people),
        this.relations.lookup(me, people),
        this.posts.postsLookup([...new Set(rows.flatMap((row) => (row.post ? [row.post] : [])))]),
        this.comments.commentsLookup([...new Set(rows.flatMap((row) => (row.comment ? [row.comment] : [])))]),
        this.likes.noticeLookup(likes.map(({ row, actor }) => ({ postId: row.post!, userId: actor }))),
        this.comments.likeNoticeLookup(
          commentLikes.map(({ row, actor }) => ({ commentId: row.comment!, userId: actor })),
        ),
        this.follows.noticeLookup(follows.map(({ actor }) => ({ follower: actor, followee: me }))),
        this.pairs.markedLookup(
          'FollowRequest',
          requests.map((row) => ({ from: row.actors[0].id, to: me })),
        ),
      ]);
    // An actor of a group still counts in it: their marker names one of its rows (an unlike took them out).
    const counted = new Set<string>();
    [
      [likes, liked],
      [commentLikes, commentLiked],
      [follows, followed],
    ].forEach(([pairs, notices]) =>
      (pairs as typeof likes).forEach(({ row, actor }, i) => {
        const notice = (notices as (string | undefined)[])[i];
        if (notice && groupOfItem(itemOf({ kind: NOTIFICATION_KIND, name: notice })) === row.group) {
          counted.add(`${row.group}\n${actor}`);
        }
      }),
    );
    const standing = new Set(requests.filter((_, i) => requested[i]).map((row) => row.item));
    const viewer = { id: me };
    const visible = (id: string) => isVisible(viewer, users.get(id), relations.get(id) ?? NO_RELATION);
    const seesPostOf = (author: string) => {
      const access = accessTo(viewer, users.get(author), relations.get(author) ?? NO_RELATION);
      return access.profile && access.content;
    };
    return rows.flatMap((row): NotificationDto[] => {
      const group = row.group === undefined ? undefined : groups.get(row.group);
      // A group shows once, where its most recently updated row is listed.
      if (row.group !== undefined && group?.newestItem !== row.item) {
        return [];
      }
      const actors = (row.group ? candidates(row).filter((id) => counted.has(`${row.group}\n${id}`)) : candidates(row))
        .filter(visible)
        .slice(0, ACTORS_SHOWN);
      const post = row.post === undefined ? undefined : posts.get(row.post);
      const comment = row.comment === undefined ? undefined : comments.get(row.comment);
      const hidden =
        actors.length === 0 ||
        (row.post !== undefined && (!post || (post.author !== me && !seesPostOf(post.author)))) ||
        (row.comment !== undefined && !comment) ||
        (row.type === 'follow_request' && !standing.has(row.item));
      if (hidden) {
        return [];
      }
      return [
        {
          id: row.group ?? row.item,
          type: row.type,
          actors: actors.map((id) => toSummary(users.get(id)!, this.blobs)),
          actorCount: group?.count ?? 1,
          post: post ? { id: post.id, thumbnailUrl: this.thumbnail(post) } : null,
          comment: comment ? { id: comment.id, text: comment.text } : null,
          createdAt: (group?.createdAt ?? row.createdAt).toISOString(),
          updatedAt: row.updatedAt.toISOString(),
          read: readAt !== undefined && row.updatedAt.getTime() < readAt.getTime(),
        },
      ];
    });
  }

  /** The first image's smallest variant; none for a post made before images were processed. */
  private thumbnail(post: PostRecord): string | null {
    const variant = post.media[0]?.variants[0];
    return variant ? this.blobs.mediaUrl(variant.objectName) : null;
  }
}
