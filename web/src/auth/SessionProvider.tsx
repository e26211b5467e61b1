import { createContext, use, useSyncExternalStore, type ReactNode } from 'react';
import type { Session, SessionStore } from './session';

const SessionContext = createContext<SessionStore | undefined>(undefined);

export function SessionProvider({ store, children }: { store: SessionStore; children: ReactNode }) {
  return <SessionContext value={store}>{children}</SessionContext>;
}

export function useSessionStore(): SessionStore {
  const store = use(SessionContext);
  if (store === undefined) {
    throw new Error('useSessionStore outside SessionProvider');
  }
  return store;
}

export function useSession(): Session | undefined {
  const store = useSessionStore();
  return useSyncExternalStore(store.subscribe, store.current);
}
