import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { LikesRepository } from '../repositories/likes.repository.js';
import { PostsRepository } from '../repositories/posts.repository.js';
import { PageCursors } from '../security/page-cursors.js';
import type { UserPageDto } from '../users/dto/user.dto.js';
import { UserPresenter } from '../users/user.presenter.js';
import { UsersService } from '../users/users.service.js';
import type { LikeStateDto } from './dto/like.dto.js';

@Injectable()
export class LikesService {
  constructor(
    private readonly likes: LikesRepository,
    private readonly posts: PostsRepository,
    private readonly users: UsersService,
    private readonly presenter: UserPresenter,
    private readonly cursors: PageCursors,
  ) {}

  likePost(caller: AuthenticatedUser, postId: string): Promise<LikeStateDto> {
    return this.setLiked(caller, postId, true);
  }

  unlikePost(caller: AuthenticatedUser, postId: string): Promise<LikeStateDto> {
    return this.setLiked(caller, postId, false);
  }

  async listLikers(postId: string, page: PageQuery): Promise<UserPageDto> {
    // Decoded before any store call starts: a bad cursor must not leave a lookup running unawaited.
    const from = this.cursors.decode(page.cursor, `likers/${postId}`);
    const [post, result] = await Promise.all([
      this.posts.find(postId),
      this.likes.likersOf(postId, page.limit, from?.store),
    ]);
    if (!post) {
      throw new DomainError(ErrorCode.PostNotFound, 'post not found');
    }
    return this.presenter.page(`likers/${postId}`, result);
  }

  private async setLiked(caller: AuthenticatedUser, postId: string, liked: boolean): Promise<LikeStateDto> {
    // The liker appears in the post's likers, so they must exist as a user first.
    await this.users.ensureExists(caller);
    const change = await this.likes.setLiked(postId, caller.id, liked);
    return { liked: change.member, likeCount: change.count };
  }
}
