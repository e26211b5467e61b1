import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { JsonLogger } from '../common/logging/json-logger.js';
import { AppConfig } from '../config/app-config.js';
import { Store } from '../store/store.js';
import { CloudTaskQueue } from './cloud-task-queue.js';
import { CronJobs } from './cron-jobs.js';
import { StoreTaskQueue } from './store-task-queue.js';
import { TaskHandlers } from './task-handlers.js';
import { TaskQueue } from './task-queue.js';
import { TasksController } from './tasks.controller.js';

/**
 * Binds the tasks port: Cloud Tasks with TASK_QUEUE=cloudtasks (App Engine), else the queue in the store drained
 * here, started once every module has registered its handlers and stopped before the store closes.
 */
@Global()
@Module({})
export class TasksModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(TaskQueue) private readonly queue: TaskQueue) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: TasksModule,
      controllers: [TasksController],
      providers: [
        TaskHandlers,
        CronJobs,
        {
          provide: TaskQueue,
          inject: [Store, TaskHandlers, JsonLogger],
          useFactory: (store: Store, handlers: TaskHandlers, logger: JsonLogger): TaskQueue =>
            config.taskQueue === 'cloudtasks'
              ? new CloudTaskQueue({ project: config.googleCloudProject!, location: config.cloudTasksLocation! })
              : new StoreTaskQueue(store, handlers, logger),
        },
      ],
      exports: [TaskQueue, TaskHandlers, CronJobs],
    };
  }

  onApplicationBootstrap(): void {
    if (this.queue instanceof StoreTaskQueue) {
      this.queue.start();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.queue instanceof StoreTaskQueue) {
      await this.queue.stop();
    }
  }
}
