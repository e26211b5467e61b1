import { describe, expect, it } from 'vitest';
import type { Me } from '../api/client';
import { profileChanges } from './profile-changes';

const me = { username: 'alice', displayName: 'Alice', bio: 'Hi' } as Me;

describe('profileChanges', () => {
  it('sends only the fields a person changed', () => {
    expect(profileChanges(me, { username: 'alice', displayName: 'Alice', bio: 'Hi' })).toEqual({});
    expect(profileChanges(me, { username: 'alice', displayName: 'Alice', bio: 'New bio ' })).toEqual({
      bio: 'New bio',
    });
    expect(profileChanges(me, { username: ' Alice.L ', displayName: ' Alice ', bio: 'Hi' })).toEqual({
      username: 'alice.l',
    });
  });

  it('sends an emptied bio as empty, not as missing', () => {
    expect(profileChanges(me, { username: 'alice', displayName: 'Alice', bio: '  ' })).toEqual({ bio: '' });
  });
});
