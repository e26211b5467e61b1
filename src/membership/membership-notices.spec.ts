import { type NotificationData, parseActors } from '../keys/notification.keys.js';
import { type Notice, noticeRowName, planNotices } from './membership-notices.js';

const POST = '0a-8000000000000-0000abcd';
const notice: Notice = { recipient: 'ada', type: 'like', post: POST };
const now = new Date('2026-12-01T10:00:00Z');

function stored(count: number, actors: string[], at = new Date('2026-12-01T09:00:00Z')): NotificationData {
  return {
    recipient: 'ada',
    updatedAt: at,
    type: 'like',
    createdAt: at,
    count,
    actors: JSON.stringify(actors.map((id, i) => ({ id, at: at.getTime() - i }))),
    actor: null,
    post: POST,
    comment: null,
    thread: null,
    postAuthor: null,
  };
}

describe('planNotices', () => {
  const row = (slot: number, epoch = 0) => noticeRowName(notice, POST, slot, epoch);

  it('should count the joins of one commit in its slot’s row of the current group, the last one first', () => {
    const plan = planNotices({
      owner: POST,
      slot: 2,
      ops: ['bob', 'cat'].map((member) => ({ member, join: true, notice, changed: true })),
      epochs: new Map([['ada', 0]]),
      rows: new Map([[row(2), stored(1, ['dan'])]]),
      others: new Map([[row(2), [{ id: 'eve', at: now.getTime() - 10 }]]]),
      now,
    });

    const written = plan.upserts.get(row(2))!;
    expect(written.count).toBe(3);
    expect(written.updatedAt).toEqual(now);
    expect(parseActors(written.actors).map((actor) => actor.id)).toEqual(['cat', 'bob', 'eve', 'dan']);
    expect(plan.counted).toEqual(
      new Map([
        ['bob', row(2)],
        ['cat', row(2)],
      ]),
    );
    expect(plan.deletes).toEqual([]);
  });

  it('should start a new group after the recipient read, and leave repeats and untold joins out', () => {
    const plan = planNotices({
      owner: POST,
      slot: 0,
      ops: [
        { member: 'bob', join: true, notice, changed: true },
        { member: 'cat', join: true, notice, changed: false },
        { member: 'dan', join: true, changed: true },
      ],
      epochs: new Map([['ada', 1234]]),
      rows: new Map(),
      others: new Map(),
      now,
    });

    expect([...plan.upserts.keys()]).toEqual([row(0, 1234)]);
    expect(plan.upserts.get(row(0, 1234))).toMatchObject({ count: 1, createdAt: now, post: POST });
    expect([...plan.counted.keys()]).toEqual(['bob']);
  });

  it('should take a leaving member out of the row they were counted in, and delete a row left at 0', () => {
    const plan = planNotices({
      owner: POST,
      slot: 5,
      ops: [
        { member: 'bob', join: false, changed: true, counted: row(1) },
        { member: 'cat', join: false, changed: true, counted: row(3) },
        { member: 'dan', join: false, changed: true, counted: row(4) },
      ],
      epochs: new Map(),
      rows: new Map([
        [row(1), stored(2, ['bob', 'eve'])],
        [row(3), stored(1, ['cat'])],
        [row(4), undefined],
      ]),
      others: new Map(),
      now,
    });

    expect(plan.upserts.get(row(1))).toMatchObject({
      count: 1,
      actors: JSON.stringify([{ id: 'eve', at: stored(0, []).updatedAt.getTime() - 1 }]),
    });
    expect(plan.upserts.get(row(1))!.updatedAt).toEqual(stored(0, []).updatedAt);
    expect(plan.deletes).toEqual([row(3)]);
    expect(plan.upserts.has(row(3))).toBe(false);
    expect(plan.upserts.has(row(4))).toBe(false);
  });
});
