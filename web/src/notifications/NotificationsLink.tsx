import { NavLink } from 'react-router';
import { NavIcon } from '../ui/NavIcon';
import { useUnreadCount } from './useNotifications';

/** The top bar's way to notifications, with the unread count polled while the tab is visible. */
export function NotificationsLink() {
  const unread = useUnreadCount();
  const count = unread.data?.count ?? 0;
  const shown = unread.data?.more ? `${count}+` : String(count);
  return (
    <NavLink to="/notifications" aria-label={count > 0 ? `Notifications, ${shown} unread` : undefined}>
      <NavIcon name="activity" />
      <span className="nav-label">Notifications</span>
      {count > 0 ? (
        <span className="unread-count" aria-hidden="true">
          {shown}
        </span>
      ) : null}
    </NavLink>
  );
}
