import { TaskHandlers } from '../../src/tasks/task-handlers.js';
import { TaskQueue, type TaskSpec } from '../../src/tasks/task-queue.js';

/**
 * A queue for unit tests that runs each task (and its follow-ups) before enqueue resolves, noting each one; a task
 * with a delay waits for `runDelayed`.
 */
export class InlineTaskQueue extends TaskQueue {
  readonly handlers = new TaskHandlers();
  readonly ran: string[] = [];
  private delayed: TaskSpec[] = [];

  async runDelayed(): Promise<void> {
    const due = this.delayed.splice(0);
    await this.enqueue(due.map((task) => ({ ...task, delayMs: undefined })));
  }

  async enqueue(tasks: readonly TaskSpec[]): Promise<void> {
    for (const task of tasks) {
      if (task.delayMs) {
        this.delayed.push(task);
        continue;
      }
      this.ran.push(`${task.queue}(${JSON.stringify(task.payload)})`);
      const followUps = await this.handlers.run(task.queue, task.payload);
      if (followUps && followUps.length > 0) {
        await this.enqueue(followUps);
      }
    }
  }
}
