import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ApiError, unwrap, type Report } from '../api/client';
import { useApi } from '../api/ApiProvider';
import { keys } from '../api/keys';
import { useMe } from '../profile/useMe';
import { ErrorNotice } from '../ui/ErrorNotice';
import { LoadMore } from '../ui/LoadMore';
import { ago } from '../ui/time';

/** The admins' page (ADMIN_EMAILS): reports, newest first, and what can be done about each. */
export function ReportsPage() {
  const me = useMe();
  const api = useApi();
  const reports = useInfiniteQuery({
    queryKey: keys.reports,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/admin/reports', { params: { query: { limit: 20, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: me.data?.admin === true,
  });
  if (me.data && !me.data.admin) {
    return <p className="empty">Only admins see reports.</p>;
  }
  const items = reports.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="stack" aria-labelledby="reports-title">
      <h1 id="reports-title">Reports</h1>
      {reports.isPending ? <p aria-busy="true">Loading…</p> : null}
      {reports.isError ? <ErrorNotice error={reports.error} onRetry={() => void reports.refetch()} /> : null}
      {reports.isSuccess && items.length === 0 ? <p className="empty">Nothing reported.</p> : null}
      <ul className="stack reports" aria-label="Reports">
        {items.map((report) => (
          <ReportItem key={report.id} report={report} />
        ))}
      </ul>
      {reports.data ? <LoadMore pages={reports} /> : null}
    </section>
  );
}

function useAdminAction() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ action, report }: { action: 'dismiss' | 'delete' | 'suspend'; report: Report }) => {
      const { target } = report;
      const path = { params: { path: { id: target.id } } };
      // Gone already (deleted by its author or another admin): the report is done all the same.
      const unlessGone = (error: unknown) => {
        if (!(error instanceof ApiError && error.status === 404)) {
          throw error;
        }
      };
      if (action === 'delete' && target.type === 'comment') {
        await unwrap(api.DELETE('/v1/comments/{id}', path)).catch(unlessGone);
      } else if (action === 'delete' && target.type === 'post') {
        await unwrap(api.DELETE('/v1/posts/{id}', path)).catch(unlessGone);
      } else if (action === 'suspend' && target.type === 'user') {
        await unwrap(api.PUT('/v1/admin/users/{id}/suspension', path));
      }
      // Acted on (or dismissed): the report is done.
      await unwrap(api.DELETE('/v1/admin/reports/{id}', { params: { path: { id: report.id } } }));
    },
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: keys.reports }),
        client.invalidateQueries({ queryKey: keys.allPosts }),
        client.invalidateQueries({ queryKey: keys.allComments }),
        client.invalidateQueries({ queryKey: keys.allUsers }),
      ]);
    },
  });
}

function ReportItem({ report }: { report: Report }) {
  const act = useAdminAction();
  const { target } = report;
  const label = { post: 'a post', comment: 'a comment', user: 'an account' }[target.type];
  return (
    <li className="card stack">
      <p>
        <strong>{report.reason.replace('_', ' ')}</strong>: {label}{' '}
        {target.postId ? <Link to={`/p/${target.postId}`}>open the post</Link> : <code>{target.id}</code>}
        <span className="muted small">
          {' '}
          · reported by {report.reporter?.username ?? 'a deleted user'} {ago(report.createdAt)}
        </span>
      </p>
      {report.note ? <p className="bio">{report.note}</p> : null}
      {act.isError ? <ErrorNotice error={act.error} /> : null}
      <div className="row">
        {target.type === 'user' ? (
          <button
            type="button"
            className="danger"
            disabled={act.isPending}
            onClick={() => act.mutate({ action: 'suspend', report })}
          >
            Suspend account
          </button>
        ) : (
          <button
            type="button"
            className="danger"
            disabled={act.isPending}
            onClick={() => {
              if (window.confirm(`Delete this ${target.type}? This cannot be undone.`)) {
                act.mutate({ action: 'delete', report });
              }
            }}
          >
            Delete {target.type}
          </button>
        )}
        <button type="button" disabled={act.isPending} onClick={() => act.mutate({ action: 'dismiss', report })}>
          Dismiss
        </button>
      </div>
    </li>
  );
}
