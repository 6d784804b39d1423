import type { VapiSource } from '@callbridge/contracts';
import { type ChangeEvent, type FormEvent, useState } from 'react';
import { useDeleteSource, useRotateSecret } from '../../api/admin-queries.ts';
import { confirmsDeletion } from '../../lib/delete-confirmation.ts';
import type { OneTimeSecret } from './one-time-secret.tsx';

export function RotateSecretForm({
  source,
  onRotated,
  onCancel,
}: {
  source: VapiSource;
  onRotated: (shown: OneTimeSecret) => void;
  onCancel: () => void;
}) {
  const rotate = useRotateSecret();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const overlapHours = Number(new FormData(event.currentTarget).get('overlapHours'));
    rotate.mutate(
      { sourceId: source.id, overlapHours },
      {
        onSuccess: (rotated) => {
          onRotated({
            kind: 'rotation',
            name: source.name,
            secret: rotated.secret,
            previousSecretsExpireAt: rotated.previousSecretsExpireAt,
            verification: source.verification,
          });
          rotate.reset();
        },
      },
    );
  }
  return (
    <form className="confirm" onSubmit={submit} aria-label={`Rotate the secret of ${source.name}`}>
      <p>
        A new secret becomes current. The previous one keeps working for the overlap, so VAPI can be switched
        without losing deliveries; 0 stops it at once.
      </p>
      <label>
        Overlap (hours)
        {/* biome-ignore lint/a11y/noAutofocus: the form opens on request; focus goes to its one field */}
        <input name="overlapHours" type="number" min={0} max={720} step="any" defaultValue={24} autoFocus />
      </label>
      <button type="submit" disabled={rotate.isPending}>
        Rotate secret
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
      {rotate.error && (
        <p role="alert" className="error">
          {rotate.error.message}
        </p>
      )}
    </form>
  );
}

export function DeleteSourceForm({ source, onCancel }: { source: VapiSource; onCancel: () => void }) {
  const [typed, setTyped] = useState('');
  const remove = useDeleteSource();
  const confirmed = confirmsDeletion(source, typed);
  const type = (event: ChangeEvent<HTMLInputElement>) => setTyped(event.target.value);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (confirmed) remove.mutate(source.id);
  }
  return (
    <form className="confirm" role="alertdialog" onSubmit={submit} aria-labelledby={`delete-${source.id}`}>
      <p id={`delete-${source.id}`}>
        Delete <strong>{source.name}</strong> and everything it received: its{' '}
        {source.callCount === 1 ? 'call' : `${source.callCount} calls`} and every delivery logged for them go
        with it, and read keys lose it from their scope. This cannot be undone.
      </p>
      <label>
        Type the source’s name or id to confirm
        {/* biome-ignore lint/a11y/noAutofocus: the dialog opens on request; focus goes to its one field */}
        <input value={typed} onChange={type} autoComplete="off" autoFocus />
      </label>
      <button type="submit" className="danger" disabled={!confirmed || remove.isPending}>
        Delete source for good
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
      {remove.error && (
        <p role="alert" className="error">
          {remove.error.message}
        </p>
      )}
    </form>
  );
}
