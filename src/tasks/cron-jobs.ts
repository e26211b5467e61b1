import { Injectable } from '@nestjs/common';

/** Scheduled jobs: cron.yaml calls them on App Engine; in-process they keep their own timers. */
export const CRON_JOBS = ['sweep-uploads', 'rank-explore', 'search-index'] as const;
export type CronJobName = (typeof CRON_JOBS)[number];

@Injectable()
export class CronJobs {
  private readonly jobs = new Map<CronJobName, () => Promise<unknown>>();

  register(name: CronJobName, job: () => Promise<unknown>): void {
    this.jobs.set(name, job);
  }

  async run(name: CronJobName): Promise<void> {
    const job = this.jobs.get(name);
    if (!job) {
      throw new Error(`no cron job ${name}`);
    }
    await job();
  }
}
