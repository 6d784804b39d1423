-- The API's entry point for a batch becomes ingest_vapi_deliveries(text): one unnamed text parameter,
-- which PostgREST fills with the raw request body sent as Content-Type: text/plain. So neither
-- supabase-js (which wrapped the batch's JSON text in a JSON string, escaping it) nor PostgREST (which
-- unescaped it) touches the batch on its way, and the API writes each delivery's body into it as VAPI
-- sent it instead of serializing the parsed payload again. The body is
--   { "notAfter": <ISO time or null>, "events": [ <as ingest_vapi_events takes them> ] }
-- and its rules are ingest_vapi_event_batch's (20261201000100_ingest_and_merge.sql), whose body moves to
-- ingest_vapi_event_list here so both entry points share it. ingest_vapi_event_batch(text, timestamptz)
-- stays for an instance of the previous release still running during a rolling update.

-- The locks, the received-at hand-over and the deadline around ingest_vapi_events, for parsed events.
create function public.ingest_vapi_event_list(p_events jsonb, p_not_after timestamptz) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_results jsonb;
begin
  -- 19: this feature's class of advisory locks (retention uses the one-key form).
  perform pg_advisory_xact_lock(19, k)
    from (select distinct hashtext(value->>'deliveryId') as k
            from jsonb_array_elements(p_events) order by 1) keys;
  perform set_config('callbridge.received_at', coalesce(
      (select jsonb_object_agg(value->>'deliveryId', value->'receivedAt')
         from jsonb_array_elements(p_events) where value ? 'receivedAt')::text,
      ''), true);
  v_results := public.ingest_vapi_events(p_events);
  if p_not_after is not null and clock_timestamp() > p_not_after then
    raise exception 'ingest batch ran past its deadline (%): rolled back', p_not_after
      using errcode = '57014';
  end if;
  return v_results;
end;
$$;

create or replace function public.ingest_vapi_event_batch(p_events text, p_not_after timestamptz) returns jsonb
language sql
set search_path = ''
as $$
  select public.ingest_vapi_event_list(p_events::jsonb, p_not_after);
$$;

create function public.ingest_vapi_deliveries(text) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_batch jsonb := $1::jsonb;
begin
  if jsonb_typeof(v_batch->'events') is distinct from 'array' then
    raise exception 'ingest_vapi_deliveries takes {"notAfter": …, "events": […]}' using errcode = '22023';
  end if;
  return public.ingest_vapi_event_list(v_batch->'events', (v_batch->>'notAfter')::timestamptz);
end;
$$;

comment on function public.ingest_vapi_deliveries(text) is 'The API''s batch store: {"notAfter", "events"} as one text/plain body; see ingest_vapi_event_batch for the rules.';

revoke execute on function
  public.ingest_vapi_event_list(jsonb, timestamptz),
  public.ingest_vapi_deliveries(text)
  from public, anon, authenticated;
grant execute on function
  public.ingest_vapi_event_list(jsonb, timestamptz),
  public.ingest_vapi_deliveries(text)
  to service_role;
