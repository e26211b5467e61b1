import { Injectable, NotFoundException } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import { PageCursors } from '../common/page-cursor.js';
import { OwnerNotFoundError } from '../membership/membership.repository.js';
import { PostsRepository } from '../posts/posts.repository.js';
import type { UserPageDto } from '../users/dto/user.dto.js';
import { UsersService } from '../users/users.service.js';
import type { LikeStateDto } from './dto/like.dto.js';
import { LikesRepository } from './likes.repository.js';

@Injectable()
export class LikesService {
  constructor(
    private readonly likes: LikesRepository,
    private readonly posts: PostsRepository,
    private readonly users: UsersService,
    private readonly cursors: PageCursors,
  ) {}

  like(caller: AuthenticatedUser, postId: string): Promise<LikeStateDto> {
    return this.setLiked(caller, postId, true);
  }

  unlike(caller: AuthenticatedUser, postId: string): Promise<LikeStateDto> {
    return this.setLiked(caller, postId, false);
  }

  async likers(postId: string, page: PageQuery): Promise<UserPageDto> {
    // Decoded before any store call starts: a bad cursor must not leave a lookup running unawaited.
    const from = this.cursors.decode(page.cursor, `likers/${postId}`);
    const [post, result] = await Promise.all([
      this.posts.find(postId),
      this.likes.likersOf(postId, page.limit, from?.store),
    ]);
    if (!post) {
      throw new NotFoundException('post not found');
    }
    return this.users.userPage(`likers/${postId}`, result);
  }

  private async setLiked(caller: AuthenticatedUser, postId: string, liked: boolean): Promise<LikeStateDto> {
    // The liker appears in the post's likers, so they must exist as a user first.
    await this.users.ensureExists(caller);
    try {
      const change = await this.likes.setLiked(postId, caller.id, liked);
      return { liked: change.member, likeCount: change.count };
    } catch (error) {
      throw error instanceof OwnerNotFoundError ? new NotFoundException('post not found') : error;
    }
  }
}
