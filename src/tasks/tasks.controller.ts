import { Body, Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DomainError, ErrorCode } from '../common/errors.js';
import { Public } from '../common/public.decorator.js';
import { AppConfig } from '../config/app-config.js';
import { CRON_JOBS, CronJobs, type CronJobName } from './cron-jobs.js';
import { TaskHandlers } from './task-handlers.js';
import { QUEUES, type QueueName, TaskQueue } from './task-queue.js';

const internalOnly = (): DomainError =>
  new DomainError(ErrorCode.InternalOnly, 'only App Engine (Cloud Tasks and cron) calls this');

/**
 * Where App Engine delivers Cloud Tasks and cron requests. App Engine strips `X-AppEngine-QueueName` and
 * `X-Appengine-Cron` from requests that come from outside, so their presence proves the caller; without Cloud Tasks
 * (the in-process queue runs its tasks itself, and nothing strips headers on one machine) every call is refused.
 * Not in the public API (no OpenAPI entry, no token).
 */
@ApiExcludeController()
@Public()
@Controller('_internal')
export class TasksController {
  constructor(
    private readonly handlers: TaskHandlers,
    private readonly queue: TaskQueue,
    private readonly cron: CronJobs,
    private readonly config: AppConfig,
  ) {}

  /** Only App Engine strips these headers from outside requests, and only Cloud Tasks sends tasks here. */
  private fromAppEngine(): boolean {
    return this.config.taskQueue === 'cloudtasks' && this.config.onAppEngine;
  }

  @Post('tasks/:queue')
  @HttpCode(200)
  async runTask(
    @Param('queue') queue: string,
    @Headers('x-appengine-queuename') queueHeader: string | undefined,
    @Body() payload: Record<string, unknown>,
  ): Promise<{ done: true }> {
    if (!this.fromAppEngine() || queueHeader !== queue) {
      throw internalOnly();
    }
    if (!QUEUES.includes(queue as QueueName)) {
      throw new DomainError(ErrorCode.RouteNotFound, `no queue ${queue}`);
    }
    // A throw answers 5xx, and Cloud Tasks retries with the backoff of queue.yaml.
    const followUps = await this.handlers.run(queue, payload);
    if (followUps && followUps.length > 0) {
      await this.queue.enqueue(followUps);
    }
    return { done: true };
  }

  @Get('cron/:job')
  async runCron(
    @Param('job') job: string,
    @Headers('x-appengine-cron') cronHeader: string | undefined,
  ): Promise<{ done: true }> {
    if (!this.fromAppEngine() || cronHeader !== 'true') {
      throw internalOnly();
    }
    if (!CRON_JOBS.includes(job as CronJobName)) {
      throw new DomainError(ErrorCode.RouteNotFound, `no cron job ${job}`);
    }
    await this.cron.run(job as CronJobName);
    return { done: true };
  }
}
