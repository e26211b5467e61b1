import { Module } from '@nestjs/common';
import { LikesRepositoryModule, PostsRepositoryModule } from '../repositories/repository.modules.js';
import { UsersModule } from '../users/users.module.js';
import { LikesController } from './likes.controller.js';
import { LikesService } from './likes.service.js';

@Module({
  imports: [UsersModule, LikesRepositoryModule, PostsRepositoryModule],
  controllers: [LikesController],
  providers: [LikesService],
})
export class LikesModule {}
