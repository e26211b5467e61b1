import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { LikesController } from './likes.controller.js';
import { LikesService } from './likes.service.js';

@Module({ imports: [UsersModule], controllers: [LikesController], providers: [LikesService] })
export class LikesModule {}
