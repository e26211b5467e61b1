import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  CommentsRepositoryModule,
  FollowsRepositoryModule,
  NotificationsRepositoryModule,
  PostsRepositoryModule,
  ReportsRepositoryModule,
} from '../repositories/repository.modules.js';
import { UsersModule } from '../users/users.module.js';
import { AccountStatus, SuspensionGuard } from './account-status.js';
import { BlocksController } from './blocks.controller.js';
import { BlocksService } from './blocks.service.js';
import { AdminController, ReportsController } from './reports.controller.js';
import { ReportsService } from './reports.service.js';

/** Keeping people safe: blocks, mutes, reports, and admins' suspensions (whose guard refuses a suspended user's writes). */
@Module({
  imports: [
    UsersModule,
    FollowsRepositoryModule,
    NotificationsRepositoryModule,
    PostsRepositoryModule,
    CommentsRepositoryModule,
    ReportsRepositoryModule,
  ],
  controllers: [BlocksController, ReportsController, AdminController],
  providers: [BlocksService, ReportsService, AccountStatus, { provide: APP_GUARD, useClass: SuspensionGuard }],
})
export class ModerationModule {}
