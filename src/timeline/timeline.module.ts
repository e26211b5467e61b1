import { Module } from '@nestjs/common';
import { PostsModule } from '../posts/posts.module.js';
import { RelationsModule } from '../relations/relations.module.js';
import { PostsRepositoryModule, ReceiversRepositoryModule } from '../repositories/repository.modules.js';
import { TimelineController } from './timeline.controller.js';
import { TimelineService } from './timeline.service.js';

@Module({
  imports: [PostsModule, RelationsModule, ReceiversRepositoryModule, PostsRepositoryModule],
  controllers: [TimelineController],
  providers: [TimelineService],
})
export class TimelineModule {}
