import { TaskHandlers } from '../../src/tasks/task-handlers.js';
import { TaskQueue, type TaskSpec } from '../../src/tasks/task-queue.js';

/** A queue for unit tests that runs each task (and its follow-ups) before enqueue resolves, noting each one. */
export class InlineTaskQueue extends TaskQueue {
  readonly handlers = new TaskHandlers();
  readonly ran: string[] = [];

  async enqueue(tasks: readonly TaskSpec[]): Promise<void> {
    for (const task of tasks) {
      this.ran.push(`${task.queue}(${JSON.stringify(task.payload)})`);
      const followUps = await this.handlers.run(task.queue, task.payload);
      if (followUps && followUps.length > 0) {
        await this.enqueue(followUps);
      }
    }
  }
}
