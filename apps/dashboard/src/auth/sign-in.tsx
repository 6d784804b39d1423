import { callListResponseSchema } from '@callbridge/contracts';
import { type FormEvent, useState } from 'react';
import { ApiError, createApi } from '../api/client.ts';

/** Asks for an API key once and checks it against the API before keeping it for this tab. */
export function SignIn({ onSignedIn }: { onSignedIn: (key: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const key = String(new FormData(form).get('apiKey') ?? '').trim();
    if (!key) return;
    setBusy(true);
    setError(null);
    try {
      await createApi(key, () => undefined).request('/api/v1/vapi/calls?limit=1', callListResponseSchema);
      form.reset();
      onSignedIn(key);
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.status === 401
          ? 'That key was not accepted.'
          : `Could not reach Callbridge: ${(caught as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Callbridge</h1>
        <p>
          Sign in with an API key (one of <code>API_KEYS</code>). It is kept in this tab only.
        </p>
        <label htmlFor="api-key">API key</label>
        <input id="api-key" name="apiKey" type="password" autoComplete="off" required />
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
