import { useState } from 'react';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Person } from '../ui/UserList';
import { useFollowSuggested, useSuggestions } from './useDiscovery';

/** People to follow, each with a Follow button (shown on the empty home timeline). */
export function Suggestions() {
  const suggestions = useSuggestions();
  const follow = useFollowSuggested();
  const [answered, setAnswered] = useState(new Map<string, 'Following' | 'Requested'>());
  const users = suggestions.data?.items ?? [];
  if (suggestions.isSuccess && users.length === 0) {
    return null;
  }
  return (
    <section className="stack" aria-labelledby="suggestions-title">
      <h2 id="suggestions-title">Suggested for you</h2>
      {suggestions.isError ? <ErrorNotice error={suggestions.error} /> : null}
      {follow.isError ? <ErrorNotice error={follow.error} /> : null}
      <ul className="user-list" aria-label="Suggested people">
        {users.map((user) => {
          const state = answered.get(user.id);
          return (
            <li key={user.id} className="row">
              <Person user={user} className="user-row grow" />
              <button
                type="button"
                className={state ? '' : 'primary'}
                disabled={state !== undefined || follow.isPending}
                aria-label={state ? `${state} ${user.username}` : `Follow ${user.username}`}
                onClick={() =>
                  follow.mutate(user.id, {
                    onSuccess: ({ following }) =>
                      setAnswered((before) => new Map(before).set(user.id, following ? 'Following' : 'Requested')),
                  })
                }
              >
                {state ?? 'Follow'}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
