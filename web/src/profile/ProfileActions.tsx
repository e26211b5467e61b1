import { useState } from 'react';
import type { User } from '../api/client';
import { useBlock, useMute } from '../moderation/useModeration';
import { ReportForm } from '../moderation/ReportForm';

/** The "…" menu of someone else's profile: mute, block, report. */
export function ProfileActions({ user }: { user: User }) {
  const block = useBlock(user);
  const mute = useMute(user);
  const [reporting, setReporting] = useState(false);
  const failed = block.error ?? mute.error;
  return (
    <div className="stack">
      <details className="menu">
        <summary aria-label={`More actions for ${user.username}`}>•••</summary>
        <div className="menu-items" role="group" aria-label={`Actions for ${user.username}`}>
          {user.blockedByMe ? null : (
            <button type="button" disabled={mute.isPending} onClick={() => mute.mutate(!user.mutedByMe)}>
              {user.mutedByMe ? 'Unmute' : 'Mute'}
            </button>
          )}
          <button
            type="button"
            className={user.blockedByMe ? '' : 'danger'}
            disabled={block.isPending}
            onClick={() => {
              if (
                user.blockedByMe ||
                window.confirm(`Block ${user.username}? They will not see your profile or posts, and follows end.`)
              ) {
                block.mutate(!user.blockedByMe);
              }
            }}
          >
            {user.blockedByMe ? 'Unblock' : 'Block'}
          </button>
          <button type="button" onClick={() => setReporting(true)}>
            Report
          </button>
        </div>
      </details>
      {failed ? (
        <p role="alert" className="error small">
          Not saved: {failed.message}
        </p>
      ) : null}
      {reporting ? <ReportForm target={{ userId: user.id }} what="account" onDone={() => setReporting(false)} /> : null}
    </div>
  );
}
