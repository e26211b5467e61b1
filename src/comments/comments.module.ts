import { Module } from '@nestjs/common';
import {
  CommentsRepositoryModule,
  NotificationsRepositoryModule,
  PostsRepositoryModule,
  TagsRepositoryModule,
} from '../repositories/repository.modules.js';
import { UsersModule } from '../users/users.module.js';
import { CommentViews } from './comment-views.js';
import { CommentsController } from './comments.controller.js';
import { CommentsService } from './comments.service.js';

@Module({
  imports: [
    UsersModule,
    CommentsRepositoryModule,
    NotificationsRepositoryModule,
    PostsRepositoryModule,
    TagsRepositoryModule,
  ],
  controllers: [CommentsController],
  providers: [CommentsService, CommentViews],
})
export class CommentsModule {}
