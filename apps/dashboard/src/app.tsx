import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { createApi } from './api/client.ts';
import type { KeyRole } from './auth/key-role.ts';
import { RequireKey } from './auth/require-key.tsx';
import { type Session, SessionProvider } from './auth/session.tsx';
import { type SessionKeys, sessionKeys } from './auth/session-key.ts';
import { SignIn } from './auth/sign-in.tsx';
import { Layout } from './components/layout.tsx';
import { CallView } from './views/call/call-view.tsx';
import { CallsView } from './views/calls/calls-view.tsx';
import { DeliveriesView } from './views/deliveries/deliveries-view.tsx';
import { OverviewView } from './views/overview/overview-view.tsx';
import { SourcesView } from './views/sources/sources-view.tsx';

export function App() {
  const [keys, setKeys] = useState<SessionKeys>(() => sessionKeys.read());
  const queryClient = useMemo(
    () => new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } }),
    [],
  );

  const session = useMemo((): Session | null => {
    if (!keys.read && !keys.admin) return null;
    const addKey = (role: KeyRole, key: string) => {
      sessionKeys.write(role, key);
      setKeys((held) => ({ ...held, [role]: key }));
    };
    // A key the API stops accepting (revoked, expired, removed from the config) is dropped alone.
    const forget = (role: KeyRole) => () => {
      sessionKeys.forget(role);
      queryClient.clear();
      setKeys(({ [role]: _dropped, ...rest }) => rest);
    };
    return {
      readApi: keys.read ? createApi(keys.read, forget('read')) : null,
      adminApi: keys.admin ? createApi(keys.admin, forget('admin')) : null,
      addKey,
      signOut: () => {
        sessionKeys.clear();
        queryClient.clear();
        setKeys({});
      },
    };
  }, [keys, queryClient]);

  if (!session) {
    return (
      <SignIn
        onSignedIn={(role, key) => {
          sessionKeys.write(role, key);
          setKeys({ [role]: key });
        }}
      />
    );
  }

  // An admin key alone starts where it can do something.
  const home = session.readApi ? '/calls' : '/sources';
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider session={session}>
        <BrowserRouter basename="/dashboard">
          <Routes>
            <Route element={<Layout />}>
              <Route index element={<Navigate to={home} replace />} />
              <Route
                path="calls"
                element={
                  <RequireKey needs="read">
                    <CallsView />
                  </RequireKey>
                }
              />
              <Route
                path="calls/:callId"
                element={
                  <RequireKey needs="read">
                    <CallView />
                  </RequireKey>
                }
              />
              <Route
                path="deliveries"
                element={
                  <RequireKey needs="read">
                    <DeliveriesView />
                  </RequireKey>
                }
              />
              <Route
                path="overview"
                element={
                  <RequireKey needs="read">
                    <OverviewView />
                  </RequireKey>
                }
              />
              <Route
                path="sources/*"
                element={
                  <RequireKey needs="admin">
                    <SourcesView />
                  </RequireKey>
                }
              />
              <Route path="*" element={<Navigate to={home} replace />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}
