import { Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
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
import { UserPageDto } from '../users/dto/user.dto.js';
import { UserIdParam } from '../users/dto/user-params.dto.js';
import { FollowerStateDto, FollowStateDto } from './dto/follow.dto.js';
import { FollowsService } from './follows.service.js';

const BUSY = 'the store is busy or down; retry after Retry-After seconds';

@SignedInApi('follows')
@ApiNotFoundResponse({ description: 'no such user' })
@Controller('v1/users/:id')
export class FollowsController {
  constructor(private readonly follows: FollowsService) {}

  /** Follows the user, or asks to (`requested`) when their account is private; a repeat changes nothing. */
  @Put('follow')
  @ApiBadRequestResponse({ description: 'the id is invalid, or is the caller' })
  @ApiForbiddenResponse({ description: 'the caller blocked this user (user_blocked)' })
  @ApiServiceUnavailableResponse({ description: BUSY })
  followUser(@CurrentUser() caller: AuthenticatedUser, @Param() params: UserIdParam): Promise<FollowStateDto> {
    return this.follows.followUser(caller, params.id);
  }

  /** Stops following the user, or withdraws the request to; a repeat changes nothing. */
  @Delete('follow')
  @ApiBadRequestResponse({ description: 'the id is invalid, or is the caller' })
  @ApiServiceUnavailableResponse({ description: BUSY })
  unfollowUser(@CurrentUser() caller: AuthenticatedUser, @Param() params: UserIdParam): Promise<FollowStateDto> {
    return this.follows.unfollowUser(caller, params.id);
  }

  /** The user's followers, newest first. */
  @Get('followers')
  @ApiBadRequestResponse({ description: 'bad limit or cursor' })
  @ApiForbiddenResponse({ description: 'a private account the caller does not follow, or one they blocked' })
  listFollowers(
    @CurrentUser() caller: AuthenticatedUser,
    @Param() params: UserIdParam,
    @Query() page: PageQuery,
  ): Promise<UserPageDto> {
    return this.follows.listFollowers(params.id, page, caller);
  }

  /** The users this user follows, newest first. */
  @Get('following')
  @ApiBadRequestResponse({ description: 'bad limit or cursor' })
  @ApiForbiddenResponse({ description: 'a private account the caller does not follow, or one they blocked' })
  listFollowing(
    @CurrentUser() caller: AuthenticatedUser,
    @Param() params: UserIdParam,
    @Query() page: PageQuery,
  ): Promise<UserPageDto> {
    return this.follows.listFollowing(params.id, page, caller);
  }
}

@SignedInApi('follows')
@Controller('v1/me')
export class MyFollowersController {
  constructor(private readonly follows: FollowsService) {}

  /** Who asked to follow the caller (a private account), newest first. */
  @Get('follow-requests')
  @ApiBadRequestResponse({ description: 'bad limit or cursor' })
  listRequests(@CurrentUser() caller: AuthenticatedUser, @Query() page: PageQuery): Promise<UserPageDto> {
    return this.follows.listRequests(caller, page);
  }

  /** Approves the user's follow request: they follow the caller and get the caller's latest posts. */
  @Put('follow-requests/:id')
  @ApiBadRequestResponse({ description: 'the id is invalid, or is the caller' })
  @ApiNotFoundResponse({ description: 'this user has no pending request (follow_request_not_found)' })
  @ApiServiceUnavailableResponse({ description: BUSY })
  approveRequest(@CurrentUser() caller: AuthenticatedUser, @Param() params: UserIdParam): Promise<FollowerStateDto> {
    return this.follows.approveRequest(caller, params.id);
  }

  /** Denies the user's follow request; no request, or a repeat, changes nothing. */
  @Delete('follow-requests/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'no request from this user is pending now' })
  @ApiBadRequestResponse({ description: 'the id is invalid, or is the caller' })
  denyRequest(@CurrentUser() caller: AuthenticatedUser, @Param() params: UserIdParam): Promise<void> {
    return this.follows.denyRequest(caller, params.id);
  }

  /** Removes a follower: they no longer follow the caller, and the caller's posts leave their timeline. */
  @Delete('followers/:id')
  @ApiBadRequestResponse({ description: 'the id is invalid, or is the caller' })
  @ApiServiceUnavailableResponse({ description: BUSY })
  removeFollower(@CurrentUser() caller: AuthenticatedUser, @Param() params: UserIdParam): Promise<FollowerStateDto> {
    return this.follows.removeFollower(caller, params.id);
  }
}
