import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/auth.types.js';
import { DomainError, ErrorCode } from '../common/errors.js';
import { FollowsRepository } from '../repositories/follows.repository.js';
import { BlobStore } from '../blobs/blob-store.js';
import type { StoredAvatar } from '../keys/media.keys.js';
import { UploadImages } from '../media/upload-images.js';
import { PostsRepository, type UploadRecord } from '../repositories/posts.repository.js';
import { type UserRecord, UsersRepository } from '../repositories/users.repository.js';
import { approveRequestsTask } from '../relations/approve-requests.task.js';
import { accessTo, NO_RELATION, Relations } from '../relations/relations.js';
import { Lookups } from '../store/lookup-plan.js';
import { TaskQueue } from '../tasks/task-queue.js';
import type { MeDto, UserDto } from './dto/user.dto.js';
import type { UpdateMeRequest } from './dto/update-me.dto.js';
import { toMe, toProfile } from './user.presenter.js';
import { usernameCandidates } from './username.js';

const AVATAR_NOT_SET = new Set([
  ErrorCode.UploadUsed,
  ErrorCode.UploadNotFound,
  ErrorCode.UploadExpired,
  ErrorCode.UsernameTaken,
]);

/** Ids of users this process has seen exist; bounded so a long-lived instance does not grow without end. */
const KNOWN_USERS_KEPT = 100_000;

@Injectable()
export class UsersService {
  private readonly known = new Set<string>();

  constructor(
    private readonly users: UsersRepository,
    private readonly follows: FollowsRepository,
    private readonly posts: PostsRepository,
    private readonly lookups: Lookups,
    private readonly relations: Relations,
    private readonly images: UploadImages,
    private readonly blobs: BlobStore,
    private readonly tasks: TaskQueue,
  ) {}

  /** The users these usernames name, for a caption's or comment's mentions; unknown names left out. */
  mentioned(usernames: readonly string[]): Promise<{ id: string; username: string }[]> {
    return usernames.length === 0 ? Promise.resolve([]) : this.users.mentioned(usernames);
  }

  /** The caller's profile, created from the token's claims on the first call. */
  async getMe(caller: AuthenticatedUser): Promise<MeDto> {
    const { user, counts } = await this.lookUp(caller.id, caller.id);
    return toMe(user ?? (await this.create(caller)), counts, this.blobs, caller.admin === true);
  }

  /** Changes only the fields sent; `avatarUploadId` makes the avatar from an upload, null removes it. */
  async updateMe(caller: AuthenticatedUser, { avatarUploadId, ...changes }: UpdateMeRequest): Promise<MeDto> {
    const current = await this.ensureUser(caller);
    const made =
      typeof avatarUploadId === 'string' && avatarUploadId !== current.avatar?.uploadId
        ? await this.makeAvatar(caller, avatarUploadId)
        : undefined;
    const avatarChange = avatarUploadId === null ? { avatar: null } : made ? { avatar: made.avatar } : {};
    const updated = await this.users
      .update(
        caller.id,
        { ...changes, ...avatarChange },
        made && ((tx) => this.posts.takeUpload(tx, made.upload.id, caller.id)),
      )
      .catch(async (error: unknown) => {
        // Refused for certain (a post took the upload, it went or expired, the name is taken): these avatar variants
        // are nobody's, as posts use other names. Not on an unknown outcome (a timeout may hide a commit).
        if (made && error instanceof DomainError && AVATAR_NOT_SET.has(error.code)) {
          await this.images.removeVariants(made.avatar.variants);
        }
        throw error;
      });
    if (!updated) {
      throw userNotFound();
    }
    if (changes.private !== undefined) {
      // Who may like and comment on my posts changed: this instance forgets what it checked of them.
      this.relations.forget(caller.id);
    }
    await Promise.all([
      // Going public approves the pending requests: in a task, as there may be many.
      updated.madePublic ? this.tasks.enqueue([approveRequestsTask(caller.id)]) : undefined,
      this.images.removeVariants(updated.replacedAvatar?.variants ?? []),
      made && updated.user.avatar?.uploadId === made.upload.id
        ? this.images.removeOriginals([made.upload.objectName])
        : undefined,
    ]);
    const { counts } = await this.lookUp(caller.id, caller.id);
    return toMe(updated.user, counts, this.blobs, caller.admin === true);
  }

  /**
   * The avatar made from an upload, or undefined when a concurrent identical request has set it meanwhile (it may
   * have taken the upload and deleted the original already). Throws as avatarUpload and UploadImages.store.
   */
  private async makeAvatar(
    caller: AuthenticatedUser,
    uploadId: string,
  ): Promise<{ upload: UploadRecord; avatar: StoredAvatar } | undefined> {
    try {
      const upload = await this.avatarUpload(caller, uploadId);
      const { variants } = await this.images.store('avatarUploadId', upload, 'avatar');
      return { upload, avatar: { uploadId, variants } };
    } catch (error) {
      if ((await this.users.findById(caller.id))?.avatar?.uploadId === uploadId) {
        return undefined;
      }
      throw error;
    }
  }

  /** The caller's unpublished upload; throws upload_not_found, not_upload_owner or upload_used. */
  private async avatarUpload(caller: AuthenticatedUser, id: string): Promise<UploadRecord> {
    const upload = await this.posts.findUpload(id);
    if (!upload) {
      throw new DomainError(ErrorCode.UploadNotFound, `avatarUploadId: upload ${id} not found`);
    }
    if (upload.owner !== caller.id) {
      throw new DomainError(ErrorCode.NotUploadOwner, `avatarUploadId: upload ${id} belongs to another user`);
    }
    if (upload.postId) {
      throw new DomainError(ErrorCode.UploadUsed, `avatarUploadId: upload ${id} is already in a post`);
    }
    return upload;
  }

  /**
   * A profile with the caller's relation to it. 404 for a user who blocked the caller or is suspended: for them
   * the account does not exist. A private one shows its profile and counts, not its posts and lists.
   */
  async getUser(id: string, caller: AuthenticatedUser): Promise<UserDto> {
    const { user, counts, relation } = await this.lookUp(id, caller.id);
    if (!accessTo(caller, user, relation).profile) {
      throw userNotFound();
    }
    return toProfile(user!, counts, relation, this.blobs);
  }

  async getUserByUsername(username: string, caller: AuthenticatedUser): Promise<UserDto> {
    const id = await this.users.idOfUsername(username.toLowerCase());
    if (id === undefined) {
      throw userNotFound();
    }
    return this.getUser(id, caller);
  }

  /** The caller's record, created from the token's claims when this is their first call. */
  async ensureUser(caller: AuthenticatedUser): Promise<UserRecord> {
    const user = (await this.users.findById(caller.id)) ?? (await this.create(caller));
    this.remember(user.id);
    return user;
  }

  /**
   * Makes sure the caller exists as a user, without a store call once this process has seen them: users are never
   * deleted, so a like or follow (which lists the caller) costs no lookup for a known caller.
   */
  async ensureExists(caller: AuthenticatedUser): Promise<void> {
    if (!this.known.has(caller.id)) {
      await this.ensureUser(caller);
    }
  }

  private remember(id: string): void {
    if (this.known.size >= KNOWN_USERS_KEPT) {
      this.known.clear();
    }
    this.known.add(id);
  }

  /** 404 unless the user exists. */
  async requireUser(id: string): Promise<UserRecord> {
    const user = await this.users.findById(id);
    if (!user) {
      throw userNotFound();
    }
    return user;
  }

  /** A user, their counts and how the viewer stands with them, in one round trip. */
  private async lookUp(id: string, viewerId: string) {
    const [users, counts, postCounts, relations] = await this.lookups.run([
      this.users.recordsLookup([id]),
      this.follows.countsLookup([id]),
      this.posts.postCountsLookup([id]),
      this.relations.lookup(viewerId, [id]),
    ]);
    const followCounts = counts.get(id) ?? { followerCount: 0, followingCount: 0 };
    return {
      user: users.get(id),
      counts: { ...followCounts, postCount: postCounts.get(id) ?? 0 },
      relation: relations.get(id) ?? NO_RELATION,
    };
  }

  private create(caller: AuthenticatedUser): Promise<UserRecord> {
    const email = caller.email ?? null;
    return this.users.create({
      id: caller.id,
      displayName: (caller.name ?? email?.split('@')[0] ?? 'picfeed user').slice(0, 64),
      pictureUrl: caller.picture ?? null,
      email,
      usernameCandidates: usernameCandidates(caller.email),
    });
  }
}

function userNotFound(): DomainError {
  return new DomainError(ErrorCode.UserNotFound, 'user not found');
}
