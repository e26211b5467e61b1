import { Module } from '@nestjs/common';
import {
  FollowsRepositoryModule,
  PostsRepositoryModule,
  ReceiversRepositoryModule,
} from '../repositories/repository.modules.js';
import { UsersModule } from '../users/users.module.js';
import { FollowsController } from './follows.controller.js';
import { FollowsService } from './follows.service.js';

@Module({
  imports: [UsersModule, FollowsRepositoryModule, PostsRepositoryModule, ReceiversRepositoryModule],
  controllers: [FollowsController],
  providers: [FollowsService],
})
export class FollowsModule {}
