import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorNotice } from '../ui/ErrorNotice';
import { Person } from '../ui/UserList';
import { count } from '../ui/time';
import { useDebounced, useTagSearch, useUserSearch } from './useDiscovery';

const MAX = 30;

/** People and hashtags as you type: results follow once typing pauses. */
export function SearchPage() {
  const [typed, setTyped] = useState('');
  const q = useDebounced(typed.trim().slice(0, MAX));
  const tagQuery = q.startsWith('#') ? q : `#${q}`;
  const people = useUserSearch(q.startsWith('#') ? '' : q);
  const tags = useTagSearch(q === '' ? '' : tagQuery);
  const users = people.data?.items ?? [];
  const tagItems = tags.data?.items ?? [];
  return (
    <section className="stack" aria-labelledby="search-title">
      <h1 id="search-title">Search</h1>
      <form role="search" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor="search-box" className="visually-hidden">
          Search people and hashtags
        </label>
        <input
          id="search-box"
          type="search"
          placeholder="Search people and #hashtags"
          maxLength={MAX}
          autoComplete="off"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
        />
      </form>
      {people.isError ? <ErrorNotice error={people.error} onRetry={() => void people.refetch()} /> : null}
      {q !== '' && people.isSuccess && tags.isSuccess && users.length === 0 && tagItems.length === 0 ? (
        <p className="empty">No one and no hashtag matches “{q}”.</p>
      ) : null}
      {tagItems.length > 0 ? (
        <ul className="user-list" aria-label="Hashtags">
          {tagItems.map((tag) => (
            <li key={tag.tag} className="row">
              <Link to={`/t/${encodeURIComponent(tag.tag)}`} className="user-row grow">
                <strong>#{tag.tag}</strong>
                <span className="muted">{count(tag.postCount, 'post', 'posts')}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
      {users.length > 0 ? (
        <ul className="user-list" aria-label="People">
          {users.map((user) => (
            <li key={user.id} className="row">
              <Person user={user} className="user-row grow" />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
