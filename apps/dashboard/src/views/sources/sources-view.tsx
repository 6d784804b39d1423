import { useState } from 'react';
import { useSources } from '../../api/admin-queries.ts';
import { CreateSourceForm } from './create-source-form.tsx';
import { type OneTimeSecret, OneTimeSecretPanel } from './one-time-secret.tsx';
import { ReadKeysSection } from './read-keys-section.tsx';
import { SourcesTable } from './sources-table.tsx';

/**
 * Sources and scoped read keys, for admin keys. A secret or key the API answers once lives only in
 * this component's state while it is shown: not in the query cache, the URL or storage, and gone
 * when dismissed, on navigation and on reload.
 */
export function SourcesView() {
  const sources = useSources();
  const [shown, setShown] = useState<OneTimeSecret | null>(null);
  const list = sources.data ?? [];

  return (
    <section aria-labelledby="sources-title">
      <h1 id="sources-title">Sources</h1>
      <p>
        Each source is a VAPI org, assistant or client with its own webhook URL, secret and readers.
        Deliveries to the default URL (<code>/api/v1/vapi/webhook</code>) keep using the <code>VAPI_*</code>{' '}
        settings.
      </p>
      {shown && <OneTimeSecretPanel shown={shown} onDismiss={() => setShown(null)} />}
      {sources.isPending && <p>Loading…</p>}
      {sources.error && (
        <p role="alert" className="error">
          {sources.error.message}
        </p>
      )}
      {sources.data && <SourcesTable sources={list} onSecret={setShown} />}
      <CreateSourceForm onCreated={setShown} />
      {sources.data && <ReadKeysSection sources={list} onCreated={setShown} />}
    </section>
  );
}
