import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { BlobStore } from '../blobs/blob-store.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { AppConfig } from '../config/app-config.js';
import { uploadObjectName } from '../keys/post.keys.js';
import { PostsRepository } from '../repositories/posts.repository.js';
import { UsersService } from '../users/users.service.js';
import type { CreateUploadRequest, UploadDto } from './dto/upload.dto.js';

const UPLOAD_URL_TTL_MS = 15 * 60 * 1000;

@Injectable()
export class UploadsService {
  constructor(
    private readonly posts: PostsRepository,
    private readonly users: UsersService,
    private readonly blobs: BlobStore,
    private readonly config: AppConfig,
  ) {}

  /** An upload record and the signed URL its bytes go to. */
  async createUpload(caller: AuthenticatedUser, request: CreateUploadRequest): Promise<UploadDto> {
    if (request.contentLength > this.config.uploadMaxBytes) {
      throw new DomainError(
        ErrorCode.UploadTooLarge,
        `contentLength must be at most ${this.config.uploadMaxBytes} bytes`,
      );
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
}
