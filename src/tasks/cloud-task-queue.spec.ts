import { jest } from '@jest/globals';
import { CloudTaskQueue } from './cloud-task-queue.js';
import { taskName } from './task-queue.js';

type CreateTask = (request: unknown) => Promise<unknown>;

describe('CloudTaskQueue', () => {
  const fake = (createTask: CreateTask) =>
    new CloudTaskQueue({ project: 'pf', location: 'us-central1', client: { createTask } as never });

  it('should create an App Engine HTTP task on the named queue, named from its key, with the JSON payload', async () => {
    const createTask = jest.fn<CreateTask>().mockResolvedValue([{}]);
    const sut = fake(createTask);

    await sut.enqueue([{ queue: 'fan-out', key: 'post-1\n0', payload: { postId: 'post-1', step: 0 } }]);

    const parent = 'projects/pf/locations/us-central1/queues/fan-out';
    expect(createTask).toHaveBeenCalledWith({
      parent,
      task: {
        name: `${parent}/tasks/${taskName({ queue: 'fan-out', key: 'post-1\n0' })}`,
        appEngineHttpRequest: {
          httpMethod: 'POST',
          relativeUri: '/_internal/tasks/fan-out',
          headers: { 'Content-Type': 'application/json' },
          body: Buffer.from('{"postId":"post-1","step":0}').toString('base64'),
        },
      },
    });
    expect(taskName({ queue: 'fan-out', key: 'post-1\n0' })).toMatch(/^fan-out-[0-9a-f]{40}$/);
  });

  it('should schedule a delayed task that much later', async () => {
    const createTask = jest.fn<CreateTask>().mockResolvedValue([{}]);
    const before = Date.now();

    await fake(createTask).enqueue([{ queue: 'cleanup', key: 'p', payload: {}, delayMs: 5_000 }]);

    const { task } = createTask.mock.calls[0][0] as { task: { scheduleTime: { seconds: number } } };
    expect(task.scheduleTime.seconds).toBeGreaterThanOrEqual(Math.floor((before + 5_000) / 1000));
    expect(task.scheduleTime.seconds).toBeLessThanOrEqual(Math.ceil((Date.now() + 5_000) / 1000));
  });

  it('should take ALREADY_EXISTS as done (the same key is queued) and pass other errors on', async () => {
    const exists = Object.assign(new Error('6 ALREADY_EXISTS'), { code: 6 });
    const denied = Object.assign(new Error('7 PERMISSION_DENIED'), { code: 7 });
    const task = { queue: 'cleanup' as const, key: 'p', payload: {} };

    await expect(fake(() => Promise.reject(exists)).enqueue([task])).resolves.toBeUndefined();
    await expect(fake(() => Promise.reject(denied)).enqueue([task])).rejects.toBe(denied);
  });
});
