import type { ReactNode } from 'react';
import { KeyForm } from './key-form.tsx';
import type { KeyRole } from './key-role.ts';
import { useSession } from './session.tsx';

const WHY: Record<KeyRole, { title: string; text: ReactNode; label: string }> = {
  read: {
    title: 'This view needs a read key',
    text: (
      <>
        You are signed in with an admin key only. Admin keys manage sources and keys but do not read call
        data, so calls, deliveries and stats need a read key: one of <code>API_KEYS</code>, or a scoped key
        created under Sources. Add one here; the admin key stays signed in.
      </>
    ),
    label: 'Read key',
  },
  admin: {
    title: 'Sources need an admin key',
    text: (
      <>
        Creating sources, rotating their secrets and making scoped read keys needs a key from{' '}
        <code>ADMIN_API_KEYS</code>. Add one here; your read key stays signed in.
      </>
    ),
    label: 'Admin key',
  },
};

/** Renders its children only when the tab holds a key of this role; otherwise says why and asks for one. */
export function RequireKey({ needs: role, children }: { needs: KeyRole; children: ReactNode }) {
  const session = useSession();
  if (role === 'read' ? session.readApi : session.adminApi) return children;
  const why = WHY[role];
  return (
    <section aria-labelledby="needs-key" className="needs-key">
      <h1 id="needs-key">{why.title}</h1>
      <p>{why.text}</p>
      <KeyForm label={why.label} submitLabel="Add key" expect={role} onAccepted={session.addKey} />
    </section>
  );
}
