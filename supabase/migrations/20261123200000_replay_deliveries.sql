-- Replay: re-apply a logged delivery after a fix.
--   * A replay runs the stored (redacted, sanitized) payload through the same mapping and the same
--     merge (merge_vapi_event) as a live delivery. The merge rules are idempotent, so replaying a
--     delivery that was already merged leaves the call's data as it was; replaying one Postgres
--     refused (`failed`) merges it once the cause is fixed.
--   * Each replay is logged as a new event, with its own delivery id and `replay_of` naming the event
--     it re-applied. The original row keeps its outcome: the log stays append-only and says what
--     happened when.
--   * `replay_of` has no foreign key: events are never updated, and delete_vapi_call removes a call's
--     replays together with the events they replay.
--   * ingest_vapi_events now also answers each event's id, so a replay can say which row records it,
--     and tells the merge whether a report may enqueue its Kestra push (callbridge.kestra_push, local
--     to the transaction; see 20261123100000_kestra_push_outbox.sql). The rest is as in
--     20261123000000_capture_every_event.sql.

alter table public.vapi_webhook_events add column replay_of bigint;

comment on column public.vapi_webhook_events.replay_of is 'For a replay: the id of the event whose payload it re-applied; null for a delivery from VAPI.';

-- Each element of p_events as before, plus an optional replayOf (event id).
-- Returns one { deliveryId, eventId, outcome, errorCode } per element, in order.
create or replace function public.ingest_vapi_events(p_events jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e jsonb;
  v_delivery uuid;
  v_outcome text;
  v_error text;
  v_id bigint;
  v_seen record;
  results jsonb := '[]'::jsonb;
begin
  for e in select value from jsonb_array_elements(p_events) loop
    v_delivery := (e->>'deliveryId')::uuid;
    select id, outcome, error_code into v_seen from public.vapi_webhook_events where delivery_id = v_delivery;
    if found then
      results := results || jsonb_build_object('deliveryId', v_delivery, 'eventId', v_seen.id,
        'outcome', v_seen.outcome, 'errorCode', v_seen.error_code);
      continue;
    end if;

    v_outcome := e->>'outcome';
    v_error := e->>'errorCode';
    v_id := null;
    if v_outcome = 'stored' and e->>'callId' is not null then
      -- Push to Kestra is on for this event (20261123100000_kestra_push_outbox.sql).
      perform set_config('callbridge.kestra_push', case when (e->>'kestraPush')::boolean then 'on' else 'off' end, true);
      begin
        perform public.merge_vapi_event(
          e->>'callId', e->>'eventType', (e->>'eventAt')::timestamptz, (e->>'isReport')::boolean,
          e->'fields', e->'payload');
      exception when others then
        -- The same values would be refused on every retry: keep the delivery for a replay after a fix.
        v_outcome := 'failed';
        v_error := 'database-rejected:' || sqlstate;
      end;
    end if;

    begin
      insert into public.vapi_webhook_events
        (delivery_id, call_id, event_type, event_at, payload_bytes, outcome, error_code, payload, sanitized, replay_of)
      values
        (v_delivery, e->>'callId', e->>'eventType', (e->>'eventAt')::timestamptz,
         (e->>'payloadBytes')::integer, v_outcome, v_error, e->'payload', e->'sanitized', (e->>'replayOf')::bigint)
      on conflict (delivery_id) do nothing
      returning id into v_id;
    exception when others then
      -- Last resort: the fact of the delivery, without what could not be stored.
      v_outcome := 'failed';
      v_error := 'database-rejected:' || sqlstate;
      insert into public.vapi_webhook_events (delivery_id, call_id, event_type, payload_bytes, outcome, error_code)
      values (v_delivery, left(e->>'callId', 200), left(coalesce(e->>'eventType', 'unknown'), 100), 0, v_outcome, v_error)
      on conflict (delivery_id) do nothing
      returning id into v_id;
    end;

    results := results || jsonb_build_object('deliveryId', v_delivery, 'eventId', v_id,
      'outcome', v_outcome, 'errorCode', v_error);
  end loop;
  return results;
end;
$$;

revoke execute on function public.ingest_vapi_events(jsonb) from public, anon, authenticated;
grant execute on function public.ingest_vapi_events(jsonb) to service_role;
revoke all on public.vapi_webhook_events from anon, authenticated;
