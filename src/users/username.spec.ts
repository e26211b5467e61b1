import { USERNAME_PATTERN, usernameCandidates } from './username.js';

describe('usernameCandidates', () => {
  it.each([
    ['ada.lovelace+pics@example.com', 'ada.lovelace'],
    ['Bob-Smith@example.com', 'bobsmith'],
    ['.dot.@example.com', 'dot'],
    ['al@example.com', 'useral'],
    ['émile@example.com', 'mile'],
    [undefined, 'user'],
    ['averyveryveryverylongemailname@example.com', 'averyveryveryverylongemai'],
    ['__proto__@example.com', 'user__proto__'],
    ['__key__@example.com', 'user__key__'],
    ['__abcdefghijklmnopqrstu__vwxyz@example.com', 'user__abcdefghijklmnopqrs'],
  ])('should derive a valid first choice from %s', (email, expected) => {
    const sut = usernameCandidates(email);

    expect(sut[0]).toBe(expected);
    expect(sut.every((name) => USERNAME_PATTERN.test(name))).toBe(true);
  });

  it('should offer valid, distinct fallbacks with digit suffixes', () => {
    const sut = usernameCandidates('ada@example.com', 6);

    expect(sut).toHaveLength(6);
    expect(sut.every((name) => USERNAME_PATTERN.test(name))).toBe(true);
    expect(sut.slice(1, -1).every((name) => /^ada_\d{4}$/.test(name))).toBe(true);
  });

  it('should end with a random name, so a first sign-in finds a free one even when the nicer ones are taken', () => {
    const sut = usernameCandidates('ada@example.com', 6);

    expect(sut.at(-1)).toMatch(/^user_[0-9a-f]{16}$/);
    expect(sut.at(-1)).not.toBe(usernameCandidates('ada@example.com', 6).at(-1));
  });
});
