import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { mediaObjectName } from '../keys/post.keys.js';
import { LikesRepository } from '../repositories/likes.repository.js';
import { PostsRepository } from '../repositories/posts.repository.js';
import { PageCursors } from '../security/page-cursors.js';
import { UsersService } from '../users/users.service.js';
import type { CreatePostRequest, PostDto, PostPageDto } from './dto/post.dto.js';
import { PostFanOut } from './post-fan-out.js';
import { PostImages } from './post-images.js';
import { PostViews } from './post-views.js';

@Injectable()
export class PostsService {
  constructor(
    private readonly posts: PostsRepository,
    private readonly likes: LikesRepository,
    private readonly users: UsersService,
    private readonly images: PostImages,
    private readonly fanOut: PostFanOut,
    private readonly views: PostViews,
    private readonly cursors: PageCursors,
  ) {}

  /** Publishes an uploaded image; a retry with the same upload answers the same post. */
  async createPost(caller: AuthenticatedUser, request: CreatePostRequest): Promise<PostDto> {
    const upload = await this.posts.findUpload(request.uploadId);
    if (!upload) {
      throw new DomainError(ErrorCode.UploadNotFound, 'upload not found');
    }
    if (upload.owner !== caller.id) {
      throw new DomainError(ErrorCode.NotUploadOwner, 'the upload belongs to another user');
    }
    const objectName = upload.postId ? mediaObjectName(upload.owner, upload.id) : await this.images.place(upload);
    const { post } = await this.posts.publish(upload.id, request.caption ?? '', objectName);
    // Also on a retry: it completes a fan-out that an earlier attempt may have left half done.
    await this.fanOut.deliver(post);
    const [dto] = await this.views.present([post], caller.id);
    return dto;
  }

  async getPost(id: string, caller: AuthenticatedUser): Promise<PostDto> {
    const post = await this.posts.find(id);
    if (!post) {
      throw new DomainError(ErrorCode.PostNotFound, 'post not found');
    }
    const [dto] = await this.views.present([post], caller.id);
    return dto;
  }

  /** Throws post_not_found, or not_post_author for someone else's post. */
  async deletePost(id: string, caller: AuthenticatedUser): Promise<void> {
    const { post, uploadObjectName } = await this.posts.remove(id, caller.id);
    await Promise.all([
      this.fanOut.withdraw(post.id),
      this.likes.removePost(post.id),
      this.images.remove(post.objectName, uploadObjectName),
    ]);
  }

  async listUserPosts(userId: string, page: PageQuery, caller: AuthenticatedUser): Promise<PostPageDto> {
    // Decoded before any store call starts: a bad cursor must not leave a lookup running unawaited.
    const from = this.cursors.decode(page.cursor, `posts/${userId}`);
    const [, result] = await Promise.all([
      this.users.requireUser(userId),
      this.posts.byAuthor(userId, page.limit, from?.store),
    ]);
    return {
      items: await this.views.present(result.posts, caller.id),
      nextCursor: this.cursors.next(`posts/${userId}`, result.cursor),
    };
  }
}
