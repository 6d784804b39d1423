-- Retention: old payloads, old deliveries and (optionally) old call results are purged.
--   * Payloads of deliveries received more than p_payload_days ago are set null; the row stays, so the
--     log still says what arrived, when, how big and with what outcome.
--   * Deliveries received more than p_event_days ago are deleted.
--   * Call results last updated more than p_call_days ago are deleted; p_call_days null keeps them all.
--   * The log stays append-only with one exception: an UPDATE that only sets a present payload to null
--     passes the trigger (that is all the purge does to an event). Any other change is still refused.
--   * Each call purges at most p_batch (≤ 5,000) rows per rule, so no statement holds locks for long; a
--     caller repeats while a batch comes back full (apps/api/src/services/retention-worker.ts).
--   * One purge at a time across instances: a transaction-scoped advisory lock (key 4_726_550_001),
--     taken with pg_try_advisory_xact_lock. Transaction-scoped because PostgREST runs each RPC in its
--     own transaction on a pooled connection: a session lock would outlive the call. A purge that finds
--     the lock held does nothing and says so (locked: false).
--   * Supabase Cron can run the same function instead of (or besides) the workers: see the end of this
--     file, which schedules it only where the pg_cron extension is available.

-- Rule: the log is append-only, except that a payload may be purged.
create or replace function public.reject_event_update() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.payload is null and (to_jsonb(new) - 'payload') = (to_jsonb(old) - 'payload') then
    return new;
  end if;
  raise exception 'vapi_webhook_events is append-only (only a payload may be purged)';
end;
$$;

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

create index vapi_call_results_updated_idx on public.vapi_call_results (updated_at);

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

revoke execute on function public.reject_event_update() from public, anon, authenticated;
revoke execute on function public.purge_vapi_event_payloads(timestamptz, integer), public.purge_vapi_events(timestamptz, integer),
  public.purge_vapi_call_results(timestamptz, integer), public.purge_vapi_retention(integer, integer, integer, integer)
  from public, anon, authenticated;
grant execute on function public.purge_vapi_event_payloads(timestamptz, integer), public.purge_vapi_events(timestamptz, integer),
  public.purge_vapi_call_results(timestamptz, integer), public.purge_vapi_retention(integer, integer, integer, integer)
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
