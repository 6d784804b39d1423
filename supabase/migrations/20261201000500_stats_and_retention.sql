-- Stats, retention and deletion: what an operator reads over a window, what is purged as it ages, and
-- a data-subject deletion.

-- Operator statistics over a time window, in one round trip (GET /api/v1/vapi/stats).
--   * The window is half-open, [p_since, p_until). Calls count by when Callbridge first saw them
--     (created_at); deliveries by when they were received (received_at).
--   * A call's outcome is vapi_call_outcome(ended_reason) (the table in
--     20261201000200_vapi_ended_reasons.sql, the same the call routes use), counted only for calls that
--     ended (status `ended` or a report received), as the read API does.
--   * A delivery succeeds when its outcome is `stored` or `acknowledged`; the success rate is null when
--     the window holds no delivery.
--   * Failure codes are the error_code of `rejected` and `failed` deliveries, the ten most frequent.
--   * p_source_ids: null = every source (API_KEYS); a list = only those sources (a scoped read key),
--     which never includes the default source.
--   * Indexes: both scans are range scans on the time column. The covering indexes below let Postgres
--     answer from the index alone (no heap visit once vacuumed): measured in apps/api/bench/stats.ts.
create index vapi_webhook_events_stats_idx
  on public.vapi_webhook_events (received_at) include (event_type, outcome, error_code, source_id);
create index vapi_call_results_stats_idx
  on public.vapi_call_results (created_at)
  include (status, ended_reason, duration_seconds, cost, report_received_at, source_id);

create function public.vapi_stats(p_since timestamptz, p_until timestamptz, p_source_ids uuid[] default null)
returns jsonb
language sql
stable
set search_path = ''
as $$
  with event_groups as (
    select event_type, outcome, error_code, count(*) as n
    from public.vapi_webhook_events
    where received_at >= p_since and received_at < p_until
      and (p_source_ids is null or source_id = any(p_source_ids))
    group by event_type, outcome, error_code
  ),
  -- Each table grouped on its first read: a CTE read twice would be materialized row by row.
  call_groups as (
    select status, (status = 'ended' or report_received_at is not null) as ended, ended_reason, count(*) as n
    from public.vapi_call_results
    where created_at >= p_since and created_at < p_until
      and (p_source_ids is null or source_id = any(p_source_ids))
    group by 1, 2, 3
  ),
  call_figures as (
    select avg(duration_seconds) as mean,
      percentile_cont(0.5) within group (order by duration_seconds) as p50,
      percentile_cont(0.95) within group (order by duration_seconds) as p95,
      coalesce(sum(cost), 0) as total_cost
    from public.vapi_call_results
    where created_at >= p_since and created_at < p_until
      and (p_source_ids is null or source_id = any(p_source_ids))
  )
  select jsonb_build_object(
    'calls', jsonb_build_object(
      'total', (select coalesce(sum(n), 0) from call_groups),
      'byStatus', coalesce((select jsonb_object_agg(s.status, s.n) from (
          select coalesce(status, 'unknown') as status, sum(n) as n from call_groups group by 1) s), '{}'::jsonb),
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

comment on function public.vapi_stats is 'Calls and deliveries in [p_since, p_until) of p_source_ids (null: all): counts, outcomes, durations, cost, failure codes.';

-- Retention: old payloads, old deliveries and (optionally) old call results are purged.
--   * Payloads of deliveries received more than p_payload_days ago are set null; the row stays, so the
--     log still says what arrived, when, how big and with what outcome.
--   * Deliveries received more than p_event_days ago are deleted.
--   * Call results last updated more than p_call_days ago are deleted; p_call_days null keeps them all.
--   * Setting a payload to null is one of the two updates the log's append-only trigger lets through
--     (reject_event_update).
--   * Each call purges at most p_batch (≤ 5,000) rows per rule, so no statement holds locks for long; a
--     caller repeats while a batch comes back full (apps/api/src/services/retention-worker.ts).
--   * One purge at a time across instances: a transaction-scoped advisory lock (key 4_726_550_001),
--     taken with pg_try_advisory_xact_lock. Transaction-scoped because PostgREST runs each RPC in its
--     own transaction on a pooled connection: a session lock would outlive the call. A purge that finds
--     the lock held does nothing and says so (locked: false).
--   * Supabase Cron can run the same function instead of (or besides) the workers: see the end of this
--     file, which schedules it only where the pg_cron extension is available.
create index vapi_call_results_updated_idx on public.vapi_call_results (updated_at);

-- Rule: payloads past their retention are cleared, a batch at a time.
create function public.purge_vapi_event_payloads(p_before timestamptz, p_batch integer) returns integer
language sql
set search_path = ''
as $$
  with batch as (
    select id from public.vapi_webhook_events
    where received_at < p_before and payload is not null
    order by received_at limit p_batch for update skip locked
  ), cleared as (
    update public.vapi_webhook_events e set payload = null from batch where e.id = batch.id returning 1
  )
  select count(*)::integer from cleared;
$$;

-- Rule: deliveries past their retention are deleted, a batch at a time.
create function public.purge_vapi_events(p_before timestamptz, p_batch integer) returns integer
language sql
set search_path = ''
as $$
  with batch as (
    select id from public.vapi_webhook_events
    where received_at < p_before
    order by received_at limit p_batch for update skip locked
  ), deleted as (
    delete from public.vapi_webhook_events e using batch where e.id = batch.id returning 1
  )
  select count(*)::integer from deleted;
$$;

-- Rule: call results past their retention (last updated before p_before) are deleted, a batch at a time.
create function public.purge_vapi_call_results(p_before timestamptz, p_batch integer) returns integer
language sql
set search_path = ''
as $$
  with batch as (
    select id from public.vapi_call_results
    where updated_at < p_before
    order by updated_at limit p_batch for update skip locked
  ), deleted as (
    delete from public.vapi_call_results c using batch where c.id = batch.id returning 1
  )
  select count(*)::integer from deleted;
$$;

-- Returns { locked, payloadsCleared, eventsDeleted, callsDeleted }; locked false means another purge
-- was running and nothing was done.
create function public.purge_vapi_retention(
  p_payload_days integer default 30,
  p_event_days integer default 90,
  p_call_days integer default null,
  p_batch integer default 5000
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_batch integer := least(greatest(coalesce(p_batch, 5000), 1), 5000);
begin
  if p_payload_days < 1 or p_event_days < 1 or p_call_days < 1 then
    raise exception 'retention periods must be at least one day';
  end if;
  if not pg_try_advisory_xact_lock(4726550001) then
    return jsonb_build_object('locked', false, 'payloadsCleared', 0, 'eventsDeleted', 0, 'callsDeleted', 0);
  end if;
  return jsonb_build_object(
    'locked', true,
    'payloadsCleared', public.purge_vapi_event_payloads(now() - make_interval(days => p_payload_days), v_batch),
    'eventsDeleted', public.purge_vapi_events(now() - make_interval(days => p_event_days), v_batch),
    'callsDeleted', case when p_call_days is null then 0
      else public.purge_vapi_call_results(now() - make_interval(days => p_call_days), v_batch) end);
end;
$$;

comment on function public.purge_vapi_retention is 'Purges one batch (≤ 5,000 rows per rule) of payloads, deliveries and call results past retention; one caller at a time.';

-- Data-subject requests: deletes a call's row and its logged deliveries in one transaction; with
-- p_source_ids, only what belongs to those sources.
create function public.delete_vapi_call(p_call_id text, p_source_ids uuid[] default null) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  deleted_rows integer;
  deleted_events integer;
begin
  delete from public.vapi_call_results
    where call_id = p_call_id and (p_source_ids is null or source_id = any(p_source_ids));
  get diagnostics deleted_rows = row_count;
  delete from public.vapi_webhook_events
    where call_id = p_call_id and (p_source_ids is null or source_id = any(p_source_ids));
  get diagnostics deleted_events = row_count;
  return jsonb_build_object('deleted', deleted_rows > 0, 'deletedEvents', deleted_events);
end;
$$;

revoke execute on function
  public.vapi_stats(timestamptz, timestamptz, uuid[]),
  public.purge_vapi_event_payloads(timestamptz, integer),
  public.purge_vapi_events(timestamptz, integer),
  public.purge_vapi_call_results(timestamptz, integer),
  public.purge_vapi_retention(integer, integer, integer, integer),
  public.delete_vapi_call(text, uuid[])
  from public, anon, authenticated;
grant execute on function
  public.vapi_stats(timestamptz, timestamptz, uuid[]),
  public.purge_vapi_event_payloads(timestamptz, integer),
  public.purge_vapi_events(timestamptz, integer),
  public.purge_vapi_call_results(timestamptz, integer),
  public.purge_vapi_retention(integer, integer, integer, integer),
  public.delete_vapi_call(text, uuid[])
  to service_role;

-- Optional: Supabase Cron. Where pg_cron is available (hosted Supabase), purge every 10 minutes with the
-- defaults above; elsewhere (the local stack) this does nothing. The lock makes it safe beside the
-- workers; set RETENTION_WORKER_ENABLED=false to leave purging to cron alone. Other periods:
-- select cron.alter_job((select jobid from cron.job where jobname = 'callbridge-retention'),
--   command => 'select public.purge_vapi_retention(14, 60, 365)');
do $$
begin
  if exists (select from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron;
    execute $cron$select cron.schedule('callbridge-retention', '*/10 * * * *',
      'select public.purge_vapi_retention()')$cron$;
  end if;
end
$$;
