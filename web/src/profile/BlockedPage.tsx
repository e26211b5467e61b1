import { useMarkedList, useUnmark } from '../moderation/useModeration';
import { ErrorNotice } from '../ui/ErrorNotice';
import { LoadMore } from '../ui/LoadMore';
import { Person } from '../ui/UserList';

/** The people I blocked and those I muted, each with the button that lifts it. */
export function BlockedPage() {
  return (
    <div className="stack">
      <h1>Blocked and muted</h1>
      <MarkedList kind="blocks" title="Blocked" action="Unblock" empty="You have not blocked anyone." />
      <MarkedList kind="mutes" title="Muted" action="Unmute" empty="You have not muted anyone." />
    </div>
  );
}

function MarkedList({
  kind,
  title,
  action,
  empty,
}: {
  kind: 'blocks' | 'mutes';
  title: string;
  action: string;
  empty: string;
}) {
  const list = useMarkedList(kind);
  const unmark = useUnmark(kind);
  const users = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="stack" aria-label={title}>
      <h2>{title}</h2>
      {list.isPending ? <p aria-busy="true">Loading…</p> : null}
      {list.isError ? <ErrorNotice error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && users.length === 0 ? <p className="empty">{empty}</p> : null}
      {unmark.isError ? <ErrorNotice error={unmark.error} /> : null}
      <ul className="user-list" aria-label={`${title} people`}>
        {users.map((user) => (
          <li key={user.id} className="row">
            <Person user={user} className="user-row grow" />
            <button
              type="button"
              disabled={unmark.isPending}
              onClick={() => unmark.mutate(user.id)}
              aria-label={`${action} ${user.username}`}
            >
              {action}
            </button>
          </li>
        ))}
      </ul>
      {list.data ? <LoadMore pages={list} /> : null}
    </section>
  );
}
