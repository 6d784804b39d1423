import { createContext, type ReactNode, useContext } from 'react';
import type { Api } from '../api/client.ts';
import type { KeyRole } from './key-role.ts';

export interface Session {
  /** The read key's client: calls, deliveries, stats. Null while the tab holds only an admin key. */
  readApi: Api | null;
  /** The admin key's client: sources and read keys. */
  adminApi: Api | null;
  addKey: (role: KeyRole, key: string) => void;
  signOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** For hooks under RequireKey needs="read"; outside it there is no read key to use. */
export function useReadApi(): Api {
  const { readApi } = useSession();
  if (!readApi) throw new Error('useReadApi outside RequireKey needs="read"');
  return readApi;
}

export function useAdminApi(): Api {
  const { adminApi } = useSession();
  if (!adminApi) throw new Error('useAdminApi outside RequireKey needs="admin"');
  return adminApi;
}
