import { type DynamicModule, Global, Module } from '@nestjs/common';
import { JsonLogger } from './json-logger.js';

/** Hands the process's one logger to every module. */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(logger: JsonLogger): DynamicModule {
    return { module: LoggingModule, providers: [{ provide: JsonLogger, useValue: logger }], exports: [JsonLogger] };
  }
}
