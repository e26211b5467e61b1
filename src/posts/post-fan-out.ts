import { Injectable } from '@nestjs/common';
import { FollowsRepository } from '../repositories/follows.repository.js';
import { type PublishedPost, ReceiversRepository } from '../repositories/receivers.repository.js';

/** Who sees a post in their timeline: one receiver per follower batch of the author, plus the author's own. */
@Injectable()
export class PostFanOut {
  constructor(
    private readonly follows: FollowsRepository,
    private readonly receivers: ReceiversRepository,
  ) {}

  async deliver(post: PublishedPost): Promise<void> {
    const batches = await this.follows.followerBatches(post.author);
    await this.receivers.fanOut(post, batches);
  }

  withdraw(postId: string): Promise<void> {
    return this.receivers.removeFor(postId);
  }
}
