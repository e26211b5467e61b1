import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { sourceScriptArgs } from '../../src/store/embedded/writer-thread.js';
import type { Store } from '../../src/store/store.js';
import { StoreTaskQueue, TASK_KIND } from '../../src/tasks/store-task-queue.js';
import { TaskHandlers } from '../../src/tasks/task-handlers.js';
import type { TaskPayload } from '../../src/tasks/task-queue.js';
import { waitFor } from '../support/wait-for.js';
import { contractAdapters } from './store-adapters.js';
import { contractSuite } from './store-contract.js';

const quiet = { entry: () => undefined };

function queueOn(store: Store, handle: (payload: TaskPayload) => Promise<unknown>) {
  const handlers = new TaskHandlers();
  handlers.register('cleanup', async (payload) => void (await handle(payload)));
  handlers.register('fan-out', async (payload) => {
    await handle(payload);
    const n = Number(payload.n);
    return n < 3 ? [{ queue: 'fan-out', key: `chain-${n + 1}`, payload: { n: n + 1 } }] : [];
  });
  return new StoreTaskQueue(store, handlers, quiet, { pollMs: 50, firstBackoffMs: 20, maxBackoffMs: 100 });
}

async function pendingTasks(store: Store): Promise<number> {
  return (await store.query({ kind: TASK_KIND, limit: 100, keysOnly: true })).entities.length;
}

/** The in-process queue on every store: at least once, once per key while pending, retried, kept across restarts. */
describe.each(contractAdapters())('StoreTaskQueue on $name', (adapter) => {
  const { test, store } = contractSuite(adapter);

  test('should run each task once however often its key is enqueued while pending, and follow-ups after it', async () => {
    const ran: string[] = [];
    const queue = queueOn(store(), (payload) => Promise.resolve(ran.push(JSON.stringify(payload))));

    await Promise.all(
      Array.from({ length: 10 }, () =>
        queue.enqueue([
          { queue: 'cleanup', key: 'post-1', payload: { post: 1 } },
          { queue: 'fan-out', key: 'chain-0', payload: { n: 0 } },
        ]),
      ),
    );
    expect(await pendingTasks(store())).toBe(2);
    queue.start();
    await queue.idle();
    await queue.stop();

    expect(ran.sort()).toEqual(['{"n":0}', '{"n":1}', '{"n":2}', '{"n":3}', '{"post":1}']);
    expect(await pendingTasks(store())).toBe(0);
  }, 60_000);

  test('should start a task that arrives while another runs long, without waiting for the poll or for it', async () => {
    let release!: () => void;
    const long = new Promise<void>((resolve) => (release = resolve));
    const ran: string[] = [];
    const queue = queueOn(store(), async (payload) => {
      ran.push(String(payload.name));
      if (payload.name === 'long') {
        await long;
      }
    });
    queue.start();

    await queue.enqueue([{ queue: 'cleanup', key: 'long', payload: { name: 'long' } }]);
    await waitFor(() => ran.includes('long'), { what: 'the long task to start', timeoutMs: 5_000 });
    await queue.enqueue([{ queue: 'cleanup', key: 'quick', payload: { name: 'quick' } }]);
    await waitFor(() => ran.includes('quick'), { what: 'the quick task to run beside it', timeoutMs: 5_000 });
    release();
    await queue.idle();
    await queue.stop();

    expect(ran).toEqual(['long', 'quick']);
  }, 60_000);

  test('should retry a failing task with backoff until it succeeds, and keep it stored meanwhile', async () => {
    let attempts = 0;
    const times: number[] = [];
    const queue = queueOn(store(), () => {
      times.push(Date.now());
      return ++attempts < 4 ? Promise.reject(new Error(`attempt ${attempts} fails`)) : Promise.resolve();
    });
    queue.start();

    await queue.enqueue([{ queue: 'cleanup', key: 'flaky', payload: {} }]);
    await queue.idle();
    await queue.stop();

    expect(attempts).toBe(4);
    expect(await pendingTasks(store())).toBe(0);
    // 20, 40, 80 ms of backoff at least between the attempts.
    expect(times[3] - times[0]).toBeGreaterThanOrEqual(140);
  }, 60_000);

  test('should run tasks a stopped process left behind when the next one starts', async () => {
    const first = queueOn(store(), () => Promise.resolve());
    await first.enqueue([{ queue: 'cleanup', key: 'left-1', payload: { left: 1 } }]);
    await first.enqueue([{ queue: 'cleanup', key: 'left-2', payload: { left: 2 } }]);
    await first.stop();

    const ran: unknown[] = [];
    const next = queueOn(store(), (payload) => Promise.resolve(ran.push(payload.left)));
    next.start();
    await next.idle();
    await next.stop();

    expect(ran.sort()).toEqual([1, 2]);
  }, 60_000);
});

/** A process that stores tasks with the queue, prints their count once `enqueue` resolved, and is never done. */
const CHILD = `
const { EmbeddedStore } = await import(process.env.STORE_MODULE);
const { StoreTaskQueue } = await import(process.env.QUEUE_MODULE);
const store = await EmbeddedStore.open({ dataDir: process.env.DATA_DIR, indexes: [], fsync: true });
const queue = new StoreTaskQueue(store, { run: () => Promise.resolve() }, { entry: () => undefined });
for (let i = 0; ; i++) {
  await queue.enqueue([{ queue: 'cleanup', key: 'killed-' + i, payload: { i } }]);
  process.stdout.write(i + '\\n');
}
`;

describe('StoreTaskQueue across kill -9 (embedded, on disk)', () => {
  it('should run every task whose enqueue had resolved when the process was killed, once the store reopens', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'picfeed-tasks-'));
    try {
      const child = spawn(process.execPath, sourceScriptArgs(CHILD), {
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          STORE_MODULE: new URL('../../src/store/embedded/embedded-store.ts', import.meta.url).href,
          QUEUE_MODULE: new URL('../../src/tasks/store-task-queue.ts', import.meta.url).href,
        },
      });
      let acknowledged = -1;
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          const lines = chunk.toString().trim().split('\n');
          acknowledged = Math.max(acknowledged, Number(lines.at(-1)));
          if (acknowledged >= 50) {
            child.kill('SIGKILL');
            resolve();
          }
        });
        child.once('exit', (code) =>
          code === null ? undefined : reject(new Error(`child exited ${code}: ${stderr}`)),
        );
      });
      await new Promise((resolve) => child.once('exit', resolve));

      const store = await EmbeddedStore.open({ dataDir, indexes: [], fsync: true });
      const ran = new Set<number>();
      const queue = queueOn(store, (payload) => Promise.resolve(ran.add(Number(payload.i))));
      queue.start();
      await queue.idle();
      await queue.stop();
      await store.close();

      process.stdout.write(`tasks: ${acknowledged + 1} acknowledged before kill -9, ${ran.size} ran after restart\n`);
      for (let i = 0; i <= acknowledged; i++) {
        expect(ran.has(i)).toBe(true);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
