import type { ReadKey, VapiSource } from '@callbridge/contracts';
import { type FormEvent, useState } from 'react';
import { useCreateReadKey, useReadKeys, useRevokeReadKey } from '../../api/admin-queries.ts';
import { formatTime } from '../../lib/format.ts';
import { readKeyCreateBody } from '../../lib/read-key-form.ts';
import type { OneTimeSecret } from './one-time-secret.tsx';

function CreateReadKeyForm({
  sources,
  onCreated,
}: {
  sources: VapiSource[];
  onCreated: (shown: OneTimeSecret) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const create = useCreateReadKey();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const result = readKeyCreateBody({
      name: String(data.get('name') ?? ''),
      sourceIds: data.getAll('sourceIds').map(String),
      expiresOn: String(data.get('expiresOn') ?? ''),
      access: data.get('access') === 'read+write' ? 'read+write' : 'read',
    });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    create.mutate(result.body, {
      onSuccess: (created) => {
        onCreated({ kind: 'read-key', name: created.name, key: created.key });
        create.reset();
        form.reset();
      },
    });
  }

  return (
    <form className="panel admin-form" onSubmit={submit} aria-labelledby="create-key-title">
      <h3 id="create-key-title">New scoped read key</h3>
      <label>
        Name
        <input name="name" required maxLength={200} placeholder="Acme Kestra" />
      </label>
      <fieldset>
        <legend>Sources it may read</legend>
        {sources.length === 0 && <p className="empty">Create a source first.</p>}
        {sources.map((source) => (
          <label key={source.id} className="check">
            <input type="checkbox" name="sourceIds" value={source.id} />
            {source.name}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Access</legend>
        <label className="check">
          <input type="radio" name="access" value="read" defaultChecked />
          Read only
        </label>
        <label className="check">
          <input type="radio" name="access" value="read+write" />
          Read and write (may also replay deliveries and delete a call’s data)
        </label>
      </fieldset>
      <label>
        Expires after (optional)
        <input name="expiresOn" type="date" />
      </label>
      {(error || create.error) && (
        <p role="alert" className="error">
          {error ?? create.error?.message}
        </p>
      )}
      <button type="submit" disabled={create.isPending || sources.length === 0}>
        Create read key
      </button>
    </form>
  );
}

function RevokeButton({ readKey }: { readKey: ReadKey }) {
  const [confirming, setConfirming] = useState(false);
  const revoke = useRevokeReadKey();
  if (readKey.state === 'revoked') return null;
  if (!confirming)
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Revoke…
      </button>
    );
  return (
    <span className="inline-confirm">
      <button
        type="button"
        className="danger"
        disabled={revoke.isPending}
        onClick={() => revoke.mutate(readKey.id)}
        aria-label={`Revoke ${readKey.name} for good`}
      >
        Revoke for good
      </button>
      {/* biome-ignore lint/a11y/noAutofocus: focus moves to the safe choice of a destructive step */}
      <button type="button" className="secondary" autoFocus onClick={() => setConfirming(false)}>
        Cancel
      </button>
      {revoke.error && (
        <span role="alert" className="error">
          {revoke.error.message}
        </span>
      )}
    </span>
  );
}

export function ReadKeysSection({
  sources,
  onCreated,
}: {
  sources: VapiSource[];
  onCreated: (shown: OneTimeSecret) => void;
}) {
  const keys = useReadKeys();
  const names = new Map(sources.map((source) => [source.id, source.name]));

  return (
    <section aria-labelledby="read-keys-title">
      <h2 id="read-keys-title">Scoped read keys</h2>
      <p>
        A scoped key reads only its sources’ calls, history, deliveries and stats; another source’s call
        answers 404 to it. A read-only key gets 403 on replay and delete; give a key read and write access for
        those. Keys from <code>API_KEYS</code> read and write everything and are not listed here.
      </p>
      <CreateReadKeyForm sources={sources} onCreated={onCreated} />
      {keys.error && (
        <p role="alert" className="error">
          {keys.error.message}
        </p>
      )}
      {keys.data && keys.data.length === 0 && <p className="empty">No read keys yet.</p>}
      {keys.data && keys.data.length > 0 && (
        <div className="table-scroll">
          <table className="read-keys">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Sources</th>
                <th scope="col">Access</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((readKey) => (
                <tr key={readKey.id} data-key-id={readKey.id} className={readKey.state}>
                  <td>{readKey.name}</td>
                  <td>
                    <code>{readKey.prefix}…</code>
                  </td>
                  <td>{readKey.sourceIds.map((id) => names.get(id) ?? id).join(', ')}</td>
                  <td>{readKey.access === 'read+write' ? 'read + write' : 'read only'}</td>
                  <td>{readKey.expiresAt ? formatTime(readKey.expiresAt) : 'never'}</td>
                  <td>{formatTime(readKey.lastUsedAt)}</td>
                  <td>
                    <span className="badge">
                      {readKey.state === 'revoked'
                        ? `revoked ${formatTime(readKey.revokedAt)}`
                        : readKey.state}
                    </span>
                  </td>
                  <td>
                    <RevokeButton readKey={readKey} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
