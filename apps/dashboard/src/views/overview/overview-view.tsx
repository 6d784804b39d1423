import { CALL_OUTCOMES } from '@callbridge/contracts';
import { useMemo, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useCallsInRange, useStats } from '../../api/queries.ts';
import { bucketCallsByHour, HOUR_MS } from '../../lib/chart-buckets.ts';
import { formatUsd } from '../../lib/cost-rows.ts';
import { formatDuration } from '../../lib/format.ts';

const RANGES = { '24 hours': 24, '3 days': 72, '7 days': 168 } as const;
type RangeLabel = keyof typeof RANGES;

const OUTCOME_COLORS: Record<string, string> = {
  completed: '#2f855a',
  'no-answer': '#b7791f',
  busy: '#c05621',
  voicemail: '#6b46c1',
  canceled: '#718096',
  failed: '#c53030',
  running: '#3182ce',
};

const hourLabel = (start: number) =>
  new Date(start).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });

export function OverviewView() {
  const [range, setRange] = useState<RangeLabel>('24 hours');
  const { since, until } = useMemo(() => {
    const end = Math.ceil(Date.now() / HOUR_MS) * HOUR_MS;
    return { since: new Date(end - RANGES[range] * HOUR_MS), until: new Date(end) };
  }, [range]);
  const stats = useStats(since.toISOString(), until.toISOString());
  const calls = useCallsInRange(since.toISOString(), until.toISOString());
  const buckets = useMemo(
    () => (calls.data ? bucketCallsByHour(calls.data.calls, since, until) : []),
    [calls.data, since, until],
  );
  const summary = stats.data?.data;

  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <label>
        Range{' '}
        <select value={range} onChange={(event) => setRange(event.target.value as RangeLabel)}>
          {Object.keys(RANGES).map((label) => (
            <option key={label}>{label}</option>
          ))}
        </select>
      </label>
      {(stats.error || calls.error) && (
        <p role="alert" className="error">
          {(stats.error ?? calls.error)?.message}
        </p>
      )}
      {summary && (
        <dl className="tiles">
          <div>
            <dt>Calls</dt>
            <dd>{summary.calls.total}</dd>
          </div>
          <div>
            <dt>Median duration</dt>
            <dd>{formatDuration(summary.calls.durationSeconds.p50)}</dd>
          </div>
          <div>
            <dt>Total cost</dt>
            <dd>{formatUsd(summary.calls.totalCost)}</dd>
          </div>
          <div>
            <dt>Delivery success</dt>
            <dd>
              {summary.deliveries.successRate === null
                ? '—'
                : `${(summary.deliveries.successRate * 100).toFixed(2)} %`}{' '}
              <small>of {summary.deliveries.total}</small>
            </dd>
          </div>
        </dl>
      )}
      {calls.data && !calls.data.complete && (
        <p className="notice">The charts show the newest 500 calls of the range.</p>
      )}
      <h2>Calls per hour by outcome</h2>
      <div className="chart" role="img" aria-label="Calls per hour by outcome">
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={buckets}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="start" tickFormatter={hourLabel} minTickGap={40} />
            <YAxis allowDecimals={false} />
            <Tooltip labelFormatter={(value) => hourLabel(Number(value))} />
            <Legend />
            {[...CALL_OUTCOMES, 'running' as const].map((outcome) => (
              <Bar key={outcome} dataKey={outcome} stackId="calls" fill={OUTCOME_COLORS[outcome]} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <h2>Mean duration and cost per hour</h2>
      <div className="chart" role="img" aria-label="Mean duration and cost per hour">
        <ResponsiveContainer width="100%" height={260}>
          <LineChart data={buckets}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="start" tickFormatter={hourLabel} minTickGap={40} />
            <YAxis yAxisId="seconds" />
            <YAxis yAxisId="usd" orientation="right" />
            <Tooltip labelFormatter={(value) => hourLabel(Number(value))} />
            <Legend />
            <Line
              yAxisId="seconds"
              dataKey="meanDurationSeconds"
              name="mean duration (s)"
              stroke="#3182ce"
              connectNulls
            />
            <Line yAxisId="usd" dataKey="cost" name="cost (USD)" stroke="#2f855a" />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
