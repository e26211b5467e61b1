import { Module } from '@nestjs/common';
import { RelationsModule } from '../relations/relations.module.js';
import {
  FollowsRepositoryModule,
  PostsRepositoryModule,
  UsersRepositoryModule,
} from '../repositories/repository.modules.js';
import { MediaModule } from '../media/media.module.js';
import { UserPresenter } from './user.presenter.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [UsersRepositoryModule, RelationsModule, FollowsRepositoryModule, PostsRepositoryModule, MediaModule],
  controllers: [UsersController],
  providers: [UsersService, UserPresenter],
  exports: [UsersService, UserPresenter, UsersRepositoryModule, RelationsModule],
})
export class UsersModule {}
