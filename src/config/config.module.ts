import { type DynamicModule, Global, Module } from '@nestjs/common';
import { JsonLogger } from '../common/logging/json-logger.js';
import { AppConfig } from './app-config.js';

/** Hands the validated AppConfig and the process's logger to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, logger: JsonLogger): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: JsonLogger, useValue: logger },
      ],
      exports: [AppConfig, JsonLogger],
    };
  }
}
