import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
} from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { SignedInApi } from '../auth/signed-in-api.decorator.js';
import { PageQuery } from '../common/dto/page-query.dto.js';
import { UserIdParam } from '../users/dto/user-params.dto.js';
import { CreatePostRequest, PostDto, PostIdParam, PostPageDto, UpdatePostRequest } from './dto/post.dto.js';
import { PostsService } from './posts.service.js';

@SignedInApi('posts')
@Controller('v1')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  /**
   * Publishes 1-10 uploaded images (`media`, with alt texts) or one (`uploadId`) to the caller's followers. Each is
   * decoded, turned upright and stripped of its metadata, and stored as WebP variants 320, 640 and 1,080 px wide; the
   * original is deleted. A retry with the same uploads answers the same post.
   */
  @Post('posts')
  @ApiBadRequestResponse({
    description:
      'a bad field, nothing uploaded yet, or an image that is not a whole one of its declared type within 40 megapixels and 10,000 px a side (named in the detail)',
  })
  @ApiForbiddenResponse({ description: "another user's upload" })
  @ApiNotFoundResponse({ description: 'no such upload' })
  @ApiConflictResponse({ description: 'an upload is already in another post' })
  @ApiGoneResponse({ description: 'an upload has expired' })
  createPost(@CurrentUser() caller: AuthenticatedUser, @Body() body: CreatePostRequest): Promise<PostDto> {
    return this.posts.createPost(caller, body);
  }

  @Get('posts/:id')
  @ApiNotFoundResponse({ description: 'no such post' })
  @ApiForbiddenResponse({
    description: 'a private account the caller does not follow, or an author the caller blocked',
  })
  getPost(@CurrentUser() caller: AuthenticatedUser, @Param() params: PostIdParam): Promise<PostDto> {
    return this.posts.getPost(params.id, caller);
  }

  /** Changes the caller's post: its caption (hashtags and mentions parsed again) and whether it takes comments. */
  @Patch('posts/:id')
  @ApiBadRequestResponse({ description: 'a bad field' })
  @ApiForbiddenResponse({ description: "another user's post" })
  @ApiNotFoundResponse({ description: 'no such post' })
  updatePost(
    @CurrentUser() caller: AuthenticatedUser,
    @Param() params: PostIdParam,
    @Body() body: UpdatePostRequest,
  ): Promise<PostDto> {
    return this.posts.updatePost(params.id, caller, body);
  }

  /** Deletes the caller's post, its likes, its comments, its place in every timeline and its images. */
  @Delete('posts/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiForbiddenResponse({ description: "another user's post (admins may delete any)" })
  @ApiNotFoundResponse({ description: 'no such post' })
  deletePost(@CurrentUser() caller: AuthenticatedUser, @Param() params: PostIdParam): Promise<void> {
    return this.posts.deletePost(params.id, caller);
  }

  /** A user's posts, newest first. */
  @Get('users/:id/posts')
  @ApiBadRequestResponse({ description: 'bad limit or cursor' })
  @ApiNotFoundResponse({ description: 'no such user' })
  @ApiForbiddenResponse({ description: 'a private account the caller does not follow, or one the caller blocked' })
  listUserPosts(
    @CurrentUser() caller: AuthenticatedUser,
    @Param() params: UserIdParam,
    @Query() page: PageQuery,
  ): Promise<PostPageDto> {
    return this.posts.listUserPosts(params.id, page, caller);
  }
}
