import {
  type BatchData,
  type GroupInput,
  type MarkerData,
  type MembershipOp,
  batchName,
  batchesToRead,
  planGroup,
} from './membership-planner.js';

const now = new Date('2026-12-01T10:00:00Z');
const earlier = new Date('2026-11-30T10:00:00Z');

const join = (member: string): MembershipOp => ({ member, join: true });
const leave = (member: string): MembershipOp => ({ member, join: false });
const marker = (member: string, batch: string): MarkerData => ({ owner: 'post', member, batch, createdAt: earlier });
const batch = (members: string[], open = true): BatchData => ({
  owner: 'post',
  members,
  size: members.length,
  open,
  createdAt: earlier,
});

function input(overrides: Partial<GroupInput>): GroupInput {
  return {
    owner: 'post',
    slot: 3,
    ops: [],
    reads: { markers: [] },
    batches: new Map(),
    batchCeiling: 3,
    now,
    ...overrides,
  };
}

describe('batchesToRead', () => {
  it("should name the slot's open batch of the counter's generation and the batches leaving members are in", () => {
    const sut = batchesToRead('post', 3, [join('a'), leave('b'), leave('c'), leave('d')], {
      counter: { owner: 'post', size: 9, generation: 2 },
      markers: [undefined, marker('b', 'post:1:0'), marker('c', 'post:3:2'), undefined],
    });

    expect(sut).toEqual(['post:3:2', 'post:1:0']);
  });
});

describe('planGroup', () => {
  it('should open the first batch of a slot, insert markers and count the joins', () => {
    const sut = planGroup(input({ ops: [join('a'), join('b')], reads: { markers: [undefined, undefined] } }));

    expect(sut).toEqual({
      changed: [true, true],
      memberDeltas: [1, 1],
      markersToInsert: [
        { owner: 'post', member: 'a', batch: 'post:3:0', createdAt: now },
        { owner: 'post', member: 'b', batch: 'post:3:0', createdAt: now },
      ],
      markersToDelete: [],
      batches: new Map([['post:3:0', { owner: 'post', members: ['a', 'b'], size: 2, open: true, createdAt: now }]]),
      counter: { owner: 'post', size: 2, generation: 0 },
    });
  });

  it('should change nothing and write nothing for repeats', () => {
    const sut = planGroup(
      input({
        ops: [join('a'), leave('z')],
        reads: { counter: { owner: 'post', size: 1, generation: 0 }, markers: [marker('a', 'post:3:0'), undefined] },
        batches: new Map([['post:3:0', batch(['a'])]]),
      }),
    );

    expect(sut).toEqual({
      changed: [false, false],
      memberDeltas: [0, 0],
      markersToInsert: [],
      markersToDelete: [],
      batches: new Map(),
    });
  });

  it('should close a full batch and open the next generation, keeping the closed one whole', () => {
    const full = batch(['x', 'y', 'z']);

    const sut = planGroup(
      input({
        ops: [join('a')],
        reads: { counter: { owner: 'post', size: 3, generation: 0 }, markers: [undefined] },
        batches: new Map([['post:3:0', full]]),
      }),
    );

    expect(sut.batches).toEqual(
      new Map([
        ['post:3:0', { ...full, open: false }],
        ['post:3:1', { owner: 'post', members: ['a'], size: 1, open: true, createdAt: now }],
      ]),
    );
    expect(sut.markersToInsert.map((m) => m.batch)).toEqual(['post:3:1']);
    expect(sut.counter).toEqual({ owner: 'post', size: 4, generation: 1 });
    expect(full).toEqual(batch(['x', 'y', 'z']));
  });

  it('should take a leaving member out of the batch their marker names, in any slot', () => {
    const sut = planGroup(
      input({
        ops: [leave('b'), join('c')],
        reads: { counter: { owner: 'post', size: 5, generation: 0 }, markers: [marker('b', 'post:1:4'), undefined] },
        batches: new Map([
          ['post:3:0', batch(['q'])],
          ['post:1:4', batch(['a', 'b'], false)],
        ]),
      }),
    );

    expect(sut.changed).toEqual([true, true]);
    expect(sut.memberDeltas).toEqual([-1, 1]);
    expect(sut.markersToDelete).toEqual(['b']);
    expect(sut.batches.get('post:1:4')).toMatchObject({ members: ['a'], size: 1, open: false });
    expect(sut.batches.get('post:3:0')).toMatchObject({ members: ['q', 'c'], size: 2 });
    // Net change 0, but the counter shard is still this slot's: it keeps the generation.
    expect(sut.counter).toEqual({ owner: 'post', size: 5, generation: 0 });
  });

  it('should still count a leave whose batch is gone', () => {
    const sut = planGroup(
      input({
        ops: [leave('b')],
        reads: { counter: { owner: 'post', size: 1, generation: 0 }, markers: [marker('b', 'post:2:0')] },
        batches: new Map([['post:3:0', undefined]]),
      }),
    );

    expect(sut).toMatchObject({ markersToDelete: ['b'], batches: new Map(), counter: { size: 0 } });
  });

  it('should roll over more than once when a group fills several batches', () => {
    const ops = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(join);

    const sut = planGroup(input({ ops, reads: { markers: ops.map(() => undefined) }, batchCeiling: 3 }));

    expect([...sut.batches].map(([name, data]) => [name, data.members, data.open])).toEqual([
      [batchName('post', 3, 0), ['a', 'b', 'c'], false],
      [batchName('post', 3, 1), ['d', 'e', 'f'], false],
      [batchName('post', 3, 2), ['g'], true],
    ]);
    expect(sut.counter).toEqual({ owner: 'post', size: 7, generation: 2 });
  });
});
