import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiError, createApi } from './api/client';
import { ApiProvider } from './api/ApiProvider';
import { App } from './app/App';
import { SessionStore } from './auth/session';
import { SessionProvider } from './auth/SessionProvider';
import { timelineQuery } from './feed/usePostPages';
import { meQuery } from './profile/useMe';
import './styles.css';

const session = new SessionStore(window.localStorage);
const queries = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // A 4xx will not change by asking again; a 5xx or a lost connection may.
      retry: (failures, error) =>
        failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    },
  },
});
const api = createApi({
  token: () => session.current()?.idToken,
  rejected: (token) => {
    // A late refusal of a token since renewed (or of someone signed out since) ends nothing.
    if (token !== undefined && token === session.current()?.idToken) {
      session.signOut('Your session ended. Sign in again.');
      queries.clear();
    }
  },
});

// Another tab renewing the token hands it over; signing out or in as someone else reloads this one.
window.addEventListener('storage', (event) => {
  if ((event.key === 'picfeed.session' || event.key === null) && session.adopt(event.newValue)) {
    window.location.reload();
  }
});

// A signed-in load of the home page asks for its data now, while React is still starting.
if (session.current() !== undefined) {
  void queries.prefetchQuery(meQuery(api));
  if (window.location.pathname === '/') {
    void queries.prefetchInfiniteQuery(timelineQuery(api));
  }
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <SessionProvider store={session}>
        <ApiProvider api={api}>
          <QueryClientProvider client={queries}>
            <BrowserRouter>
              <App />
            </BrowserRouter>
          </QueryClientProvider>
        </ApiProvider>
      </SessionProvider>
    </StrictMode>,
  );
}
