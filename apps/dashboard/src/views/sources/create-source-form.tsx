import { type FormEvent, useState } from 'react';
import { useCreateSource } from '../../api/admin-queries.ts';
import {
  DEFAULT_SOURCE_FORM,
  type SourceFormValues,
  sourceCreateBody,
  type VerificationMode,
} from '../../lib/source-form.ts';
import type { OneTimeSecret } from './one-time-secret.tsx';

const MODES: Record<VerificationMode, string> = {
  hmac: 'HMAC signature (recommended)',
  bearer: 'Bearer token',
  oauth2: 'OAuth2 (client credentials)',
  secret: 'Shared secret header (legacy)',
};

export function CreateSourceForm({ onCreated }: { onCreated: (shown: OneTimeSecret) => void }) {
  const [mode, setMode] = useState<VerificationMode>('hmac');
  const [error, setError] = useState<string | null>(null);
  const create = useCreateSource();
  const d = DEFAULT_SOURCE_FORM;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = (name: keyof SourceFormValues) => String(data.get(name) ?? d[name]);
    const result = sourceCreateBody({
      name: text('name'),
      mode,
      algorithm: text('algorithm'),
      signatureHeader: text('signatureHeader'),
      timestampHeader: text('timestampHeader'),
      includeTimestamp: mode === 'hmac' ? data.get('includeTimestamp') === 'on' : d.includeTimestamp,
      encoding: text('encoding'),
      signaturePrefix: text('signaturePrefix'),
      secretIsBase64: data.get('secretIsBase64') === 'on',
      toleranceSeconds: text('toleranceSeconds'),
      secretHeaderName: text('secretHeaderName'),
      bearerHeaderName: text('bearerHeaderName'),
      bearerPrefixEnabled:
        mode === 'bearer' ? data.get('bearerPrefixEnabled') === 'on' : d.bearerPrefixEnabled,
      oauthClientId: text('oauthClientId'),
      oauthTokenTtlSeconds: text('oauthTokenTtlSeconds'),
    });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    create.mutate(result.body, {
      onSuccess: (source) => {
        onCreated({
          kind: 'source',
          name: source.name,
          webhookUrl: source.webhookUrl,
          secret: source.secret,
          verification: source.verification,
        });
        create.reset();
        form.reset();
        setMode('hmac');
      },
    });
  }

  return (
    <form className="panel admin-form" onSubmit={submit} aria-labelledby="create-source-title">
      <h2 id="create-source-title">New source</h2>
      <label>
        Name
        <input name="name" required maxLength={200} placeholder="Acme VAPI org" />
      </label>
      <label>
        Verification
        <select
          name="mode"
          value={mode}
          onChange={(event) => setMode(event.target.value as VerificationMode)}
        >
          {Object.entries(MODES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {mode === 'hmac' && (
        <details>
          <summary>HMAC settings (the defaults match VAPI’s HMAC credential)</summary>
          <div className="settings-grid">
            <label>
              Algorithm
              <select name="algorithm" defaultValue={d.algorithm}>
                <option>sha256</option>
                <option>sha512</option>
                <option>sha1</option>
              </select>
            </label>
            <label>
              Signature header
              <input name="signatureHeader" defaultValue={d.signatureHeader} required />
            </label>
            <label>
              Timestamp header
              <input name="timestampHeader" defaultValue={d.timestampHeader} required />
            </label>
            <label>
              Encoding
              <select name="encoding" defaultValue={d.encoding}>
                <option>hex</option>
                <option>base64</option>
              </select>
            </label>
            <label>
              Signature prefix
              <input name="signaturePrefix" defaultValue={d.signaturePrefix} placeholder="none" />
            </label>
            <label>
              Clock tolerance (s)
              <input
                name="toleranceSeconds"
                type="number"
                min={1}
                max={86400}
                defaultValue={d.toleranceSeconds}
              />
            </label>
            <label className="check">
              <input name="includeTimestamp" type="checkbox" defaultChecked={d.includeTimestamp} />
              Sign the timestamp ({'{timestamp}.{body}'})
            </label>
            <label className="check">
              <input name="secretIsBase64" type="checkbox" defaultChecked={d.secretIsBase64} />
              Secret is base64
            </label>
          </div>
        </details>
      )}
      {mode === 'secret' && (
        <label>
          Header name
          <input name="secretHeaderName" defaultValue={d.secretHeaderName} required />
        </label>
      )}
      {mode === 'bearer' && (
        <div className="settings-grid">
          <label>
            Header name
            <input name="bearerHeaderName" defaultValue={d.bearerHeaderName} required />
          </label>
          <label className="check">
            <input name="bearerPrefixEnabled" type="checkbox" defaultChecked={d.bearerPrefixEnabled} />
            Token prefixed with “Bearer ” (VAPI’s bearerPrefixEnabled)
          </label>
        </div>
      )}
      {mode === 'oauth2' && (
        <div className="settings-grid">
          <label>
            Client ID
            <input name="oauthClientId" defaultValue={d.oauthClientId} required maxLength={200} />
          </label>
          <label>
            Token lifetime (s)
            <input
              name="oauthTokenTtlSeconds"
              type="number"
              min={60}
              max={86400}
              defaultValue={d.oauthTokenTtlSeconds}
            />
          </label>
        </div>
      )}
      {(error || create.error) && (
        <p role="alert" className="error">
          {error ?? create.error?.message}
        </p>
      )}
      <button type="submit" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create source'}
      </button>
    </form>
  );
}
