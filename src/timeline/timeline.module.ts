import { Module } from '@nestjs/common';
import { PostsModule } from '../posts/posts.module.js';
import { TimelineController } from './timeline.controller.js';
import { TimelineService } from './timeline.service.js';

@Module({ imports: [PostsModule], controllers: [TimelineController], providers: [TimelineService] })
export class TimelineModule {}
