import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import type { MeDto, UserDto } from './dto/user.dto.js';
import type { UpdateMeRequest } from './dto/update-me.dto.js';
import { usernameCandidates } from './username.js';
import { type UserRecord, UsernameTakenError, UsersRepository } from './users.repository.js';

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  /** The caller's profile, created from the token's claims on the first call. */
  async getMe(caller: AuthenticatedUser): Promise<MeDto> {
    return toMe(await this.ensureUser(caller));
  }

  async updateMe(caller: AuthenticatedUser, changes: UpdateMeRequest): Promise<MeDto> {
    await this.ensureUser(caller);
    try {
      const updated = await this.users.update(caller.id, changes);
      if (!updated) {
        throw new NotFoundException('user not found');
      }
      return toMe(updated);
    } catch (error) {
      throw error instanceof UsernameTakenError ? new ConflictException('username is taken') : error;
    }
  }

  async getUser(id: string): Promise<UserDto> {
    return toProfile(await this.found(this.users.findById(id)));
  }

  async getUserByUsername(username: string): Promise<UserDto> {
    return toProfile(await this.found(this.users.findByUsername(username.toLowerCase())));
  }

  private async found(lookup: Promise<UserRecord | undefined>): Promise<UserRecord> {
    const user = await lookup;
    if (!user) {
      throw new NotFoundException('user not found');
    }
    return user;
  }

  /** The caller's record, created from the token's claims when this is their first call. */
  private async ensureUser(caller: AuthenticatedUser): Promise<UserRecord> {
    const existing = await this.users.findById(caller.id);
    if (existing) {
      return existing;
    }
    const email = caller.email ?? null;
    return this.users.create({
      id: caller.id,
      displayName: (caller.name ?? email?.split('@')[0] ?? 'picfeed user').slice(0, 64),
      avatarUrl: caller.picture ?? null,
      email,
      usernameCandidates: usernameCandidates(caller.email),
    });
  }
}

function toProfile(user: UserRecord): UserDto {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    avatarUrl: user.avatarUrl,
    bio: user.bio,
    followerCount: 0,
    followingCount: 0,
    postCount: 0,
    followedByMe: false,
    createdAt: user.createdAt.toISOString(),
  };
}

function toMe(user: UserRecord): MeDto {
  return { ...toProfile(user), email: user.email };
}
