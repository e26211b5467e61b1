import type { Me, Schemas } from '../api/client';

export type ProfileForm = { username: string; displayName: string; bio: string };
export type ProfileChanges = Schemas['UpdateMeRequest'];

/** Only what the person changed, trimmed: a PATCH that sends nothing else changes nothing else. */
export function profileChanges(me: Me, form: ProfileForm): ProfileChanges {
  const changes: ProfileChanges = {};
  const username = form.username.trim().toLowerCase();
  const displayName = form.displayName.trim();
  const bio = form.bio.trim();
  if (username !== me.username) {
    changes.username = username;
  }
  if (displayName !== me.displayName) {
    changes.displayName = displayName;
  }
  if (bio !== me.bio) {
    changes.bio = bio;
  }
  return changes;
}
