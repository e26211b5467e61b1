import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { PostsController } from './posts.controller.js';
import { PostsService } from './posts.service.js';
import { UploadSweeper } from './upload-sweeper.js';

@Module({
  imports: [UsersModule],
  controllers: [PostsController],
  providers: [PostsService, UploadSweeper],
  exports: [PostsService],
})
export class PostsModule {}
