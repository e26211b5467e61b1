import { Global, Module } from '@nestjs/common';
import { FollowsRepository } from './follows/follows.repository.js';
import { LikesRepository } from './likes/likes.repository.js';
import { PostsRepository } from './posts/posts.repository.js';
import { ReceiversRepository } from './timeline/receivers.repository.js';
import { UsersRepository } from './users/users.repository.js';

/**
 * Every repository, shared: features read each other's data (a profile shows follow and post counts, a post
 * fans out to follower batches) through repositories, so services never depend on each other in a circle.
 */
const repositories = [UsersRepository, FollowsRepository, PostsRepository, ReceiversRepository, LikesRepository];

@Global()
@Module({ providers: repositories, exports: repositories })
export class RepositoriesModule {}
