import type { TaskSpec } from '../tasks/task-queue.js';

/** What a block ends: the follows both ways and the requests between the two (BlocksService runs it). */
export interface BlockTask {
  readonly blocker: string;
  readonly blocked: string;
  /** ISO 8601: when it was stored. */
  readonly requestedAt: string;
}

/** A block's clean-up starts this long after it is stored: by then the block itself has normally committed. */
const BLOCK_TASK_DELAY_MS = 1_000;
/** How long the clean-up waits for its block to commit before it decides the block failed. */
export const BLOCK_TASK_WAIT_MS = 5 * 60_000;

/**
 * The durable end of the follows between two users that a block stands between: stored before the block (and by a
 * follow that found itself racing one), so no failure or crash in between can leave a follow behind.
 */
export function blockTask(blocker: string, blocked: string): TaskSpec {
  const task: BlockTask = { blocker, blocked, requestedAt: new Date().toISOString() };
  return {
    queue: 'block',
    key: `${blocker}\n${blocked}\n${task.requestedAt}`,
    payload: { ...task },
    delayMs: BLOCK_TASK_DELAY_MS,
  };
}
