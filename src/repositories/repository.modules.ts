import { Module } from '@nestjs/common';
import { CommentsRepository } from './comments.repository.js';
import { ExploreRepository } from './explore.repository.js';
import { FollowsRepository } from './follows.repository.js';
import { LikesRepository } from './likes.repository.js';
import { NotificationsRepository } from './notifications.repository.js';
import { PairsRepository } from './pairs.repository.js';
import { PostsRepository } from './posts.repository.js';
import { ReceiversRepository } from './receivers.repository.js';
import { ReportsRepository } from './reports.repository.js';
import { TagsRepository } from './tags.repository.js';
import { UsersRepository } from './users.repository.js';

// One module per repository, so a feature module's imports say which data it uses. Each repository is one
// instance per process: the membership ones own the group committer that combines concurrent changes.

@Module({ providers: [UsersRepository], exports: [UsersRepository] })
export class UsersRepositoryModule {}

@Module({ providers: [PostsRepository], exports: [PostsRepository] })
export class PostsRepositoryModule {}

@Module({ imports: [UsersRepositoryModule], providers: [FollowsRepository], exports: [FollowsRepository] })
export class FollowsRepositoryModule {}

@Module({ providers: [LikesRepository], exports: [LikesRepository] })
export class LikesRepositoryModule {}

@Module({ providers: [NotificationsRepository], exports: [NotificationsRepository] })
export class NotificationsRepositoryModule {}

@Module({ providers: [ExploreRepository], exports: [ExploreRepository] })
export class ExploreRepositoryModule {}

@Module({ providers: [TagsRepository], exports: [TagsRepository] })
export class TagsRepositoryModule {}

@Module({ providers: [PairsRepository], exports: [PairsRepository] })
export class PairsRepositoryModule {}

@Module({ providers: [ReportsRepository], exports: [ReportsRepository] })
export class ReportsRepositoryModule {}

@Module({ providers: [ReceiversRepository], exports: [ReceiversRepository] })
export class ReceiversRepositoryModule {}

@Module({
  imports: [PostsRepositoryModule, UsersRepositoryModule],
  providers: [CommentsRepository],
  exports: [CommentsRepository],
})
export class CommentsRepositoryModule {}
