import { KeyForm } from './key-form.tsx';
import type { KeyRole } from './key-role.ts';

/** Asks for an API key once and checks which kind it is before keeping it for this tab. */
export function SignIn({ onSignedIn }: { onSignedIn: (role: KeyRole, key: string) => void }) {
  return (
    <main className="sign-in">
      <section aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Callbridge</h1>
        <p>
          Sign in with a read key (one of <code>API_KEYS</code>, or a scoped key) to see calls, or an admin
          key (<code>ADMIN_API_KEYS</code>) to manage sources. It is kept in this tab only; you can add the
          other kind later.
        </p>
        <KeyForm label="API key" submitLabel="Sign in" onAccepted={onSignedIn} />
      </section>
    </main>
  );
}
