import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import { ApolloProvider } from '@apollo/client/react';
import type { Api } from './apollo';
import type { Session } from './session';

const ApiContext = createContext<Api | null>(null);

export function ApiProvider({ api, children }: { api: Api; children: ReactNode }) {
  return (
    <ApiContext.Provider value={api}>
      <ApolloProvider client={api.client}>{children}</ApolloProvider>
    </ApiContext.Provider>
  );
}

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}

/** The current session (re-renders on sign-in, sign-out, refresh and changes from other tabs). */
export function useSession(): Session | null {
  const { session } = useApi();
  return useSyncExternalStore(
    (cb) => session.subscribe(cb),
    () => session.get(),
  );
}
