import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import { BlobsModule } from './blobs/blobs.module.js';
import type { JsonLogger } from './common/logging/json-logger.js';
import { ModerationModule } from './moderation/moderation.module.js';
import { LoggingModule } from './common/logging/logging.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { FollowsModule } from './follows/follows.module.js';
import { HealthModule } from './health/health.module.js';
import { HttpModule } from './http/http.module.js';
import { CommentsModule } from './comments/comments.module.js';
import { DiscoveryModule } from './discovery/discovery.module.js';
import { LikesModule } from './likes/likes.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { PostsModule } from './posts/posts.module.js';
import { SecurityModule } from './security/security.module.js';
import { StoreModule } from './store/store.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { TimelineModule } from './timeline/timeline.module.js';
import { UsersModule } from './users/users.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: JsonLogger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(logger),
        StoreModule,
        BlobsModule.forRoot(config),
        TasksModule.forRoot(config),
        HttpModule,
        // Global guards run in the order of their modules here: who the caller is, then their rate limit, then
        // whether their account is suspended (ModerationModule).
        AuthModule.forRoot(config),
        SecurityModule,
        ModerationModule,
        HealthModule,
        UsersModule,
        FollowsModule,
        PostsModule,
        LikesModule,
        CommentsModule,
        TimelineModule,
        NotificationsModule,
        DiscoveryModule,
      ],
    };
  }
}
