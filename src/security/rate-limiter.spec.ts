import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  let now: number;
  let sut: RateLimiter;

  beforeEach(() => {
    now = 1_000;
    sut = new RateLimiter(60, () => now);
  });

  it('should allow a burst of the limit, then say how long to wait', () => {
    const answers = Array.from({ length: 61 }, () => sut.take('ann'));

    expect(answers.slice(0, 60)).toEqual(Array(60).fill(undefined));
    expect(answers[60]).toBe(1);
  });

  it('should refill at the limit per minute', () => {
    Array.from({ length: 60 }, () => sut.take('ann'));
    now += 2_500;

    expect([sut.take('ann'), sut.take('ann'), sut.take('ann')]).toEqual([undefined, undefined, 1]);
  });

  it('should count callers apart', () => {
    Array.from({ length: 60 }, () => sut.take('ann'));

    expect(sut.take('bob')).toBeUndefined();
    expect(sut.take('ann')).toBe(1);
  });

  it('should round a long wait up to whole seconds', () => {
    const slow = new RateLimiter(2, () => now);
    slow.take('ann');
    slow.take('ann');

    expect(slow.take('ann')).toBe(30);
  });

  it('should forget only callers whose bucket has refilled', () => {
    sut.take('ann');
    now += 30_000;
    Array.from({ length: 60 }, () => sut.take('bob'));
    sut.sweep();

    expect(sut.size).toBe(1);
    now += 60_000;
    sut.sweep();
    expect(sut.size).toBe(0);
  });

  it('should tell what is left and when the bucket is full again', () => {
    expect(sut.status('ann')).toEqual({ remaining: 60, resetSeconds: 0 });
    Array.from({ length: 30 }, () => sut.take('ann'));

    expect(sut.status('ann')).toEqual({ remaining: 30, resetSeconds: 30 });
  });
});
