import { randomBytes } from 'node:crypto';
import {
  BadRequestException,
  ForbiddenException,
  Injectable,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { BlobStore } from '../blobs/blob-store.js';
import { PageCursors } from '../common/page-cursor.js';
import type { PageQuery } from '../common/dto/page-query.dto.js';
import { AppConfig } from '../config/app-config.js';
import { FollowsRepository } from '../follows/follows.repository.js';
import { LikesRepository } from '../likes/likes.repository.js';
import { joinLookups, Lookups, type LookupPart } from '../store/lookup-plan.js';
import { ReceiversRepository } from '../timeline/receivers.repository.js';
import { type UserRecord, UsersRepository } from '../users/users.repository.js';
import { UsersService, toSummary } from '../users/users.service.js';
import type { CreatePostRequest, PostDto, PostPageDto } from './dto/post.dto.js';
import type { CreateUploadRequest, UploadDto } from './dto/upload.dto.js';
import { SNIFF_BYTES, sniffImageType } from './image-type.js';
import {
  NotPostAuthorError,
  PostNotFoundError,
  type PostRecord,
  PostsRepository,
  UploadNotFoundError,
  type UploadRecord,
  mediaObjectName,
  uploadObjectName,
} from './posts.repository.js';

const UPLOAD_URL_TTL_MS = 15 * 60 * 1000;

/** What a page needs to show posts to one viewer, beyond the posts themselves. */
export interface PostView {
  readonly authors: Map<string, UserRecord>;
  readonly likeCounts: Map<string, number>;
  readonly liked: Set<string>;
}

@Injectable()
export class PostsService {
  constructor(
    private readonly posts: PostsRepository,
    private readonly follows: FollowsRepository,
    private readonly receivers: ReceiversRepository,
    private readonly likes: LikesRepository,
    private readonly usersRepository: UsersRepository,
    private readonly users: UsersService,
    private readonly blobs: BlobStore,
    private readonly lookups: Lookups,
    private readonly config: AppConfig,
    private readonly cursors: PageCursors,
  ) {}

  async createUpload(caller: AuthenticatedUser, request: CreateUploadRequest): Promise<UploadDto> {
    if (request.contentLength > this.config.uploadMaxBytes) {
      throw new PayloadTooLargeException(`contentLength must be at most ${this.config.uploadMaxBytes} bytes`);
    }
    await this.users.ensureExists(caller);
    const id = randomBytes(16).toString('hex');
    const objectName = uploadObjectName(caller.id, id);
    const createdAt = new Date();
    const expiresAt = new Date(createdAt.getTime() + UPLOAD_URL_TTL_MS);
    const { contentType, contentLength } = request;
    const [signed] = await Promise.all([
      this.blobs.signUpload({ objectName, contentType, maxBytes: contentLength, expiresAt }),
      this.posts.createUpload({
        id,
        owner: caller.id,
        objectName,
        contentType,
        contentLength,
        createdAt,
        expiresAt,
        postId: null,
      }),
    ]);
    return {
      uploadId: id,
      uploadUrl: signed.url,
      method: 'PUT',
      headers: signed.headers,
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** Publishes an uploaded image; a retry with the same upload answers the same post. */
  async createPost(caller: AuthenticatedUser, request: CreatePostRequest): Promise<PostDto> {
    const upload = await this.posts.findUpload(request.uploadId);
    if (!upload) {
      throw new NotFoundException('upload not found');
    }
    if (upload.owner !== caller.id) {
      throw new ForbiddenException('the upload belongs to another user');
    }
    // The post shows a copy under a name no signed URL writes, checked after copying: bytes PUT to the upload URL
    // later can never reach the post.
    const media = mediaObjectName(upload.owner, upload.id);
    if (!upload.postId) {
      if (!(await this.blobs.copy(upload.objectName, media))) {
        throw new BadRequestException('nothing was uploaded for this uploadId yet');
      }
      await this.checkImage(media, upload);
    }
    let post: PostRecord;
    try {
      ({ post } = await this.posts.publish(upload.id, request.caption ?? '', media));
    } catch (error) {
      throw error instanceof UploadNotFoundError ? new NotFoundException('upload not found') : error;
    }
    // Also on a retry: it completes a fan-out that an earlier attempt may have left half done.
    await this.fanOut(post);
    const [dto] = await this.present([post], caller.id);
    return dto;
  }

  async getPost(id: string, caller: AuthenticatedUser): Promise<PostDto> {
    const post = await this.posts.find(id);
    if (!post) {
      throw new NotFoundException('post not found');
    }
    const [dto] = await this.present([post], caller.id);
    return dto;
  }

  async deletePost(id: string, caller: AuthenticatedUser): Promise<void> {
    let removed: { post: PostRecord; uploadObjectName: string };
    try {
      removed = await this.posts.remove(id, caller.id);
    } catch (error) {
      if (error instanceof PostNotFoundError) {
        throw new NotFoundException('post not found');
      }
      throw error instanceof NotPostAuthorError ? new ForbiddenException('only the author can delete a post') : error;
    }
    const { post, uploadObjectName: original } = removed;
    await Promise.all([
      this.receivers.removeFor(post.id),
      this.likes.removePost(post.id),
      this.blobs.delete(post.objectName),
      this.blobs.delete(original),
    ]);
  }

  async userPosts(userId: string, page: PageQuery, caller: AuthenticatedUser): Promise<PostPageDto> {
    // Decoded before any store call starts: a bad cursor must not leave a lookup running unawaited.
    const from = this.cursors.decode(page.cursor, `posts/${userId}`);
    const [, result] = await Promise.all([
      this.users.requireUser(userId),
      this.posts.byAuthor(userId, page.limit, from?.store),
    ]);
    return {
      items: await this.present(result.posts, caller.id),
      nextCursor: this.cursors.next(`posts/${userId}`, result.cursor),
    };
  }

  /** Posts as a viewer sees them: authors, like counts and the viewer's likes in one lookup. */
  async present(posts: readonly PostRecord[], viewerId: string): Promise<PostDto[]> {
    const [view] = await this.lookups.run([this.viewLookup(posts, viewerId)]);
    return this.toDtos(posts, view);
  }

  /** What showing these posts to a viewer needs, to join into a page's one lookup (see the timeline). */
  viewLookup(posts: readonly { id: string; author: string }[], viewerId: string): LookupPart<PostView> {
    const ids = posts.map((post) => post.id);
    const parts = joinLookups([
      this.usersRepository.recordsLookup(posts.map((post) => post.author)),
      this.likes.countsLookup(ids),
      this.likes.likedLookup(viewerId, ids),
    ]);
    return {
      keys: parts.keys,
      read: (entities) => {
        const [authors, likeCounts, liked] = parts.read(entities);
        return { authors, likeCounts, liked: new Set(ids.filter((_, i) => liked[i])) };
      },
    };
  }

  /** The posts whose author still exists, as DTOs. */
  async toDtos(posts: readonly PostRecord[], view: PostView): Promise<PostDto[]> {
    const imageUrls = await Promise.all(posts.map((post) => this.blobs.readUrl(post.objectName)));
    return posts.flatMap((post, i) => {
      const author = view.authors.get(post.author);
      return author
        ? [
            {
              id: post.id,
              author: toSummary(author),
              imageUrl: imageUrls[i],
              caption: post.caption,
              createdAt: post.createdAt.toISOString(),
              likeCount: view.likeCounts.get(post.id) ?? 0,
              likedByMe: view.liked.has(post.id),
            },
          ]
        : [];
    });
  }

  /** One receiver per follower batch of the author, plus the author's own. */
  private async fanOut(post: PostRecord): Promise<void> {
    const batches = await this.follows.followerBatches(post.author);
    await this.receivers.fanOut(post, batches);
  }

  /** The bytes that arrived must be the declared image type and within the declared size. */
  private async checkImage(objectName: string, upload: UploadRecord): Promise<void> {
    const { contentType, contentLength } = upload;
    const info = await this.blobs.stat(objectName);
    if (!info) {
      throw new BadRequestException('nothing was uploaded for this uploadId yet');
    }
    const start = info.size > contentLength ? undefined : await this.blobs.readStart(objectName, SNIFF_BYTES);
    if (!start || sniffImageType(start) !== contentType) {
      // Both go, so the same upload URL can be used again for the right file while it is valid.
      await Promise.all([this.blobs.delete(objectName), this.blobs.delete(upload.objectName)]);
      throw new BadRequestException(
        `the uploaded file is not a valid ${contentType} image of at most ${contentLength} bytes`,
      );
    }
  }
}
