import { Worker } from 'node:worker_threads';
import type { CompositeIndex } from '../index-definitions.js';
import { StoreUnavailableError } from '../store.errors.js';
import { damaged, isDamage } from './sqlite-database.js';
import type { CommitOutcome, CommitRequest, SqliteWriter } from './sqlite-writer.js';

/** Where commits are applied: in this thread (the in-memory store) or in the writer thread. */
export interface CommitChannel {
  commit(group: readonly CommitRequest[]): Promise<CommitOutcome[]>;
  close(): Promise<void>;
  /** Set once the channel can commit nothing more (its thread died). */
  readonly failed?: Error;
}

export class InThreadChannel implements CommitChannel {
  constructor(private readonly writer: SqliteWriter) {}

  commit(group: readonly CommitRequest[]): Promise<CommitOutcome[]> {
    return new Promise((resolve) => resolve(this.writer.commit(group)));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

type Reply =
  | { id: number; outcomes: CommitOutcome[] }
  | { id: number; failure: { message: string; damage: boolean } }
  | { ready: true }
  | { closed: true };

/**
 * Run from the TypeScript sources (tests), a thread or process resolves `./x.js` imports to `./x.ts`, as the build
 * does: pass `--experimental-transform-types --import` this.
 */
export const SOURCE_HOOKS = `data:text/javascript,${encodeURIComponent(`
import { registerHooks } from 'node:module';
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !/^[.][.]?[/].*[.]js$/.test(specifier)) throw error;
      return nextResolve(specifier.slice(0, -3) + '.ts', context);
    }
  },
});`)}`;

/** The node arguments that run a module script (`-e`) of TypeScript sources in a child process, as the tests do. */
export function sourceScriptArgs(script: string): string[] {
  return [
    '--experimental-transform-types',
    '--disable-warning=ExperimentalWarning',
    '--import',
    SOURCE_HOOKS,
    '--input-type=module',
    '-e',
    script,
  ];
}

/**
 * The writer thread: SQLite's work and its syncs for every commit run beside the event loop, on their own
 * connection. A commit is answered once that thread's transaction is durable; readers on the other connection
 * see it only then.
 */
export class WorkerChannel implements CommitChannel {
  private readonly waiting = new Map<number, { resolve: (o: CommitOutcome[]) => void; reject: (e: Error) => void }>();
  private next = 0;
  failed?: Error;
  private closing?: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    private readonly path: string,
  ) {
    worker.on('message', (reply: Reply) => this.receive(reply));
    worker.on('error', (error: Error) =>
      this.fail(new StoreUnavailableError(`the embedded store's writer failed: ${error.message}`)),
    );
    worker.on('exit', () => this.fail(new StoreUnavailableError("the embedded store's writer has stopped")));
    worker.on('messageerror', (error) =>
      this.fail(new StoreUnavailableError(`the embedded store's writer: ${error.message}`)),
    );
  }

  static start(path: string, fsync: boolean, definitions: readonly CompositeIndex[]): Promise<WorkerChannel> {
    const fromSources = import.meta.url.endsWith('.ts');
    const entry = new URL(`./sqlite-writer.worker.${fromSources ? 'ts' : 'js'}`, import.meta.url);
    const worker = new Worker(entry, {
      workerData: { path, fsync, definitions },
      // The same small young generation as the main thread (`npm start`): RSS stays near the live heap.
      resourceLimits: { maxYoungGenerationSizeMb: 12 },
      execArgv: fromSources
        ? ['--experimental-transform-types', '--disable-warning=ExperimentalWarning', '--import', SOURCE_HOOKS]
        : [],
    });
    return new Promise((resolve, reject) => {
      const started = (reply: Reply) => {
        if ('ready' in reply) {
          worker.off('error', refused);
          worker.off('exit', exited);
          resolve(new WorkerChannel(worker, path));
        }
      };
      const refused = (error: Error) =>
        reject(error instanceof StoreUnavailableError || !isDamage(error) ? error : damaged(path, error));
      const exited = (code: number) =>
        reject(new StoreUnavailableError(`the embedded store's writer exited (${code})`));
      worker.once('message', started);
      worker.once('error', refused);
      worker.once('exit', exited);
    });
  }

  commit(group: readonly CommitRequest[]): Promise<CommitOutcome[]> {
    if (this.failed) {
      return Promise.reject(this.failed);
    }
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, group });
    });
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.failed) {
        resolve();
        return;
      }
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ close: true });
    });
    return this.closing;
  }

  private receive(reply: Reply): void {
    if (!('id' in reply)) {
      return;
    }
    const waiting = this.waiting.get(reply.id);
    this.waiting.delete(reply.id);
    if ('outcomes' in reply) {
      waiting?.resolve(reply.outcomes);
    } else {
      const { message, damage } = reply.failure;
      waiting?.reject(
        damage
          ? damaged(this.path, new Error(message))
          : new StoreUnavailableError(`cannot commit ${this.path}: ${message}`),
      );
    }
  }

  private fail(error: Error): void {
    this.failed ??= error;
    for (const { reject } of this.waiting.values()) {
      reject(error);
    }
    this.waiting.clear();
  }
}
