import { Injectable, type OnModuleInit } from '@nestjs/common';
import { FollowsRepository } from '../repositories/follows.repository.js';
import { PostsRepository } from '../repositories/posts.repository.js';
import { type PublishedPost, ReceiversRepository } from '../repositories/receivers.repository.js';
import { TaskHandlers } from '../tasks/task-handlers.js';
import { TaskQueue, type TaskSpec } from '../tasks/task-queue.js';

/** One step of a post's fan-out: the page of follower batches from `cursor` on. */
interface FanOutStep {
  readonly postId: string;
  readonly author: string;
  readonly createdAt: string;
  readonly step: number;
  readonly cursor?: string;
}

const stepTask = (step: FanOutStep): TaskSpec => ({
  queue: 'fan-out',
  key: `${step.postId}\n${step.step}`,
  payload: { ...step },
});

/**
 * Who sees a post in their timeline: the author at once, then each follower batch of the author, copied into one
 * receiver per batch by a chain of `fan-out` tasks, a page of batches (up to 25,000 followers) per task. A publish
 * stores the post, the author's receiver and the first task, and answers: its time does not grow with the followers.
 */
@Injectable()
export class PostFanOut implements OnModuleInit {
  constructor(
    private readonly follows: FollowsRepository,
    private readonly receivers: ReceiversRepository,
    private readonly posts: PostsRepository,
    private readonly tasks: TaskQueue,
    private readonly handlers: TaskHandlers,
  ) {}

  onModuleInit(): void {
    this.handlers.register('fan-out', (payload) => this.runStep(payload as unknown as FanOutStep));
  }

  /** The author's receiver and the first step; a retried publish enqueues nothing twice while it is pending. */
  async deliver(post: PublishedPost): Promise<void> {
    const first = { postId: post.id, author: post.author, createdAt: post.createdAt.toISOString(), step: 0 };
    await Promise.all([this.receivers.deliverToAuthor(post), this.tasks.enqueue([stepTask(first)])]);
  }

  withdraw(postId: string): Promise<void> {
    return this.receivers.removeFor(postId);
  }

  /** Writes one page of receivers and returns the next step, if any; stops when the post was deleted meanwhile. */
  private async runStep(step: FanOutStep): Promise<TaskSpec[]> {
    const [page, post] = await Promise.all([
      this.follows.followerBatchesPage(step.author, step.cursor),
      this.posts.find(step.postId),
    ]);
    if (!post) {
      return [];
    }
    await this.receivers.fanOut(
      { id: step.postId, author: step.author, createdAt: new Date(step.createdAt) },
      page.batches,
    );
    // A clean-up that ran between the check and the write would leave this page's receivers: remove them again.
    if (!(await this.posts.find(step.postId))) {
      await this.receivers.removeFor(step.postId);
      return [];
    }
    return page.cursor === undefined ? [] : [stepTask({ ...step, step: step.step + 1, cursor: page.cursor })];
  }
}
