import { EVENT_OUTCOMES, type VapiEvent } from '@callbridge/contracts';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useEvents, useReplayEvent } from '../../api/queries.ts';
import { formatTime } from '../../lib/format.ts';

const FIELDS = ['callId', 'type', 'outcome'] as const;

export function DeliveriesView() {
  const [search, setSearch] = useSearchParams();
  const filter = Object.fromEntries(
    FIELDS.flatMap((field) => (search.get(field) ? [[field, search.get(field) ?? '']] : [])),
  );
  const events = useEvents(filter);
  const rows = events.data?.pages.flatMap((page) => page.data) ?? [];

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const field of FIELDS) {
      const value = String(data.get(field) ?? '').trim();
      if (value) next.set(field, value);
    }
    setSearch(next);
  }

  return (
    <section aria-labelledby="deliveries-title">
      <h1 id="deliveries-title">Deliveries</h1>
      <form className="filters" onSubmit={submit} key={search.toString()} aria-label="Filter deliveries">
        <label>
          Call id
          <input name="callId" defaultValue={filter.callId ?? ''} />
        </label>
        <label>
          Type
          <input name="type" defaultValue={filter.type ?? ''} placeholder="end-of-call-report" />
        </label>
        <label>
          Outcome
          <select name="outcome" defaultValue={filter.outcome ?? ''}>
            <option value="">any</option>
            {EVENT_OUTCOMES.map((outcome) => (
              <option key={outcome}>{outcome}</option>
            ))}
          </select>
        </label>
        <div className="filter-actions">
          <button type="submit">Apply</button>
          <button type="button" className="secondary" onClick={() => setSearch(new URLSearchParams())}>
            Clear
          </button>
        </div>
      </form>
      {events.isPending && <p>Loading…</p>}
      {events.error && (
        <p role="alert" className="error">
          {events.error.message}
        </p>
      )}
      {events.data && rows.length === 0 && <p className="empty">No deliveries match.</p>}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="deliveries-table">
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Type</th>
                <th scope="col">Call</th>
                <th scope="col">Outcome</th>
                <th scope="col">Size</th>
                <th scope="col">Replay</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((event) => (
                <DeliveryRow key={event.id} event={event} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {events.hasNextPage && (
        <button type="button" onClick={() => events.fetchNextPage()} disabled={events.isFetchingNextPage}>
          Older deliveries
        </button>
      )}
    </section>
  );
}

function DeliveryRow({ event }: { event: VapiEvent }) {
  const replay = useReplayEvent();
  const failed = event.outcome === 'failed' || event.outcome === 'rejected';
  return (
    <tr className={failed ? 'failed' : undefined} data-event-id={event.id}>
      <td>{formatTime(event.receivedAt)}</td>
      <td>{event.type}</td>
      <td>
        {event.callId ? <Link to={`/calls/${encodeURIComponent(event.callId)}`}>{event.callId}</Link> : '—'}
      </td>
      <td>
        <span className={`badge event-${event.outcome}`}>{event.outcome}</span>
        {event.errorCode && <span className="reason"> {event.errorCode}</span>}
        {event.replayOf !== null && <span className="reason"> replay of #{event.replayOf}</span>}
      </td>
      <td>{event.payloadBytes} B</td>
      <td>
        <button
          type="button"
          className={failed ? undefined : 'secondary'}
          onClick={() => replay.mutate(event.id)}
          disabled={replay.isPending}
          aria-label={`Replay delivery ${event.id}`}
        >
          Replay
        </button>
        {replay.data && (
          <span role="status" className="reason">
            {' '}
            replayed: {replay.data.data.outcome}
            {replay.data.data.errorCode ? ` (${replay.data.data.errorCode})` : ''}
          </span>
        )}
        {replay.error && (
          <span role="alert" className="error">
            {' '}
            {replay.error.message}
          </span>
        )}
      </td>
    </tr>
  );
}
