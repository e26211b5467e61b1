import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import type { JsonLogger } from './common/logging/json-logger.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { BlobsModule } from './blobs/blobs.module.js';
import { LikesModule } from './likes/likes.module.js';
import { PostsModule } from './posts/posts.module.js';
import { FollowsModule } from './follows/follows.module.js';
import { HealthModule } from './health/health.module.js';
import { RepositoriesModule } from './repositories.module.js';
import { SecurityModule } from './security/security.module.js';
import { StoreModule } from './store/store.module.js';
import { TimelineModule } from './timeline/timeline.module.js';
import { UsersModule } from './users/users.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: JsonLogger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, logger),
        StoreModule,
        RepositoriesModule,
        SecurityModule,
        AuthModule,
        HealthModule,
        UsersModule,
        FollowsModule,
        BlobsModule.forRoot(config),
        PostsModule,
        LikesModule,
        TimelineModule,
      ],
    };
  }
}
