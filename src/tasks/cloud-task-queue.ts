import type { CloudTasksClient } from '@google-cloud/tasks';
import { TaskQueue, type TaskSpec, taskName } from './task-queue.js';

export interface CloudTaskQueueOptions {
  readonly project: string;
  readonly location: string;
  /** The client; a CloudTasksClient with application default credentials when absent. */
  readonly client?: Pick<CloudTasksClient, 'createTask'>;
}

/** The path App Engine posts a queue's tasks to (see TasksController). */
export const taskPath = (queue: string): string => `/_internal/tasks/${queue}`;

/** gRPC ALREADY_EXISTS: a task of that name is queued (or ran within the last hour). */
const ALREADY_EXISTS = 6;

/**
 * The tasks port on Cloud Tasks: App Engine HTTP targets on the queues of queue.yaml (retries and rates are set
 * there), each task named from its key so Cloud Tasks itself refuses a duplicate.
 */
export class CloudTaskQueue extends TaskQueue {
  private client?: Pick<CloudTasksClient, 'createTask'>;

  constructor(private readonly options: CloudTaskQueueOptions) {
    super();
    this.client = options.client;
  }

  async enqueue(tasks: readonly TaskSpec[]): Promise<void> {
    const client = await this.connect();
    await Promise.all(
      tasks.map(async (task) => {
        const request = this.request(task);
        try {
          await client.createTask(request);
        } catch (error) {
          if ((error as { code?: unknown }).code !== ALREADY_EXISTS) {
            throw error;
          }
        }
      }),
    );
  }

  /** What createTask is sent for a task. */
  request(task: TaskSpec) {
    const { project, location } = this.options;
    const parent = `projects/${project}/locations/${location}/queues/${task.queue}`;
    return {
      parent,
      task: {
        name: `${parent}/tasks/${taskName(task)}`,
        appEngineHttpRequest: {
          httpMethod: 'POST' as const,
          relativeUri: taskPath(task.queue),
          headers: { 'Content-Type': 'application/json' },
          body: Buffer.from(JSON.stringify(task.payload)).toString('base64'),
        },
        ...(task.delayMs ? { scheduleTime: { seconds: Math.ceil((Date.now() + task.delayMs) / 1000) } } : {}),
      },
    };
  }

  private async connect(): Promise<Pick<CloudTasksClient, 'createTask'>> {
    // Loaded only when used, like the Datastore client.
    this.client ??= new (await import('@google-cloud/tasks')).CloudTasksClient();
    return this.client;
  }
}
