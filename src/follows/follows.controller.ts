import { Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { SignedInApi } from '../auth/signed-in-api.decorator.js';
import { PageQuery } from '../common/dto/page-query.dto.js';
import { UserPageDto } from '../users/dto/user.dto.js';
import { UserIdParam } from '../users/dto/user-params.dto.js';
import { FollowStateDto } from './dto/follow.dto.js';
import { FollowsService } from './follows.service.js';

@SignedInApi('follows')
@ApiNotFoundResponse({ description: 'no such user' })
@Controller('v1/users/:id')
export class FollowsController {
  constructor(private readonly follows: FollowsService) {}

  /** Follows the user; a repeat changes nothing. */
  @Put('follow')
  @ApiBadRequestResponse({ description: 'the id is invalid, or is the caller' })
  @ApiServiceUnavailableResponse({ description: 'the store is busy or down; retry after Retry-After seconds' })
  followUser(@CurrentUser() caller: AuthenticatedUser, @Param() params: UserIdParam): Promise<FollowStateDto> {
    return this.follows.followUser(caller, params.id);
  }

  /** Stops following the user; a repeat changes nothing. */
  @Delete('follow')
  @ApiBadRequestResponse({ description: 'the id is invalid, or is the caller' })
  @ApiServiceUnavailableResponse({ description: 'the store is busy or down; retry after Retry-After seconds' })
  unfollowUser(@CurrentUser() caller: AuthenticatedUser, @Param() params: UserIdParam): Promise<FollowStateDto> {
    return this.follows.unfollowUser(caller, params.id);
  }

  /** The user's followers, newest first. */
  @Get('followers')
  @ApiBadRequestResponse({ description: 'bad limit or cursor' })
  listFollowers(@Param() params: UserIdParam, @Query() page: PageQuery): Promise<UserPageDto> {
    return this.follows.listFollowers(params.id, page);
  }

  /** The users this user follows, newest first. */
  @Get('following')
  @ApiBadRequestResponse({ description: 'bad limit or cursor' })
  listFollowing(@Param() params: UserIdParam, @Query() page: PageQuery): Promise<UserPageDto> {
    return this.follows.listFollowing(params.id, page);
  }
}
