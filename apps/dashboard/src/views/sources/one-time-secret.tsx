import type { SourceVerification } from '@callbridge/contracts';
import { useEffect, useRef } from 'react';
import { CopyButton } from '../../components/copy-button.tsx';
import { formatTime } from '../../lib/format.ts';
import { rotationSteps, vapiSetupSteps } from '../../lib/vapi-setup-steps.ts';

/** A secret or key the API answered once. Held only in the Sources view's state until dismissed. */
export type OneTimeSecret =
  | {
      kind: 'source';
      name: string;
      webhookUrl: string;
      secret: string;
      verification: SourceVerification;
    }
  | {
      kind: 'rotation';
      name: string;
      secret: string;
      previousSecretsExpireAt: string;
      verification: SourceVerification;
    }
  | { kind: 'read-key'; name: string; key: string };

function Field({ label, value }: { label: string; value: string }) {
  return (
    <div className="one-time-field">
      <span className="label">{label}</span>
      <code className="one-time-value">{value}</code>
      <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} />
    </div>
  );
}

function title(shown: OneTimeSecret): string {
  if (shown.kind === 'source') return `Source “${shown.name}” created`;
  if (shown.kind === 'rotation') return `New secret for “${shown.name}”`;
  return `Read key “${shown.name}” created`;
}

export function OneTimeSecretPanel({ shown, onDismiss }: { shown: OneTimeSecret; onDismiss: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen-reader users land on what they must copy now.
  useEffect(() => heading.current?.focus(), []);

  const steps =
    shown.kind === 'source'
      ? vapiSetupSteps(shown.verification, shown.webhookUrl)
      : shown.kind === 'rotation'
        ? rotationSteps(shown.verification, formatTime(shown.previousSecretsExpireAt))
        : null;

  return (
    <section className="panel one-time" aria-labelledby="one-time-title">
      <h2 id="one-time-title" tabIndex={-1} ref={heading}>
        {title(shown)}
      </h2>
      <p className="warning" role="status">
        Copy {shown.kind === 'read-key' ? 'the key' : 'the secret'} now: it is shown only this once and
        Callbridge cannot show it again.
      </p>
      <div className="one-time-grid">
        <div>
          {shown.kind === 'source' && <Field label="Webhook URL" value={shown.webhookUrl} />}
          {shown.kind === 'read-key' ? (
            <Field label="Read key" value={shown.key} />
          ) : (
            <Field label="Secret" value={shown.secret} />
          )}
          {shown.kind === 'read-key' && (
            <p>
              Clients send it as <code>Authorization: Bearer &lt;key&gt;</code> on the read routes.
            </p>
          )}
        </div>
        {steps && (
          <aside aria-labelledby="vapi-steps-title" className="vapi-steps">
            <h3 id="vapi-steps-title">{shown.kind === 'source' ? 'Set it up in VAPI' : 'Then, in VAPI'}</h3>
            <ol>
              {steps.map((step) => (
                <li key={step}>{step}</li>
              ))}
            </ol>
          </aside>
        )}
      </div>
      <button type="button" onClick={onDismiss}>
        I have copied it — hide
      </button>
    </section>
  );
}
