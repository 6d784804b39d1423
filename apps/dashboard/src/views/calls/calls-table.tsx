import type { CallListItem } from '@callbridge/contracts';
import { Link } from 'react-router-dom';
import { formatUsd } from '../../lib/cost-rows.ts';
import { formatDuration, formatTime } from '../../lib/format.ts';

export function CallsTable({ calls }: { calls: CallListItem[] }) {
  if (calls.length === 0) return <p className="empty">No calls match.</p>;
  return (
    <div className="table-scroll">
      <table className="calls-table">
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Call</th>
            <th scope="col">Customer</th>
            <th scope="col">Status</th>
            <th scope="col">Outcome</th>
            <th scope="col">Duration</th>
            <th scope="col">Cost</th>
          </tr>
        </thead>
        <tbody>
          {calls.map((call) => (
            <tr key={call.callId} data-call-id={call.callId}>
              <td>{formatTime(call.createdAt)}</td>
              <td>
                <Link to={`/calls/${encodeURIComponent(call.callId)}`}>{call.callId}</Link>
              </td>
              <td>{call.customerNumber ?? '—'}</td>
              <td>
                <span className={`badge status-${call.status}`}>{call.status}</span>
              </td>
              <td>
                {call.outcome ? <span className={`badge outcome-${call.outcome}`}>{call.outcome}</span> : '—'}
              </td>
              <td>{formatDuration(call.durationSeconds)}</td>
              <td>{formatUsd(call.cost)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
