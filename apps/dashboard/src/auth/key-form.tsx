import { type FormEvent, useId, useState } from 'react';
import { detectKeyRole, type KeyRole } from './key-role.ts';

/**
 * One field for an API key, checked against the API before it is kept: the API says whether it is an
 * admin or a read key. `expect` refuses the other kind, for prompts that ask for one role.
 */
export function KeyForm({
  label,
  submitLabel,
  expect,
  onAccepted,
}: {
  label: string;
  submitLabel: string;
  expect?: KeyRole;
  onAccepted: (role: KeyRole, key: string) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputId = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const key = String(new FormData(form).get('apiKey') ?? '').trim();
    if (!key) return;
    setBusy(true);
    setError(null);
    try {
      const role = await detectKeyRole(key);
      if (!role) setError('That key was not accepted.');
      else if (expect && role !== expect)
        setError(
          expect === 'read'
            ? 'That is an admin key; this needs a read key (API_KEYS or one made under Sources).'
            : 'That is a read key; this needs an admin key (ADMIN_API_KEYS).',
        );
      else {
        form.reset();
        onAccepted(role, key);
      }
    } catch (caught) {
      setError(`Could not reach Callbridge: ${(caught as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="key-form" onSubmit={submit}>
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} name="apiKey" type="password" autoComplete="off" required />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Checking…' : submitLabel}
      </button>
    </form>
  );
}
