import { Module } from '@nestjs/common';
import {
  FollowsRepositoryModule,
  NotificationsRepositoryModule,
  PostsRepositoryModule,
  ReceiversRepositoryModule,
} from '../repositories/repository.modules.js';
import { RelationsModule } from '../relations/relations.module.js';
import { UsersModule } from '../users/users.module.js';
import { FollowsController, MyFollowersController } from './follows.controller.js';
import { FollowsService } from './follows.service.js';

@Module({
  imports: [
    UsersModule,
    RelationsModule,
    FollowsRepositoryModule,
    NotificationsRepositoryModule,
    PostsRepositoryModule,
    ReceiversRepositoryModule,
  ],
  controllers: [FollowsController, MyFollowersController],
  providers: [FollowsService],
})
export class FollowsModule {}
