import { type DynamicModule, Module } from '@nestjs/common';
import type { JsonLogger } from './common/logging/json-logger.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { HealthModule } from './health/health.module.js';
import { StoreModule } from './store/store.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: JsonLogger): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config, logger), StoreModule, HealthModule],
    };
  }
}
