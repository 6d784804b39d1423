-- Each report's big fields travel once. An element of ingest_vapi_events' p_events may name, in
-- `fieldsInPayload`, fields whose value is its own payload's value at a path, e.g.
-- {"transcript": ["message", "artifact", "transcript"]}; ingest takes them from the payload instead of
-- `fields`, so the request body carries (and PostgREST and Postgres parse) the transcript and messages
-- once instead of twice. `fields` wins where both name a field. What is stored is unchanged.
-- Everything else is as in 20261124050000_source_scoped_ingest_and_reads.sql.

-- An event's fields to merge: `fields` plus those it names in its payload.
create function public.vapi_event_fields(p_event jsonb) returns jsonb
language sql
immutable
set search_path = ''
as $$
  select coalesce(
      (select jsonb_object_agg(f.key, p_event->'payload' #> array(select jsonb_array_elements_text(f.value)))
        from jsonb_each(case when jsonb_typeof(p_event->'fieldsInPayload') = 'object'
          then p_event->'fieldsInPayload' end) f
        where jsonb_typeof(f.value) = 'array'),
      '{}'::jsonb)
    || coalesce(p_event->'fields', '{}'::jsonb);
$$;

-- As in 20261124050000_source_scoped_ingest_and_reads.sql, merging vapi_event_fields(e).
create or replace function public.ingest_vapi_events(p_events jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e jsonb;
  v_delivery uuid;
  v_source uuid;
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

    v_source := (e->>'sourceId')::uuid;
    v_outcome := e->>'outcome';
    v_error := e->>'errorCode';
    v_id := null;
    if v_outcome = 'stored' and e->>'callId' is not null then
      -- Push to Kestra is on for this event (20261123100000_kestra_push_outbox.sql).
      perform set_config('callbridge.kestra_push', case when (e->>'kestraPush')::boolean then 'on' else 'off' end, true);
      begin
        if not public.merge_vapi_event(
          e->>'callId', e->>'eventType', (e->>'eventAt')::timestamptz, (e->>'isReport')::boolean,
          public.vapi_event_fields(e), v_source) then
          v_outcome := 'rejected';
          v_error := 'source-mismatch';
        end if;
      exception
        when deadlock_detected or serialization_failure then raise;
        when others then
          -- The same values would be refused on every retry: keep the delivery for a replay after a fix.
          v_outcome := 'failed';
          v_error := 'database-rejected:' || sqlstate;
      end;
    end if;

    begin
      insert into public.vapi_webhook_events
        (delivery_id, call_id, event_type, event_at, payload_bytes, outcome, error_code, payload, sanitized,
         replay_of, source_id)
      values
        (v_delivery, e->>'callId', e->>'eventType', (e->>'eventAt')::timestamptz,
         (e->>'payloadBytes')::integer, v_outcome, v_error, e->'payload', e->'sanitized',
         (e->>'replayOf')::bigint, v_source)
      on conflict (delivery_id) do nothing
      returning id into v_id;
    exception
      when deadlock_detected or serialization_failure then raise;
      when others then
        -- Last resort: the fact of the delivery, without what could not be stored.
        v_outcome := 'failed';
        v_error := 'database-rejected:' || sqlstate;
        insert into public.vapi_webhook_events
          (delivery_id, call_id, event_type, payload_bytes, outcome, error_code, source_id)
        values (v_delivery, left(e->>'callId', 200), left(coalesce(e->>'eventType', 'unknown'), 100), 0,
          v_outcome, v_error, v_source)
        on conflict (delivery_id) do nothing
        returning id into v_id;
    end;

    results := results || jsonb_build_object('deliveryId', v_delivery, 'eventId', v_id,
      'outcome', v_outcome, 'errorCode', v_error);
  end loop;
  return results;
end;
$$;

revoke execute on function public.vapi_event_fields(jsonb) from public, anon, authenticated;
grant execute on function public.vapi_event_fields(jsonb) to service_role;
