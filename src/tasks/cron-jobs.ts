import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { JsonLogger } from '../common/logging/json-logger.js';
import { AppConfig } from '../config/app-config.js';

/** Scheduled jobs: cron.yaml calls them on App Engine; in-process they keep their own timers. */
export const CRON_JOBS = ['sweep-uploads', 'rank-explore', 'search-index'] as const;
export type CronJobName = (typeof CRON_JOBS)[number];

/** When a job runs on one machine: this long after start, then at this interval (cron.yaml's, on App Engine). */
export interface CronTiming {
  readonly firstAfterMs: number;
  readonly everyMs: number;
}

@Injectable()
export class CronJobs implements OnApplicationShutdown {
  private readonly jobs = new Map<CronJobName, () => Promise<unknown>>();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly logger: JsonLogger,
  ) {}

  /**
   * Registers a job for cron.yaml's calls; with the in-process queue (one machine, no App Engine cron) it also runs
   * on its own timer, where a failed run is logged and the next one tries again.
   */
  schedule(name: CronJobName, job: () => Promise<unknown>, timing: CronTiming): void {
    this.jobs.set(name, job);
    if (this.config.taskQueue === 'inprocess') {
      const run = (): void =>
        void job().catch((error: unknown) =>
          this.logger.entry('WARNING', `cron job ${name} failed, retrying at its next run: ${String(error)}`),
        );
      this.timers.push(setTimeout(run, timing.firstAfterMs).unref(), setInterval(run, timing.everyMs).unref());
    }
  }

  async run(name: CronJobName): Promise<void> {
    const job = this.jobs.get(name);
    if (!job) {
      throw new Error(`no cron job ${name}`);
    }
    await job();
  }

  onApplicationShutdown(): void {
    this.timers.forEach(clearTimeout);
  }
}
