import { Module } from '@nestjs/common';
import { RelationsModule } from '../relations/relations.module.js';
import {
  CommentsRepositoryModule,
  FollowsRepositoryModule,
  LikesRepositoryModule,
  NotificationsRepositoryModule,
  PostsRepositoryModule,
  UsersRepositoryModule,
} from '../repositories/repository.modules.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';

@Module({
  imports: [
    RelationsModule,
    NotificationsRepositoryModule,
    LikesRepositoryModule,
    FollowsRepositoryModule,
    CommentsRepositoryModule,
    PostsRepositoryModule,
    UsersRepositoryModule,
  ],
  controllers: [NotificationsController],
  providers: [NotificationsService],
})
export class NotificationsModule {}
