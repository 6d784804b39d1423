import { createContext, type ReactNode, useContext } from 'react';
import type { Api } from '../api/client.ts';
import type { KeyRole } from './key-role.ts';

export interface Session {
  api: Api;
  role: KeyRole;
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
