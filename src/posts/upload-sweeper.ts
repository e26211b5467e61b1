import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { BlobStore } from '../blobs/blob-store.js';
import { JsonLogger } from '../common/logging/json-logger.js';
import { variantNamesOf } from '../keys/media.keys.js';
import { PostsRepository, UPLOAD_LIFETIME_MS } from '../repositories/posts.repository.js';
import { CronJobs } from '../tasks/cron-jobs.js';

const SWEEP_EVERY_MS = 60 * 60 * 1000;
const FIRST_SWEEP_AFTER_MS = 60 * 1000;
/** Uploads removed per commit, and commits per sweep: a sweep's work is bounded, the next one goes on. */
const PAGE = 100;
const PAGES_PER_SWEEP = 50;
const STALE_FILES = 1_000;

export interface SweepResult {
  readonly records: number;
  readonly files: number;
}

/**
 * Removes uploads nobody published within a day: their records, originals and variants, and in the local blob folder any
 * file under uploads/ older than that (Cloud Storage does the same by the bucket's lifecycle rule).
 */
@Injectable()
export class UploadSweeper implements OnApplicationBootstrap {
  private running?: Promise<SweepResult>;

  constructor(
    private readonly posts: PostsRepository,
    private readonly blobs: BlobStore,
    private readonly logger: JsonLogger,
    private readonly cron: CronJobs,
  ) {}

  onApplicationBootstrap(): void {
    this.cron.schedule('sweep-uploads', () => this.sweepLogged(), {
      firstAfterMs: FIRST_SWEEP_AFTER_MS,
      everyMs: SWEEP_EVERY_MS,
    });
  }

  /** One sweep at a time per process; a call during a sweep gets that sweep's result. */
  sweep(now = new Date()): Promise<SweepResult> {
    this.running ??= this.sweepOnce(now).finally(() => (this.running = undefined));
    return this.running;
  }

  /** A sweep that says what it removed, if anything. */
  private async sweepLogged(): Promise<SweepResult> {
    const result = await this.sweep();
    if (result.records + result.files > 0) {
      this.logger.log(`upload sweep: removed ${result.records} expired uploads and ${result.files} stale upload files`);
    }
    return result;
  }

  private async sweepOnce(now: Date): Promise<SweepResult> {
    let records = 0;
    for (let page = 0; page < PAGES_PER_SWEEP; page++) {
      const expired = await this.posts.expiredUploads(now, PAGE);
      // Objects first: a record left without its object is swept again, an object without its record never would be.
      // With the original go any variants a publish or avatar change wrote before it failed.
      await Promise.all(
        expired.flatMap((upload) => [
          this.blobs.delete(upload.objectName),
          ...variantNamesOf(upload.owner, upload.id).map((name) => this.blobs.deleteMedia(name)),
        ]),
      );
      records +=
        expired.length === 0
          ? 0
          : await this.posts.removeExpiredUploads(
              expired.map((u) => u.id),
              now,
            );
      if (expired.length < PAGE) {
        break;
      }
    }
    const stale = await this.blobs.listStale('uploads/', new Date(now.getTime() - UPLOAD_LIFETIME_MS), STALE_FILES);
    // Posts published before images were copied under media/ still show their upload object: those stay.
    const served = await this.posts.servedObjects(stale.map((name) => name.split('/').at(-1)!));
    const unused = stale.filter((name) => !served.has(name));
    await Promise.all(unused.map((name) => this.blobs.delete(name)));
    return { records, files: unused.length };
  }
}
