import { Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { SignedInApi } from '../auth/signed-in-api.decorator.js';
import { PageQuery } from '../common/dto/page-query.dto.js';
import { UserPageDto } from '../users/dto/user.dto.js';
import { UserIdParam } from '../users/dto/user-params.dto.js';
import { BlocksService } from './blocks.service.js';
import { BlockStateDto, MuteStateDto } from './dto/relation-state.dto.js';

const BUSY = 'the store is busy or down; retry after Retry-After seconds';

@SignedInApi('blocks and mutes')
@Controller('v1')
export class BlocksController {
  constructor(private readonly blocks: BlocksService) {}

  /**
   * Blocks the user: follows both ways and pending requests end; each disappears from the other's timeline and
   * lists, and the user gets 404 for the caller's profile and content. A repeat changes nothing.
   */
  @Put('users/:id/block')
  @ApiBadRequestResponse({ description: 'the id is invalid, or is the caller' })
  @ApiNotFoundResponse({ description: 'no such user' })
  @ApiServiceUnavailableResponse({ description: BUSY })
  block(@CurrentUser() caller: AuthenticatedUser, @Param() params: UserIdParam): Promise<BlockStateDto> {
    return this.blocks.block(caller, params.id);
  }

  /** Lifts the block (ended follows stay ended). */
  @Delete('users/:id/block')
  @ApiBadRequestResponse({ description: 'the id is invalid, or is the caller' })
  @ApiNotFoundResponse({ description: 'no such user' })
  unblock(@CurrentUser() caller: AuthenticatedUser, @Param() params: UserIdParam): Promise<BlockStateDto> {
    return this.blocks.unblock(caller, params.id);
  }

  /** Mutes the user: their posts leave the caller's timeline; nothing else changes and they are not told. */
  @Put('users/:id/mute')
  @ApiBadRequestResponse({ description: 'the id is invalid, or is the caller' })
  @ApiNotFoundResponse({ description: 'no such user' })
  mute(@CurrentUser() caller: AuthenticatedUser, @Param() params: UserIdParam): Promise<MuteStateDto> {
    return this.blocks.mute(caller, params.id);
  }

  @Delete('users/:id/mute')
  @ApiBadRequestResponse({ description: 'the id is invalid, or is the caller' })
  @ApiNotFoundResponse({ description: 'no such user' })
  unmute(@CurrentUser() caller: AuthenticatedUser, @Param() params: UserIdParam): Promise<MuteStateDto> {
    return this.blocks.unmute(caller, params.id);
  }

  /** The users the caller blocked, newest first. */
  @Get('me/blocks')
  @ApiBadRequestResponse({ description: 'bad limit or cursor' })
  listBlocked(@CurrentUser() caller: AuthenticatedUser, @Query() page: PageQuery): Promise<UserPageDto> {
    return this.blocks.listBlocked(caller, page);
  }

  /** The users the caller muted, newest first. */
  @Get('me/mutes')
  @ApiBadRequestResponse({ description: 'bad limit or cursor' })
  listMuted(@CurrentUser() caller: AuthenticatedUser, @Query() page: PageQuery): Promise<UserPageDto> {
    return this.blocks.listMuted(caller, page);
  }
}
