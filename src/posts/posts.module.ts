import { Module } from '@nestjs/common';
import {
  CommentsRepositoryModule,
  FollowsRepositoryModule,
  LikesRepositoryModule,
  NotificationsRepositoryModule,
  TagsRepositoryModule,
  PostsRepositoryModule,
  ReceiversRepositoryModule,
} from '../repositories/repository.modules.js';
import { MediaModule } from '../media/media.module.js';
import { UsersModule } from '../users/users.module.js';
import { PostFanOut } from './post-fan-out.js';
import { PostViews } from './post-views.js';
import { PostsController } from './posts.controller.js';
import { PostsService } from './posts.service.js';
import { UploadSweeper } from './upload-sweeper.js';
import { UploadsController } from './uploads.controller.js';
import { UploadsService } from './uploads.service.js';

@Module({
  imports: [
    UsersModule,
    MediaModule,
    PostsRepositoryModule,
    LikesRepositoryModule,
    NotificationsRepositoryModule,
    TagsRepositoryModule,
    FollowsRepositoryModule,
    ReceiversRepositoryModule,
    CommentsRepositoryModule,
  ],
  controllers: [UploadsController, PostsController],
  providers: [PostsService, UploadsService, PostFanOut, PostViews, UploadSweeper],
  exports: [PostViews],
})
export class PostsModule {}
