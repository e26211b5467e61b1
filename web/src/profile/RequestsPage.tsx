import { useAnswerRequest, useFollowRequests } from '../moderation/useModeration';
import { ErrorNotice } from '../ui/ErrorNotice';
import { LoadMore } from '../ui/LoadMore';
import { Person } from '../ui/UserList';

/** The people who asked to follow my private account: approve or deny each. */
export function RequestsPage() {
  const requests = useFollowRequests();
  const answer = useAnswerRequest();
  const users = requests.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="stack" aria-labelledby="requests-title">
      <h1 id="requests-title">Follow requests</h1>
      {requests.isPending ? <p aria-busy="true">Loading…</p> : null}
      {requests.isError ? <ErrorNotice error={requests.error} onRetry={() => void requests.refetch()} /> : null}
      {requests.isSuccess && users.length === 0 ? <p className="empty">No one is waiting.</p> : null}
      {answer.isError ? <ErrorNotice error={answer.error} /> : null}
      <ul className="user-list" aria-label="Follow requests">
        {users.map((user) => (
          <li key={user.id} className="row">
            <Person user={user} className="user-row grow" />
            <button
              type="button"
              className="primary"
              disabled={answer.isPending}
              onClick={() => answer.mutate({ userId: user.id, approve: true })}
              aria-label={`Approve ${user.username}`}
            >
              Approve
            </button>
            <button
              type="button"
              disabled={answer.isPending}
              onClick={() => answer.mutate({ userId: user.id, approve: false })}
              aria-label={`Deny ${user.username}`}
            >
              Deny
            </button>
          </li>
        ))}
      </ul>
      {requests.data ? <LoadMore pages={requests} /> : null}
    </section>
  );
}
