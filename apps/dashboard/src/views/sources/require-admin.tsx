import type { ReactNode } from 'react';
import { useSession } from '../../auth/session.tsx';

/** Views for admin keys only (issue 11); a read key sees why instead. */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const { role } = useSession();
  if (role !== 'admin') {
    return (
      <section aria-labelledby="admin-only">
        <h1 id="admin-only">Admin keys only</h1>
        <p>This view needs an admin key. Sign in with one to manage sources.</p>
      </section>
    );
  }
  return children;
}
