import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { LikesRepository } from '../repositories/likes.repository.js';
import { PostsRepository } from '../repositories/posts.repository.js';
import { Relations } from '../relations/relations.js';
import { PageCursors } from '../security/page-cursors.js';
import type { UserPageDto } from '../users/dto/user.dto.js';
import { UserPresenter } from '../users/user.presenter.js';
import { UsersService } from '../users/users.service.js';
import type { LikeStateDto } from './dto/like.dto.js';

const postNotFound = (): DomainError => new DomainError(ErrorCode.PostNotFound, 'post not found');

@Injectable()
export class LikesService {
  constructor(
    private readonly likes: LikesRepository,
    private readonly posts: PostsRepository,
    private readonly users: UsersService,
    private readonly presenter: UserPresenter,
    private readonly relations: Relations,
    private readonly cursors: PageCursors,
  ) {}

  likePost(caller: AuthenticatedUser, postId: string): Promise<LikeStateDto> {
    return this.setLiked(caller, postId, true);
  }

  unlikePost(caller: AuthenticatedUser, postId: string): Promise<LikeStateDto> {
    return this.setLiked(caller, postId, false);
  }

  /** The post's likers the caller may see (not blocked either way, not suspended), in two round trips. */
  async listLikers(postId: string, page: PageQuery, caller: AuthenticatedUser): Promise<UserPageDto> {
    // Decoded before any store call starts: a bad cursor must not leave a lookup running unawaited.
    const from = this.cursors.decode(page.cursor, `likers/${postId}`);
    const [post, result] = await Promise.all([
      this.posts.find(postId),
      this.likes.likersOf(postId, page.limit, from?.store),
    ]);
    if (!post) {
      throw postNotFound();
    }
    const [, likers] = await Promise.all([
      this.relations.requireContentOf(caller, post.author, postNotFound),
      this.presenter.page(`likers/${postId}`, result, caller),
    ]);
    return likers;
  }

  /**
   * Likes when the caller may see the post: its author's access check is one lookup (the author is known from memory
   * after the first time), then the group commit. Throws post_not_found (also for an author who blocked the caller or
   * is suspended), private_account, user_blocked. Unlikes with no access check.
   */
  private async setLiked(caller: AuthenticatedUser, postId: string, liked: boolean): Promise<LikeStateDto> {
    // The liker appears in the post's likers, so they must exist as a user first.
    const [author] = await Promise.all([this.posts.authorOf(postId), this.users.ensureExists(caller)]);
    if (author === undefined) {
      throw postNotFound();
    }
    // Taking a like back always works: a follower removed from a private account, or blocked, can still unlike.
    if (liked) {
      await this.relations.requireContentForWrite(caller, author, postNotFound);
    }
    // The author hears of a like by someone else: the access check above rules out a block either way.
    const notice =
      liked && author !== caller.id ? { recipient: author, type: 'like' as const, post: postId } : undefined;
    const change = await this.likes.setLiked(postId, caller.id, liked, notice);
    return { liked: change.member, likeCount: change.count };
  }
}
