import { Injectable } from '@nestjs/common';
import type { QueueName, TaskHandler, TaskPayload, TaskSpec } from './task-queue.js';

/** Who runs each queue's tasks: feature modules register their handlers at start-up. */
@Injectable()
export class TaskHandlers {
  private readonly handlers = new Map<QueueName, TaskHandler>();

  register(queue: QueueName, handler: TaskHandler): void {
    if (this.handlers.has(queue)) {
      throw new Error(`queue ${queue} has a handler already`);
    }
    this.handlers.set(queue, handler);
  }

  /** Runs a task of `queue`: throws for a queue nobody handles (a task stored by another version stays queued). */
  run(queue: string, payload: TaskPayload): Promise<readonly TaskSpec[] | void> {
    const handler = this.handlers.get(queue as QueueName);
    if (!handler) {
      throw new Error(`no handler for queue ${queue}`);
    }
    return handler(payload);
  }
}
