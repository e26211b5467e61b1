import { GroupCommitter } from './group-committer.js';

interface Op {
  member: string;
  alone?: boolean;
}

/** A commit function that holds each commit until the test releases it. */
function heldCommits() {
  const calls: { owner: string; slot: number; members: string[]; release(error?: Error): void }[] = [];
  const commit = (owner: string, slot: number, ops: readonly Op[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({
        owner,
        slot,
        members: ops.map((op) => op.member),
        release: (error) => (error ? reject(error) : resolve(ops.map((op) => `${op.member}@${slot}`))),
      });
    });
  return { calls, commit };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommitter', () => {
  it('should combine what arrives while the slots are busy into one commit per free slot', async () => {
    const { calls, commit } = heldCommits();
    const sut = new GroupCommitter(commit, { slots: 2, maxGroup: 10 });

    const first = [sut.submit('post', { member: 'a' }), sut.submit('post', { member: 'b' })];
    const later = ['c', 'd', 'e'].map((member) => sut.submit('post', { member }));
    await tick();

    expect(calls.map((call) => call.members)).toEqual([['a'], ['b']]);
    calls[0].release();
    await tick();
    expect(calls.map((call) => call.members)).toEqual([['a'], ['b'], ['c', 'd', 'e']]);
    expect(calls[2].slot).toBe(calls[0].slot);
    calls[1].release();
    calls[2].release();
    await expect(Promise.all([...first, ...later])).resolves.toHaveLength(5);
  });

  it('should never put two operations of one member in one commit or in flight together', async () => {
    const { calls, commit } = heldCommits();
    const sut = new GroupCommitter(commit, { slots: 4, maxGroup: 10 });

    const results = ['x', 'x', 'y', 'x'].map((member) => sut.submit('post', { member }));
    await tick();
    expect(calls.map((call) => call.members)).toEqual([['x'], ['y']]);
    calls[0].release();
    await tick();
    expect(calls.map((call) => call.members)).toEqual([['x'], ['y'], ['x']]);
    calls[1].release();
    calls[2].release();
    await tick();
    calls[3].release();

    await expect(Promise.all(results)).resolves.toHaveLength(4);
    expect(calls.map((call) => call.members)).toEqual([['x'], ['y'], ['x'], ['x']]);
  });

  it('should cap a commit at maxGroup operations', async () => {
    const { calls, commit } = heldCommits();
    const sut = new GroupCommitter(commit, { slots: 1, maxGroup: 2 });

    const results = ['a', 'b', 'c', 'd', 'e'].map((member) => sut.submit('post', { member }));
    for (let i = 0; i < 3; i++) {
      await tick();
      calls[i].release();
    }

    await Promise.all(results);
    expect(calls.map((call) => call.members)).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
  });

  it('should commit an operation marked alone by itself, the others around it grouped', async () => {
    const { calls, commit } = heldCommits();
    const sut = new GroupCommitter(commit, { slots: 1, maxGroup: 10 });

    const results = [
      sut.submit('post', { member: 'a' }),
      ...['b', 'c'].map((member) => sut.submit('post', { member })),
      sut.submit('post', { member: 'big', alone: true }),
      ...['d', 'e'].map((member) => sut.submit('post', { member })),
    ];
    for (let i = 0; i < 4; i++) {
      await tick();
      calls[i].release();
    }

    await Promise.all(results);
    expect(calls.map((call) => call.members)).toEqual([['a'], ['b', 'c'], ['big'], ['d', 'e']]);
  });

  it('should reject every operation of a failed commit and keep serving the owner', async () => {
    const { calls, commit } = heldCommits();
    const sut = new GroupCommitter(commit, { slots: 1, maxGroup: 10 });

    const failed = sut.submit('post', { member: 'a' });
    await tick();
    calls[0].release(new Error('store down'));
    await expect(failed).rejects.toThrow('store down');

    const next = sut.submit('post', { member: 'a' });
    await tick();
    calls[1].release();
    await expect(next).resolves.toBe(`a@${calls[1].slot}`);
  });

  it('should keep owners apart', async () => {
    const { calls, commit } = heldCommits();
    const sut = new GroupCommitter(commit, { slots: 1, maxGroup: 10 });

    const results = [sut.submit('p1', { member: 'a' }), sut.submit('p2', { member: 'a' })];
    await tick();
    calls.forEach((call) => call.release());

    await Promise.all(results);
    expect(calls.map((call) => call.owner)).toEqual(['p1', 'p2']);
  });
});

describe('GroupCommitter with memberWide', () => {
  it('should hold a member back while their change of another owner is in flight', async () => {
    const { calls, commit } = heldCommits();
    const sut = new GroupCommitter(commit, { slots: 2, maxGroup: 10, memberWide: true });

    const results = [sut.submit('ann', { member: 'me' }), sut.submit('ben', { member: 'me' })];
    await tick();
    expect(calls.map((call) => [call.owner, call.members])).toEqual([['ann', ['me']]]);
    calls[0].release();
    await tick();
    expect(calls.map((call) => [call.owner, call.members])).toEqual([
      ['ann', ['me']],
      ['ben', ['me']],
    ]);
    calls[1].release();

    await expect(Promise.all(results)).resolves.toHaveLength(2);
  });
});
