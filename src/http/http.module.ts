import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ProblemFilter } from './problem.filter.js';
import { RequestValidationPipe } from './validation.pipe.js';

/** The HTTP edge every route shares: one validation pipe, and one filter that answers every error. */
@Module({
  providers: [
    ProblemFilter,
    { provide: APP_FILTER, useExisting: ProblemFilter },
    { provide: APP_PIPE, useClass: RequestValidationPipe },
  ],
  exports: [ProblemFilter],
})
export class HttpModule {}
