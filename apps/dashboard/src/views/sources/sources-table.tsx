import type { VapiSource } from '@callbridge/contracts';
import { Fragment, useState } from 'react';
import { useSetSourceActive } from '../../api/admin-queries.ts';
import { CopyButton } from '../../components/copy-button.tsx';
import { formatTime } from '../../lib/format.ts';
import type { OneTimeSecret } from './one-time-secret.tsx';
import { DeleteSourceForm, RotateSecretForm } from './source-actions.tsx';

type OpenAction = { sourceId: string; kind: 'rotate' | 'delete' } | null;

export function SourcesTable({
  sources,
  onSecret,
}: {
  sources: VapiSource[];
  onSecret: (shown: OneTimeSecret) => void;
}) {
  const [open, setOpen] = useState<OpenAction>(null);
  const setActive = useSetSourceActive();

  if (sources.length === 0) return <p className="empty">No sources yet: create one below.</p>;
  return (
    <div className="table-scroll">
      <table className="sources">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Mode</th>
            <th scope="col">Active</th>
            <th scope="col">Calls</th>
            <th scope="col">Last delivery</th>
            <th scope="col">Webhook URL</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((source) => (
            <Fragment key={source.id}>
              <tr data-source-id={source.id} className={source.active ? undefined : 'inactive'}>
                <td>{source.name}</td>
                <td>{source.verification.mode}</td>
                <td>
                  <span className="badge">{source.active ? 'active' : 'disabled'}</span>
                </td>
                <td>{source.callCount}</td>
                <td>{formatTime(source.lastDeliveryAt)}</td>
                <td className="url">
                  <code>{source.webhookUrl}</code>
                  <CopyButton value={source.webhookUrl} label={`Copy the webhook URL of ${source.name}`} />
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => setOpen({ sourceId: source.id, kind: 'rotate' })}
                  >
                    Rotate secret…
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    disabled={setActive.isPending}
                    onClick={() => setActive.mutate({ sourceId: source.id, active: !source.active })}
                  >
                    {source.active ? 'Disable' : 'Enable'}
                  </button>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => setOpen({ sourceId: source.id, kind: 'delete' })}
                  >
                    Delete…
                  </button>
                </td>
              </tr>
              {open?.sourceId === source.id && (
                <tr className="row-action">
                  <td colSpan={7}>
                    {open.kind === 'rotate' ? (
                      <RotateSecretForm
                        source={source}
                        onCancel={() => setOpen(null)}
                        onRotated={(shown) => {
                          setOpen(null);
                          onSecret(shown);
                        }}
                      />
                    ) : (
                      <DeleteSourceForm source={source} onCancel={() => setOpen(null)} />
                    )}
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
      {setActive.error && (
        <p role="alert" className="error">
          {setActive.error.message}
        </p>
      )}
    </div>
  );
}
