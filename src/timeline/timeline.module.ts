import { Module } from '@nestjs/common';
import { PostsModule } from '../posts/posts.module.js';
import {
  FollowsRepositoryModule,
  PostsRepositoryModule,
  ReceiversRepositoryModule,
} from '../repositories/repository.modules.js';
import { TimelineController } from './timeline.controller.js';
import { TimelineService } from './timeline.service.js';

@Module({
  imports: [PostsModule, ReceiversRepositoryModule, PostsRepositoryModule, FollowsRepositoryModule],
  controllers: [TimelineController],
  providers: [TimelineService],
})
export class TimelineModule {}
