-- Two guarantees the local spool (issue 19) needs from a store, added around ingest_vapi_events, whose
-- merge rules are unchanged:
--   * Not after the caller gave up: `p_not_after` is when the API aborts its request. A batch still
--     running then (PostgREST queued it while it was stalled, or Postgres was stopped mid-way) raises
--     instead of committing, checked as the last step before the commit. So a webhook answered 503
--     after every attempt's deadline passed is never found stored afterwards, and the retry VAPI makes
--     with a backoffPlan is not logged twice. (This relies on the API and the database clocks agreeing
--     to well within the attempt timeout, as NTP keeps them.)
--   * One store per delivery at a time: a transaction-scoped advisory lock per delivery id, taken in one
--     order, so a late write and the spool's drain of the same delivery cannot both pass the "already
--     stored?" check and merge it twice; the second waits, then finds it and changes nothing.
--   * When it was received: a spooled delivery is stored seconds or minutes after it arrived, so its
--     record carries `receivedAt` and that, not the drain's now(), becomes its event's received_at (the
--     event log, stats and retention then see it when VAPI sent it). The log is append-only, so it is
--     set on insert: the batch hands the times to a BEFORE INSERT trigger through a transaction-local
--     setting. Records without it (every store that was not spooled) keep now().
create function public.ingest_vapi_event_batch(p_events text, p_not_after timestamptz) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_events jsonb := p_events::jsonb;
  v_results jsonb;
begin
  -- 19: this feature's class of advisory locks (retention uses the one-key form).
  perform pg_advisory_xact_lock(19, k)
    from (select distinct hashtext(value->>'deliveryId') as k
            from jsonb_array_elements(v_events) order by 1) keys;
  perform set_config('callbridge.received_at', coalesce(
      (select jsonb_object_agg(value->>'deliveryId', value->'receivedAt')
         from jsonb_array_elements(v_events) where value ? 'receivedAt')::text,
      ''), true);
  v_results := public.ingest_vapi_events(v_events);
  if p_not_after is not null and clock_timestamp() > p_not_after then
    raise exception 'ingest batch ran past its deadline (%): rolled back', p_not_after
      using errcode = '57014';
  end if;
  return v_results;
end;
$$;

create function public.event_received_at_from_spool() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_times text := nullif(current_setting('callbridge.received_at', true), '');
begin
  if v_times is not null and new.delivery_id is not null then
    new.received_at := coalesce((v_times::jsonb->>new.delivery_id::text)::timestamptz, new.received_at);
  end if;
  return new;
end;
$$;

create trigger vapi_webhook_events_received_at_from_spool
  before insert on public.vapi_webhook_events
  for each row execute function public.event_received_at_from_spool();
-- A trigger function runs whoever inserts; nobody needs to call it directly.
revoke execute on function public.event_received_at_from_spool() from public, anon, authenticated;

-- Instances not yet updated during a rollout call the one-argument form: same locks, no deadline.
create or replace function public.ingest_vapi_event_batch(p_events text) returns jsonb
language sql
set search_path = ''
as $$
  select public.ingest_vapi_event_batch(p_events, null);
$$;

revoke execute on function public.ingest_vapi_event_batch(text, timestamptz) from public, anon, authenticated;
grant execute on function public.ingest_vapi_event_batch(text, timestamptz) to service_role;
