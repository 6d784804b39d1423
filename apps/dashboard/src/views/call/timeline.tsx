import { Link } from 'react-router-dom';
import { formatTime } from '../../lib/format.ts';
import type { TimelineEntry } from '../../lib/status-timeline.ts';

export function Timeline({ entries, callId }: { entries: TimelineEntry[]; callId: string }) {
  if (entries.length === 0) return <p className="empty">No deliveries logged.</p>;
  return (
    <ol className="timeline" aria-label="Status timeline">
      {entries.map((entry) => (
        <li
          key={entry.eventId}
          className={`timeline-${entry.kind} ${entry.outcome === 'failed' ? 'failed' : ''}`}
        >
          <time dateTime={entry.at}>{formatTime(entry.at)}</time> <strong>{entry.label}</strong>
          {entry.outcome === 'failed' && (
            <>
              {' '}
              — failed ({entry.errorCode ?? 'unknown'}),{' '}
              <Link to={`/deliveries?outcome=failed&callId=${encodeURIComponent(callId)}`}>
                see deliveries
              </Link>
            </>
          )}
        </li>
      ))}
    </ol>
  );
}
