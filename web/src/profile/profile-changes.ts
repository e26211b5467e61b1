import type { Me, Schemas } from '../api/client';

export type ProfileForm = { username: string; displayName: string; bio: string };
export type ProfileChanges = Schemas['UpdateMeRequest'];

export function formOf(me: Me): ProfileForm {
  return { username: me.username, displayName: me.displayName, bio: me.bio };
}

/**
 * Only the fields the person edited, against what the form opened with, trimmed: a PATCH that sends nothing else
 * changes nothing else, and a field left alone is never sent, even if it would trim differently.
 */
export function profileChanges(initial: ProfileForm, form: ProfileForm): ProfileChanges {
  const changes: ProfileChanges = {};
  if (form.username !== initial.username) {
    changes.username = form.username.trim().toLowerCase();
  }
  if (form.displayName !== initial.displayName) {
    changes.displayName = form.displayName.trim();
  }
  if (form.bio !== initial.bio) {
    changes.bio = form.bio.trim();
  }
  return changes;
}
