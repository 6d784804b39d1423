-- Operator statistics over a time window, in one round trip (GET /api/v1/vapi/stats).
--   * The window is half-open, [p_since, p_until). Calls count by when Callbridge first saw them
--     (created_at); deliveries by when they were received (received_at).
--   * A call's outcome is classified here, with the same patterns in the same order as
--     apps/api/src/lib/classify-call-outcome.ts (busy, no-answer, voicemail, failed, else completed),
--     and only for calls that ended (status `ended` or a report received), as the read API does.
--     Change one, change both: test/integration/routes/stats-routes.test.ts checks them against each other.
--   * A delivery succeeds when its outcome is `stored` or `acknowledged`; the success rate is null when
--     the window holds no delivery.
--   * Failure codes are the error_code of `rejected` and `failed` deliveries, the ten most frequent.
--   * Indexes: both scans are range scans on the time column. The covering indexes below let Postgres
--     answer from the index alone (no heap visit once vacuumed): measured in apps/api/bench/stats.ts.

create index vapi_webhook_events_stats_idx
  on public.vapi_webhook_events (received_at) include (event_type, outcome, error_code);
create index vapi_call_results_stats_idx
  on public.vapi_call_results (created_at) include (status, ended_reason, duration_seconds, cost, report_received_at);

-- One rule: the outcome a call's ended reason stands for.
create function public.vapi_call_outcome(p_ended_reason text) returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when lower(coalesce(p_ended_reason, '')) ~ 'busy' then 'busy'
    when lower(coalesce(p_ended_reason, '')) ~ 'did-not-answer|no-answer|not-answered|ring-timeout' then 'no-answer'
    when lower(coalesce(p_ended_reason, '')) ~ 'voicemail' then 'voicemail'
    when lower(coalesce(p_ended_reason, '')) ~ 'error|fault|failed|unavailable|invalid|not-found' then 'failed'
    else 'completed'
  end;
$$;

-- Returns { calls: { total, byStatus, byOutcome, durationSeconds: { mean, p50, p95 }, totalCost },
--           deliveries: { total, byType: { type: { outcome: n } }, successRate, topFailureCodes: [{ code, count }] } }
create function public.vapi_stats(p_since timestamptz, p_until timestamptz) returns jsonb
language sql
stable
set search_path = ''
as $$
  -- Each table is grouped on its first read and everything else is derived from the few groups: a CTE
  -- read twice would be materialized row by row (measured: 919 ms instead of the figure in the README).
  with event_groups as (
    select event_type, outcome, error_code, count(*) as n
    from public.vapi_webhook_events
    where received_at >= p_since and received_at < p_until
    group by event_type, outcome, error_code
  ),
  call_groups as (
    select status, (status = 'ended' or report_received_at is not null) as ended, ended_reason, count(*) as n
    from public.vapi_call_results
    where created_at >= p_since and created_at < p_until
    group by 1, 2, 3
  ),
  call_figures as (
    select avg(duration_seconds) as mean,
      percentile_cont(0.5) within group (order by duration_seconds) as p50,
      percentile_cont(0.95) within group (order by duration_seconds) as p95,
      coalesce(sum(cost), 0) as total_cost
    from public.vapi_call_results
    where created_at >= p_since and created_at < p_until
  )
  select jsonb_build_object(
    'calls', jsonb_build_object(
      'total', (select coalesce(sum(n), 0) from call_groups),
      'byStatus', coalesce((select jsonb_object_agg(s.status, s.n) from (
          select coalesce(status, 'unknown') as status, sum(n) as n from call_groups group by 1) s), '{}'::jsonb),
      -- Classified once per distinct ended reason, not once per call.
      'byOutcome', coalesce((select jsonb_object_agg(o.outcome, o.n) from (
          select public.vapi_call_outcome(ended_reason) as outcome, sum(n) as n
          from call_groups where ended group by 1) o), '{}'::jsonb),
      'durationSeconds', (select jsonb_build_object('mean', mean, 'p50', p50, 'p95', p95) from call_figures),
      'totalCost', (select total_cost from call_figures)),
    'deliveries', jsonb_build_object(
      'total', (select coalesce(sum(n), 0) from event_groups),
      'byType', coalesce((select jsonb_object_agg(t.event_type, t.outcomes) from (
          select event_type, jsonb_object_agg(outcome, n) as outcomes from (
            select event_type, outcome, sum(n) as n from event_groups group by 1, 2) e
          group by event_type) t), '{}'::jsonb),
      'successRate', (select sum(n) filter (where outcome in ('stored', 'acknowledged')) / nullif(sum(n), 0)
        from event_groups),
      'topFailureCodes', coalesce((select jsonb_agg(jsonb_build_object('code', f.error_code, 'count', f.n)
          order by f.n desc, f.error_code) from (
            select error_code, sum(n) as n from event_groups
            where outcome in ('rejected', 'failed') and error_code is not null
            group by error_code order by n desc, error_code limit 10) f), '[]'::jsonb))
  );
$$;

comment on function public.vapi_stats is 'Calls and deliveries in [p_since, p_until): counts, outcomes, durations, cost, failure codes.';

revoke execute on function public.vapi_call_outcome(text), public.vapi_stats(timestamptz, timestamptz) from public, anon, authenticated;
grant execute on function public.vapi_call_outcome(text), public.vapi_stats(timestamptz, timestamptz) to service_role;
