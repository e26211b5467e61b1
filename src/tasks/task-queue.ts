import { createHash } from 'node:crypto';

/** The queues background work runs on (queue.yaml names the same ones for Cloud Tasks). */
export const QUEUES = [
  'fan-out',
  'cleanup',
  'backfill',
  'comment-cleanup',
  'approve-requests',
  'block',
  'search-index',
] as const;
export type QueueName = (typeof QUEUES)[number];

export type TaskPayload = Readonly<Record<string, unknown>>;

export interface TaskSpec {
  readonly queue: QueueName;
  /** Idempotency: a task with the key of one still pending is not stored again. */
  readonly key: string;
  readonly payload: TaskPayload;
  /** Run no sooner than this long after it is stored. */
  readonly delayMs?: number;
}

/** Runs one task; any follow-up tasks it returns are stored before it counts as done. Throws to be retried. */
export type TaskHandler = (payload: TaskPayload) => Promise<readonly TaskSpec[] | void>;

/** A task's stored name: its queue and a hash of its key, within Cloud Tasks' and Datastore's name rules. */
export function taskName(task: Pick<TaskSpec, 'queue' | 'key'>): string {
  return `${task.queue}-${createHash('sha256').update(task.key).digest('hex').slice(0, 40)}`;
}

/**
 * The tasks port: work that outlives a request. `enqueue` resolves once the tasks are stored (a request that
 * enqueues answers 2xx only then); they run at least once, retried with backoff until they succeed, so every handler
 * is idempotent. Cloud Tasks on App Engine, or a queue kept in the store and drained in this process.
 */
export abstract class TaskQueue {
  abstract enqueue(tasks: readonly TaskSpec[]): Promise<void>;
}
