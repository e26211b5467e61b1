import type { JsonLogger } from '../common/logging/json-logger.js';
import { EntityExistsError } from '../store/store.errors.js';
import { Store } from '../store/store.js';
import type { Entity, Key } from '../store/store.types.js';
import type { TaskHandlers } from './task-handlers.js';
import { TaskQueue, type TaskSpec, taskName } from './task-queue.js';

export const TASK_KIND = 'Task';

type TaskData = { queue: string; payload: string; dueAt: Date; attempts: number };

export interface StoreTaskQueueOptions {
  /** Tasks run at once. */
  readonly concurrency?: number;
  /** How often the store is asked for due tasks when nothing woke the queue. */
  readonly pollMs?: number;
  /** Backoff of the first retry; it doubles per attempt up to `maxBackoffMs`. */
  readonly firstBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

const taskKey = (name: string): Key => ({ kind: TASK_KIND, name });
const DUE_PAGE = 20;

/**
 * The queue kept in the store (the embedded one on one machine, or Datastore) and drained in this process: a task is
 * an entity, stored before `enqueue` resolves, so one enqueued before a kill -9 runs after the restart. Due tasks are
 * found by a bounded query on `dueAt`; a failed one is retried with exponential backoff, never dropped; a finished
 * one is deleted after its follow-ups are stored. Several processes on one Datastore may each run a task (handlers
 * are idempotent); App Engine uses Cloud Tasks instead.
 */
export class StoreTaskQueue extends TaskQueue {
  private readonly running = new Map<string, Promise<void>>();
  private readonly settings: Required<StoreTaskQueueOptions>;
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;
  private stopped = true;
  private readonly idleWaiters: (() => void)[] = [];
  /** Names of tasks that finished while a query for due tasks was out: its answer may still list them. */
  private readonly finishedDuring = new Set<Set<string>>();
  /** Tasks whose retry could not be stored: left alone here until then, so a failing store is not hammered. */
  private readonly heldUntil = new Map<string, number>();
  /** Resolves the drain's wait for a free slot early when new tasks arrive. */
  private arrived?: () => void;
  /** Counts wakes during a drain: one that came while a query was out is not lost to the wait after it. */
  private wakes = 0;

  constructor(
    private readonly store: Store,
    private readonly handlers: TaskHandlers,
    private readonly logger: Pick<JsonLogger, 'entry'>,
    options: StoreTaskQueueOptions = {},
  ) {
    super();
    this.settings = { concurrency: 4, pollMs: 1_000, firstBackoffMs: 500, maxBackoffMs: 5 * 60_000, ...options };
  }

  async enqueue(tasks: readonly TaskSpec[]): Promise<void> {
    const entities = tasks.map((task) =>
      taskEntity(
        taskName(task),
        task.queue,
        JSON.stringify(task.payload),
        0,
        new Date(Date.now() + (task.delayMs ?? 0)),
      ),
    );
    try {
      await this.store.insert(entities);
    } catch (error) {
      if (!(error instanceof EntityExistsError)) {
        throw error;
      }
      // Some are pending already (idempotent by key): store the others one by one.
      await Promise.all(entities.map((entity) => this.store.insert([entity]).catch(ignoreExisting)));
    }
    this.wake();
  }

  /** Starts draining: what is due now (tasks left by an earlier process too), then as tasks arrive. */
  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Stops taking tasks and waits for the running ones. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.draining;
    await Promise.allSettled(this.running.values());
  }

  /** Resolves once no task is stored or running, retries included (tests wait for their background work). */
  async idle(): Promise<void> {
    for (;;) {
      await this.draining;
      await Promise.allSettled(this.running.values());
      const left = await this.store.query({ kind: TASK_KIND, limit: 1, keysOnly: true });
      if (left.entities.length === 0 && this.running.size === 0) {
        return;
      }
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  private wake(): void {
    if (this.stopped) {
      return;
    }
    if (this.draining) {
      this.again = true;
      this.wakes++;
      this.arrived?.();
      return;
    }
    clearTimeout(this.timer);
    this.draining = this.drain()
      .catch((error: unknown) => this.logger.entry('WARNING', `task queue: reading due tasks failed: ${String(error)}`))
      .finally(() => {
        this.draining = undefined;
        const wakeAgain = this.again;
        this.again = false;
        this.idleWaiters.splice(0).forEach((resolve) => resolve());
        if (wakeAgain) {
          this.wake();
        } else if (!this.stopped) {
          this.timer = setTimeout(() => this.wake(), this.settings.pollMs).unref();
        }
      });
  }

  /** Runs due tasks until none is left that is not already running. */
  private async drain(): Promise<void> {
    for (;;) {
      const free = this.settings.concurrency - this.running.size;
      const wakes = this.wakes;
      const due = free > 0 ? await this.dueNotRunning() : [];
      if (this.stopped || due.length === 0) {
        if (this.wakes !== wakes && !this.stopped) {
          // Tasks arrived while the query was out, perhaps too late for its answer: look again.
          continue;
        }
        if (this.running.size > 0 && !this.stopped) {
          // Look again once one finishes (its follow-ups may be due) or new tasks arrive.
          await this.nextChange();
          continue;
        }
        return;
      }
      for (const task of due.slice(0, free)) {
        const name = task.key.name;
        const run = this.run(task).finally(() => {
          this.running.delete(name);
          this.finishedDuring.forEach((finished) => finished.add(name));
        });
        this.running.set(name, run);
      }
      if (this.running.size >= this.settings.concurrency) {
        await Promise.race(this.running.values());
      }
    }
  }

  /** Due tasks, less those running, held back, or finished (and deleted) while the query was out. */
  private async dueNotRunning(): Promise<Entity<TaskData>[]> {
    const finished = new Set<string>();
    this.finishedDuring.add(finished);
    try {
      const due = await this.due(DUE_PAGE);
      const now = Date.now();
      return due.filter(({ key: { name } }) => {
        const held = this.heldUntil.get(name);
        if (held !== undefined && held <= now) {
          this.heldUntil.delete(name);
        }
        return !this.running.has(name) && !finished.has(name) && !(held !== undefined && held > now);
      });
    } finally {
      this.finishedDuring.delete(finished);
    }
  }

  private nextChange(): Promise<unknown> {
    return Promise.race([
      ...this.running.values(),
      new Promise<void>((resolve) => (this.arrived = resolve)).finally(() => (this.arrived = undefined)),
    ]);
  }

  private async due(limit: number): Promise<Entity<TaskData>[]> {
    const result = await this.store.query<TaskData>({
      kind: TASK_KIND,
      filters: [{ property: 'dueAt', op: '<=', value: new Date() }],
      orders: [{ property: 'dueAt', direction: 'asc' }],
      limit,
    });
    return result.entities;
  }

  private async run(task: Entity<TaskData>): Promise<void> {
    const { queue, payload, attempts } = task.data;
    try {
      const followUps = await this.handlers.run(queue, JSON.parse(payload) as Record<string, unknown>);
      if (followUps && followUps.length > 0) {
        await this.enqueue(followUps);
      }
      await this.store.delete([task.key]);
    } catch (error) {
      const backoff = Math.min(this.settings.firstBackoffMs * 2 ** attempts, this.settings.maxBackoffMs);
      this.logger.entry(
        'WARNING',
        `task ${task.key.name} (${queue}) failed on attempt ${attempts + 1}, retrying in ${backoff} ms: ${String(error)}`,
      );
      const retry = taskEntity(task.key.name, queue, payload, attempts + 1, new Date(Date.now() + backoff));
      await this.store.upsert([retry]).catch((stored: unknown) => {
        // Left as it was (due at once): this process holds it back for the backoff all the same.
        this.heldUntil.set(task.key.name, Date.now() + backoff);
        this.logger.entry('WARNING', `task ${task.key.name}: could not store its retry: ${String(stored)}`);
      });
    }
  }
}

function taskEntity(name: string, queue: string, payload: string, attempts: number, dueAt = new Date()): Entity {
  const data: TaskData = { queue, payload, dueAt, attempts };
  return { key: taskKey(name), data, excludeFromIndexes: ['queue', 'payload', 'attempts'] };
}

function ignoreExisting(error: unknown): void {
  if (!(error instanceof EntityExistsError)) {
    throw error;
  }
}
