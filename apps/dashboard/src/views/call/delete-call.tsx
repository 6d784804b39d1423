import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useDeleteCall } from '../../api/queries.ts';

/** Deleting is for data-subject requests and cannot be undone: it asks once more, in place. */
export function DeleteCall({ callId }: { callId: string }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteCall();
  const navigate = useNavigate();

  if (!confirming) {
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Delete call…
      </button>
    );
  }
  return (
    <div className="confirm" role="alertdialog" aria-labelledby="confirm-delete">
      <p id="confirm-delete">
        Delete call <code>{callId}</code> and every delivery logged for it? This cannot be undone.
      </p>
      <button
        type="button"
        className="danger"
        disabled={remove.isPending}
        onClick={() => remove.mutate(callId, { onSuccess: () => navigate('/calls') })}
      >
        Delete for good
      </button>
      {/* biome-ignore lint/a11y/noAutofocus: focus moves to the safe choice of a destructive dialog */}
      <button type="button" className="secondary" autoFocus onClick={() => setConfirming(false)}>
        Cancel
      </button>
      {remove.error && (
        <p role="alert" className="error">
          {remove.error.message}
        </p>
      )}
    </div>
  );
}
