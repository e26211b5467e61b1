import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { JsonLogger } from '../common/logging/json-logger.js';
import { FollowsRepository } from '../repositories/follows.repository.js';
import { followerTier, UsersRepository } from '../repositories/users.repository.js';
import { CronJobs } from '../tasks/cron-jobs.js';
import { TaskHandlers } from '../tasks/task-handlers.js';
import { TaskQueue, type TaskSpec } from '../tasks/task-queue.js';

/** The terms' version: raise it when userSearchTerms changes and every user is walked again. */
export const SEARCH_INDEX_VERSION = 1;
const USERS_PER_TASK = 100;
const FIRST_RUN_AFTER_MS = 10_000;
const RUN_EVERY_MS = 60 * 60_000;

interface SearchIndexTask {
  version: number;
  cursor?: string;
}

/**
 * Gives users stored before search (or before the terms' current version) their search terms and tier: a chain of
 * tasks, each a page of users in key order, writing only those that lack them, until a state entity says the walk
 * is done. The `search-index` cron job (hourly) starts it while it is not; on one machine a timer does.
 */
@Injectable()
export class SearchIndexer implements OnApplicationBootstrap {
  constructor(
    private readonly users: UsersRepository,
    private readonly follows: FollowsRepository,
    private readonly queue: TaskQueue,
    private readonly handlers: TaskHandlers,
    private readonly cron: CronJobs,
    private readonly logger: JsonLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.handlers.register('search-index', (payload) => this.indexPage(payload as unknown as SearchIndexTask));
    this.cron.schedule('search-index', () => this.start(), { firstAfterMs: FIRST_RUN_AFTER_MS, everyMs: RUN_EVERY_MS });
  }

  /** Queues the walk's first page unless it is done (one lookup); a walk already queued is not queued twice. */
  async start(): Promise<void> {
    if (await this.users.searchIndexDone(SEARCH_INDEX_VERSION)) {
      return;
    }
    await this.queue.enqueue([pageTask({ version: SEARCH_INDEX_VERSION })]);
  }

  /** One page: the users lacking terms get them with the tier of their exact follower count; then the next page. */
  async indexPage(task: SearchIndexTask): Promise<TaskSpec[]> {
    if (task.version !== SEARCH_INDEX_VERSION) {
      return [];
    }
    const page = await this.users.unindexedPage(USERS_PER_TASK, task.cursor);
    if (page.ids.length > 0) {
      const counts = await this.follows.followerCounts(page.ids);
      for (const id of page.ids) {
        await this.users.index(id, followerTier(counts.get(id) ?? 0));
      }
    }
    if (page.cursor === undefined) {
      await this.users.markSearchIndexDone(SEARCH_INDEX_VERSION);
      this.logger.log('search index walk done', { version: SEARCH_INDEX_VERSION });
      return [];
    }
    return [pageTask({ version: SEARCH_INDEX_VERSION, cursor: page.cursor })];
  }
}

function pageTask(task: SearchIndexTask): TaskSpec {
  return { queue: 'search-index', key: `search-index:${task.version}:${task.cursor ?? 'start'}`, payload: { ...task } };
}
