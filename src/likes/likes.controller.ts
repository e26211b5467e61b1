import { Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiServiceUnavailableResponse,
} from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { SignedInApi } from '../auth/signed-in-api.decorator.js';
import { PageQuery } from '../common/dto/page-query.dto.js';
import { PostIdParam } from '../posts/dto/post.dto.js';
import { UserPageDto } from '../users/dto/user.dto.js';
import { LikeStateDto } from './dto/like.dto.js';
import { LikesService } from './likes.service.js';

@SignedInApi('likes')
@ApiNotFoundResponse({ description: 'no such post, or it was deleted' })
@ApiBadRequestResponse({ description: 'the post id (or limit, cursor) is invalid' })
@ApiForbiddenResponse({ description: 'a private account the caller does not follow, or an author the caller blocked' })
@Controller('v1/posts/:id')
export class LikesController {
  constructor(private readonly likes: LikesService) {}

  /** Likes the post; a repeat changes nothing. A 2xx means the like is stored. */
  @Put('like')
  @ApiServiceUnavailableResponse({ description: 'the like could not be stored; retry after Retry-After seconds' })
  likePost(@CurrentUser() caller: AuthenticatedUser, @Param() params: PostIdParam): Promise<LikeStateDto> {
    return this.likes.likePost(caller, params.id);
  }

  /** Takes the caller's like back; a repeat changes nothing. */
  @Delete('like')
  @ApiServiceUnavailableResponse({ description: 'the change could not be stored; retry after Retry-After seconds' })
  unlikePost(@CurrentUser() caller: AuthenticatedUser, @Param() params: PostIdParam): Promise<LikeStateDto> {
    return this.likes.unlikePost(caller, params.id);
  }

  /** Who likes the post, in a stable order (by user id), so a walk never repeats or skips anyone. */
  @Get('likers')
  listLikers(
    @CurrentUser() caller: AuthenticatedUser,
    @Param() params: PostIdParam,
    @Query() page: PageQuery,
  ): Promise<UserPageDto> {
    return this.likes.listLikers(params.id, page, caller);
  }
}
