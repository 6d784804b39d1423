import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { createApi } from './api/client.ts';
import { detectKeyRole, type KeyRole } from './auth/key-role.ts';
import { SessionProvider } from './auth/session.tsx';
import { sessionKey } from './auth/session-key.ts';
import { SignIn } from './auth/sign-in.tsx';
import { Layout } from './components/layout.tsx';
import { CallView } from './views/call/call-view.tsx';
import { CallsView } from './views/calls/calls-view.tsx';
import { DeliveriesView } from './views/deliveries/deliveries-view.tsx';
import { OverviewView } from './views/overview/overview-view.tsx';
import { RequireAdmin } from './views/sources/require-admin.tsx';
import { SourcesView } from './views/sources/sources-view.tsx';

export function App() {
  const [key, setKey] = useState<string | null>(() => sessionKey.read());
  const [role, setRole] = useState<KeyRole>('read');
  const queryClient = useMemo(
    () => new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } }),
    [],
  );

  useEffect(() => {
    if (key) void detectKeyRole(key).then(setRole);
  }, [key]);

  const session = useMemo(() => {
    if (!key) return null;
    const signOut = () => {
      sessionKey.clear();
      queryClient.clear();
      setKey(null);
    };
    return { api: createApi(key, signOut), role, signOut };
  }, [key, role, queryClient]);

  if (!session) {
    return (
      <SignIn
        onSignedIn={(signedIn) => {
          sessionKey.write(signedIn);
          setKey(signedIn);
        }}
      />
    );
  }

  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider session={session}>
        <BrowserRouter basename="/dashboard">
          <Routes>
            <Route element={<Layout />}>
              <Route index element={<Navigate to="/calls" replace />} />
              <Route path="calls" element={<CallsView />} />
              <Route path="calls/:callId" element={<CallView />} />
              <Route path="deliveries" element={<DeliveriesView />} />
              <Route path="overview" element={<OverviewView />} />
              <Route
                path="sources/*"
                element={
                  <RequireAdmin>
                    <SourcesView />
                  </RequireAdmin>
                }
              />
              <Route path="*" element={<Navigate to="/calls" replace />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}
