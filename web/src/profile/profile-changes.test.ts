import { describe, expect, it } from 'vitest';
import { profileChanges } from './profile-changes';

const opened = { username: 'alice', displayName: 'Alice', bio: 'Hi\n' };

describe('profileChanges', () => {
  it('sends only the fields a person edited, trimmed', () => {
    expect(profileChanges(opened, { ...opened })).toEqual({});
    expect(profileChanges(opened, { ...opened, bio: 'New bio ' })).toEqual({ bio: 'New bio' });
    expect(profileChanges(opened, { ...opened, username: ' Alice.L ' })).toEqual({ username: 'alice.l' });
  });

  it('never sends a field left alone, even one the server stored untrimmed', () => {
    expect(profileChanges(opened, { ...opened, displayName: 'Alice L' })).toEqual({ displayName: 'Alice L' });
  });

  it('sends an emptied bio as empty, not as missing', () => {
    expect(profileChanges(opened, { ...opened, bio: '  ' })).toEqual({ bio: '' });
  });
});
