import { describe, expect, it } from 'vitest';
import { Toggles } from './toggles';

describe('Toggles', () => {
  it('shows the last answer, not an earlier one that comes back first', () => {
    const sut = new Toggles<boolean>();
    sut.started('p', false);
    sut.started('p', true);
    expect(sut.succeeded('p', true)).toBeUndefined();
    expect(sut.succeeded('p', false)).toBe(false);
  });

  it('goes back to what was there before the first click when every write fails', () => {
    const sut = new Toggles<{ liked: boolean; count: number }>();
    sut.started('p', { liked: false, count: 5 });
    sut.started('p', { liked: true, count: 6 });
    expect(sut.failed('p')).toBeUndefined();
    expect(sut.failed('p')).toEqual({ liked: false, count: 5 });
  });

  it('goes back to the last state the server confirmed when the last write fails', () => {
    const sut = new Toggles<string>();
    sut.started('p', 'off');
    sut.started('p', 'on');
    expect(sut.succeeded('p', 'on (server)')).toBeUndefined();
    expect(sut.failed('p')).toBe('on (server)');
  });

  it('keeps each key apart and starts over after a chain ends', () => {
    const sut = new Toggles<number>();
    sut.started('a', 1);
    sut.started('b', 2);
    expect(sut.failed('a')).toBe(1);
    expect(sut.succeeded('b', 3)).toBe(3);
    sut.started('a', 7);
    expect(sut.failed('a')).toBe(7);
    expect(sut.failed('a')).toBeUndefined();
  });
});
