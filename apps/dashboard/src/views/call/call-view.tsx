import type { CallResultResponse } from '@callbridge/contracts';
import { Link, useParams } from 'react-router-dom';
import { useCall, useCallEvents } from '../../api/queries.ts';
import { costRows, formatUsd } from '../../lib/cost-rows.ts';
import { formatDuration, formatTime } from '../../lib/format.ts';
import { playableRecordingUrl } from '../../lib/recording-url.ts';
import { statusTimeline } from '../../lib/status-timeline.ts';
import { transcriptTurns } from '../../lib/transcript-turns.ts';
import { DeleteCall } from './delete-call.tsx';
import { KeyValues } from './key-values.tsx';
import { Timeline } from './timeline.tsx';
import { Transcript } from './transcript.tsx';

export function CallView() {
  const callId = useParams().callId ?? '';
  const call = useCall(callId);
  const events = useCallEvents(callId);
  const timeline = statusTimeline(events.data?.data ?? []);

  return (
    <article aria-labelledby="call-title" className="call-view">
      <p>
        <Link to="/calls">← Calls</Link>
      </p>
      <h1 id="call-title">
        Call <code>{callId}</code>
      </h1>
      {call.error && (
        <p role="alert" className="error">
          {call.error.message}
        </p>
      )}
      {call.data?.state === 'unknown' && <p>No delivery has been received for this call.</p>}
      {call.data?.state === 'pending' && (
        <p className="notice" role="status">
          In progress: <strong>{call.data.status ?? 'known'}</strong>. The result appears here when it is
          final.
        </p>
      )}
      <div className="call-grid">
        {call.data?.state === 'final' && <CallResultPanels result={call.data} />}
        <section aria-labelledby="timeline-title" className="panel">
          <h2 id="timeline-title">Timeline</h2>
          <Timeline entries={timeline} callId={callId} />
          <p>
            <Link to={`/deliveries?callId=${encodeURIComponent(callId)}`}>All deliveries for this call</Link>
          </p>
        </section>
      </div>
      {call.data && call.data.state !== 'unknown' && <DeleteCall callId={callId} />}
    </article>
  );
}

function CallResultPanels({ result }: { result: CallResultResponse }) {
  const { data, kestraPush } = result;
  const recordingUrl = playableRecordingUrl(data.recordingUrl);
  const costs = costRows(data.costBreakdown ?? data.costs);
  return (
    <>
      <section aria-labelledby="summary-title" className="panel">
        <h2 id="summary-title">Summary</h2>
        <dl className="facts">
          <div>
            <dt>Outcome</dt>
            <dd>
              <span className={`badge outcome-${data.outcome}`}>{data.outcome}</span> (
              {data.endedReason ?? '—'})
            </dd>
          </div>
          <div>
            <dt>Customer</dt>
            <dd>{data.customerNumber ?? '—'}</dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{formatTime(data.startedAt)}</dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{formatDuration(data.durationSeconds)}</dd>
          </div>
          <div>
            <dt>Success evaluation</dt>
            <dd>{data.successEvaluation ?? '—'}</dd>
          </div>
        </dl>
        <p>{data.summary ?? 'No summary.'}</p>
        {recordingUrl ? (
          // biome-ignore lint/a11y/useMediaCaption: the transcript below is the call's text alternative
          <audio controls preload="none" src={recordingUrl} aria-label="Call recording">
            <a href={recordingUrl}>Recording</a>
          </audio>
        ) : (
          <p className="empty">
            {data.recordingUrl ? 'Recording not played: its URL is not https.' : 'No recording.'}
          </p>
        )}
      </section>
      <section aria-labelledby="transcript-title" className="panel wide">
        <h2 id="transcript-title">Transcript</h2>
        <Transcript turns={transcriptTurns(data.messages, data.transcript)} />
      </section>
      <section aria-labelledby="data-title" className="panel">
        <h2 id="data-title">Structured data</h2>
        <KeyValues value={data.structuredData} empty="None." />
        <h2>Metadata</h2>
        <KeyValues value={data.metadata} empty="None." />
        <h2>Variable values</h2>
        <KeyValues value={data.variableValues} empty="None." />
      </section>
      <section aria-labelledby="cost-title" className="panel">
        <h2 id="cost-title">Cost {formatUsd(data.cost)}</h2>
        {costs.length ? (
          <table className="costs">
            <tbody>
              {costs.map((row) => (
                <tr key={row.label}>
                  <th scope="row">{row.label}</th>
                  <td>{formatUsd(row.cost)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="empty">No breakdown.</p>
        )}
        <h2>Kestra push</h2>
        {kestraPush ? (
          <p>
            <span className={`badge push-${kestraPush.state}`}>{kestraPush.state}</span> execution{' '}
            <code>{kestraPush.executionId}</code> ({kestraPush.tenant}), {kestraPush.attempts} attempt(s)
            {kestraPush.lastError ? `, last error: ${kestraPush.lastError}` : ''}
          </p>
        ) : (
          <p className="empty">Not pushed (no Kestra execution in the metadata, or push not configured).</p>
        )}
      </section>
    </>
  );
}
