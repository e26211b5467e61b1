import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
} from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { SignedInApi } from '../auth/signed-in-api.decorator.js';
import { MeDto, UserDto } from './dto/user.dto.js';
import { UpdateMeRequest } from './dto/update-me.dto.js';
import { UserIdParam, UsernameParam } from './dto/user-params.dto.js';
import { UsersService } from './users.service.js';

@SignedInApi('users')
@Controller('v1')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** The signed-in user, created on the first call from the token's claims. */
  @Get('me')
  getMe(@CurrentUser() caller: AuthenticatedUser): Promise<MeDto> {
    return this.users.getMe(caller);
  }

  /** Changes the caller's username, display name, bio or avatar: only the fields sent. */
  @Patch('me')
  @ApiBadRequestResponse({ description: 'a field is invalid or unknown, or the avatar upload is not a valid image' })
  @ApiForbiddenResponse({ description: "the avatar upload is another user's" })
  @ApiNotFoundResponse({ description: 'no such avatar upload' })
  @ApiConflictResponse({ description: 'the username is taken, or the avatar upload is in a post' })
  @ApiGoneResponse({ description: 'the avatar upload has expired' })
  updateMe(@CurrentUser() caller: AuthenticatedUser, @Body() body: UpdateMeRequest): Promise<MeDto> {
    return this.users.updateMe(caller, body);
  }

  /** A user's public profile by username (case-insensitive). */
  @Get('users/by-username/:username')
  @ApiNotFoundResponse({ description: 'no such user' })
  getUserByUsername(@CurrentUser() caller: AuthenticatedUser, @Param() params: UsernameParam): Promise<UserDto> {
    return this.users.getUserByUsername(params.username, caller);
  }

  /** A user's public profile. */
  @Get('users/:id')
  @ApiNotFoundResponse({ description: 'no such user' })
  getUser(@CurrentUser() caller: AuthenticatedUser, @Param() params: UserIdParam): Promise<UserDto> {
    return this.users.getUser(params.id, caller);
  }
}
