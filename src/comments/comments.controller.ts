import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiServiceUnavailableResponse,
} from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { SignedInApi } from '../auth/signed-in-api.decorator.js';
import { PageQuery } from '../common/dto/page-query.dto.js';
import { PostIdParam } from '../posts/dto/post.dto.js';
import { CommentsService } from './comments.service.js';
import {
  CommentDto,
  CommentIdParam,
  CommentLikeStateDto,
  CommentPageDto,
  CreateCommentRequest,
} from './dto/comment.dto.js';

@SignedInApi('comments')
@ApiBadRequestResponse({ description: 'a bad id, field, limit or cursor' })
@Controller('v1')
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  /** Comments on the post, or replies to one of its comments (`replyTo`; one level, as Instagram). */
  @Post('posts/:id/comments')
  @ApiForbiddenResponse({ description: 'the author turned comments off (comments_disabled)' })
  @ApiNotFoundResponse({ description: 'no such post, or no such comment to reply to' })
  @ApiServiceUnavailableResponse({ description: 'the comment could not be stored; retry after Retry-After seconds' })
  addComment(
    @CurrentUser() caller: AuthenticatedUser,
    @Param() params: PostIdParam,
    @Body() body: CreateCommentRequest,
  ): Promise<CommentDto> {
    return this.comments.addComment(caller, params.id, body);
  }

  /** The post's top-level comments, oldest first, each with its `replyCount`. */
  @Get('posts/:id/comments')
  @ApiNotFoundResponse({ description: 'no such post' })
  listComments(
    @CurrentUser() caller: AuthenticatedUser,
    @Param() params: PostIdParam,
    @Query() page: PageQuery,
  ): Promise<CommentPageDto> {
    return this.comments.listComments(params.id, page, caller);
  }

  @Get('comments/:id')
  @ApiNotFoundResponse({ description: 'no such comment' })
  getComment(@CurrentUser() caller: AuthenticatedUser, @Param() params: CommentIdParam): Promise<CommentDto> {
    return this.comments.getComment(params.id, caller);
  }

  /** A comment's replies, oldest first. */
  @Get('comments/:id/replies')
  @ApiNotFoundResponse({ description: 'no such comment' })
  listReplies(
    @CurrentUser() caller: AuthenticatedUser,
    @Param() params: CommentIdParam,
    @Query() page: PageQuery,
  ): Promise<CommentPageDto> {
    return this.comments.listReplies(params.id, page, caller);
  }

  /** Deletes a comment of the caller's, or one on the caller's post; its replies and likes go with it. */
  @Delete('comments/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiForbiddenResponse({ description: "someone else's comment on someone else's post" })
  @ApiNotFoundResponse({ description: 'no such comment' })
  deleteComment(@CurrentUser() caller: AuthenticatedUser, @Param() params: CommentIdParam): Promise<void> {
    return this.comments.deleteComment(params.id, caller);
  }

  /** Likes the comment; a repeat changes nothing. */
  @Put('comments/:id/like')
  @ApiNotFoundResponse({ description: 'no such comment' })
  likeComment(@CurrentUser() caller: AuthenticatedUser, @Param() params: CommentIdParam): Promise<CommentLikeStateDto> {
    return this.comments.likeComment(caller, params.id);
  }

  /** Takes the caller's like of the comment back; a repeat changes nothing. */
  @Delete('comments/:id/like')
  @ApiNotFoundResponse({ description: 'no such comment' })
  unlikeComment(
    @CurrentUser() caller: AuthenticatedUser,
    @Param() params: CommentIdParam,
  ): Promise<CommentLikeStateDto> {
    return this.comments.unlikeComment(caller, params.id);
  }
}
