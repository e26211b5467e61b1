import type { TaskSpec } from '../tasks/task-queue.js';

/** An account that went public: its pending follow requests become follows (FollowsService runs it). */
export interface ApproveRequestsTask {
  readonly owner: string;
}

/** The task that approves every pending follow request to `owner`; each going public stores its own. */
export function approveRequestsTask(owner: string): TaskSpec {
  const task: ApproveRequestsTask = { owner };
  return { queue: 'approve-requests', key: `${owner}@${Date.now()}`, payload: { ...task } };
}
