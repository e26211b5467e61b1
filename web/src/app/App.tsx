import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import {
  Link,
  Navigate,
  NavLink,
  Outlet,
  Route,
  Routes,
  NavigationType,
  useLocation,
  useNavigationType,
} from 'react-router';
import { SessionKeeper } from '../auth/SessionKeeper';
import { SignIn } from '../auth/SignIn';
import { useSession, useSessionStore } from '../auth/SessionProvider';
import { Composer } from '../compose/Composer';
import { HomeFeed } from '../feed/HomeFeed';
import { LikersPage, NotThere, PostPage } from '../post/PostPage';
import { ReportsPage } from '../admin/ReportsPage';
import { BlockedPage } from '../profile/BlockedPage';
import { EditProfile } from '../profile/EditProfile';
import { RequestsPage } from '../profile/RequestsPage';
import { FollowListPage } from '../profile/FollowListPage';
import { ProfilePage } from '../profile/ProfilePage';
import { useMe } from '../profile/useMe';
import { NotificationsPage } from '../notifications/NotificationsPage';
import { ExplorePage } from '../discovery/ExplorePage';
import { SearchPage } from '../discovery/SearchPage';
import { TagPage } from '../discovery/TagPage';
import { NavIcon } from '../ui/NavIcon';
import { NotificationsLink } from '../notifications/NotificationsLink';
import { ErrorNotice } from '../ui/ErrorNotice';

export function App() {
  const session = useSession();
  if (session === undefined) {
    return <SignIn />;
  }
  return (
    <>
      <SessionKeeper />
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<HomeFeed />} />
          <Route path="new" element={<Composer />} />
          <Route path="p/:id" element={<PostPage />} />
          <Route path="p/:id/likers" element={<LikersPage />} />
          <Route path="u/:username" element={<ProfilePage />} />
          <Route path="u/:username/followers" element={<FollowListPage relation="followers" />} />
          <Route path="u/:username/following" element={<FollowListPage relation="following" />} />
          <Route path="notifications" element={<NotificationsPage />} />
          <Route path="search" element={<SearchPage />} />
          <Route path="explore" element={<ExplorePage />} />
          <Route path="t/:tag" element={<TagPage />} />
          <Route path="settings/profile" element={<EditProfile />} />
          <Route path="settings/requests" element={<RequestsPage />} />
          <Route path="settings/blocked" element={<BlockedPage />} />
          <Route path="admin/reports" element={<ReportsPage />} />
          <Route path="me" element={<MyProfile />} />
          <Route path="*" element={<NotThere />} />
        </Route>
      </Routes>
    </>
  );
}

function Layout() {
  const me = useMe();
  const store = useSessionStore();
  const client = useQueryClient();
  const main = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const navigation = useNavigationType();
  const first = useRef(true);
  useEffect(() => {
    // A new screen moves the focus to it, as a page load would, so a screen reader starts reading there; Back keeps
    // the place the browser restores.
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
    if (navigation !== NavigationType.Pop) {
      window.scrollTo(0, 0);
    }
  }, [pathname, navigation]);
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="top-bar">
        <Link to="/" className="brand">
          picfeed
        </Link>
        <nav aria-label="Main">
          <NavLink to="/" end>
            <NavIcon name="home" />
            <span className="nav-label">Home</span>
          </NavLink>
          <NavLink to="/search">
            <NavIcon name="search" />
            <span className="nav-label">Search</span>
          </NavLink>
          <NavLink to="/explore">
            <NavIcon name="explore" />
            <span className="nav-label">Explore</span>
          </NavLink>
          <NavLink to="/new">
            <NavIcon name="create" />
            <span className="nav-label">New post</span>
          </NavLink>
          <NotificationsLink />
          {/* There before /v1/me answers, so the bar never reflows under the page. */}
          <NavLink to={me.data ? `/u/${me.data.username}` : '/me'}>
            <NavIcon name="profile" />
            <span className="nav-label">Profile</span>
          </NavLink>
        </nav>
        <button
          type="button"
          className="link sign-out"
          onClick={() => {
            // Google's One Tap would otherwise sign the same account straight back in.
            window.google?.accounts.id.disableAutoSelect();
            store.signOut();
            client.clear();
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" ref={main} tabIndex={-1} className="content">
        <Outlet />
      </main>
    </>
  );
}

/** /me: my own profile, once /v1/me has said who I am. */
function MyProfile() {
  const me = useMe();
  if (me.isError) {
    return <ErrorNotice error={me.error} onRetry={() => void me.refetch()} />;
  }
  return me.data ? <Navigate to={`/u/${me.data.username}`} replace /> : <p aria-busy="true">Loading…</p>;
}
