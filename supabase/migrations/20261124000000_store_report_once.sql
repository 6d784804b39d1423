-- Write less, and batch safely.
--   * The end-of-call report is stored once: in its event's `payload` (what a replay re-applies and
--     GET /events?include=payload shows). The call row keeps only the mapped columns readers use, so
--     merge_vapi_event no longer copies the report into vapi_call_results.end_of_call_report; the
--     column stays, unwritten, for rows stored before this migration. Once payload retention clears an
--     event's payload, the mapped columns are what is left of its report.
--   * The API stores deliveries that arrive together in one ingest_vapi_events call (group commit). A
--     deadlock or serialization failure is the transaction's, not the event's: it is raised, so the
--     whole batch is retried (PostgREST answers 5xx) instead of one event being logged as `failed`.
--     The API orders each batch by call id, so concurrent batches take row locks in one order.
--   * Everything else is as in 20261123200000_replay_deliveries.sql.

comment on column public.vapi_call_results.end_of_call_report is 'No longer written (20261124000000): the report is stored once, in its event''s payload.';

drop function public.merge_vapi_event(text, text, timestamptz, boolean, jsonb, jsonb);

-- Merges one event into its call's row (rules in 20261122000100_ingest_vapi_event.sql).
create function public.merge_vapi_event(
  p_call_id text,
  p_event_type text,
  p_event_at timestamptz,
  p_is_report boolean,
  p_fields jsonb
) returns void
language plpgsql
set search_path = ''
as $$
declare
  f public.vapi_call_results := jsonb_populate_record(null::public.vapi_call_results, coalesce(p_fields, '{}'::jsonb));
begin
  insert into public.vapi_call_results as r (
    call_id, status, ended_reason, started_at, ended_at, duration_seconds, customer_number,
    vapi_phone_number, phone_number_id, assistant_id, transcript, messages, recording_url,
    stereo_recording_url, summary, structured_data, success_evaluation, cost, cost_breakdown,
    metadata, variable_values, report_received_at, last_event_type, last_event_at
  ) values (
    p_call_id, f.status, f.ended_reason, f.started_at, f.ended_at, f.duration_seconds, f.customer_number,
    f.vapi_phone_number, f.phone_number_id, f.assistant_id, f.transcript, f.messages, f.recording_url,
    f.stereo_recording_url, f.summary, f.structured_data, f.success_evaluation, f.cost, f.cost_breakdown,
    f.metadata, f.variable_values,
    case when p_is_report then now() end,
    p_event_type, p_event_at
  )
  on conflict (call_id) do update set
    status = case
      when public.vapi_status_rank(excluded.status) > public.vapi_status_rank(r.status)
        or (r.status is null and excluded.status is not null)
      then excluded.status else r.status end,
    ended_reason = public.vapi_merge_value(p_is_report, excluded.ended_reason, r.ended_reason),
    started_at = public.vapi_merge_value(p_is_report, excluded.started_at, r.started_at),
    ended_at = public.vapi_merge_value(p_is_report, excluded.ended_at, r.ended_at),
    duration_seconds = public.vapi_merge_value(p_is_report, excluded.duration_seconds, r.duration_seconds),
    customer_number = public.vapi_merge_value(p_is_report, excluded.customer_number, r.customer_number),
    vapi_phone_number = public.vapi_merge_value(p_is_report, excluded.vapi_phone_number, r.vapi_phone_number),
    phone_number_id = coalesce(r.phone_number_id, excluded.phone_number_id),
    assistant_id = public.vapi_merge_value(p_is_report, excluded.assistant_id, r.assistant_id),
    transcript = public.vapi_merge_value(p_is_report, excluded.transcript, r.transcript),
    messages = public.vapi_merge_value(p_is_report, excluded.messages, r.messages),
    recording_url = public.vapi_merge_value(p_is_report, excluded.recording_url, r.recording_url),
    stereo_recording_url = public.vapi_merge_value(p_is_report, excluded.stereo_recording_url, r.stereo_recording_url),
    summary = public.vapi_merge_value(p_is_report, excluded.summary, r.summary),
    structured_data = public.vapi_merge_value(p_is_report, excluded.structured_data, r.structured_data),
    success_evaluation = public.vapi_merge_value(p_is_report, excluded.success_evaluation, r.success_evaluation),
    cost = public.vapi_merge_value(p_is_report, excluded.cost, r.cost),
    cost_breakdown = public.vapi_merge_value(p_is_report, excluded.cost_breakdown, r.cost_breakdown),
    metadata = public.vapi_merge_value(p_is_report, excluded.metadata, r.metadata),
    variable_values = public.vapi_merge_value(p_is_report, excluded.variable_values, r.variable_values),
    -- The first report marks the result final; a repeated one does not move that moment.
    report_received_at = coalesce(r.report_received_at, excluded.report_received_at),
    last_event_type = case
      when r.last_event_at is null or excluded.last_event_at >= r.last_event_at
      then excluded.last_event_type else r.last_event_type end,
    last_event_at = greatest(r.last_event_at, excluded.last_event_at);
end;
$$;

-- Each element of p_events as in 20261123200000_replay_deliveries.sql; one result per element, in order.
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
          e->'fields');
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
        (delivery_id, call_id, event_type, event_at, payload_bytes, outcome, error_code, payload, sanitized, replay_of)
      values
        (v_delivery, e->>'callId', e->>'eventType', (e->>'eventAt')::timestamptz,
         (e->>'payloadBytes')::integer, v_outcome, v_error, e->'payload', e->'sanitized', (e->>'replayOf')::bigint)
      on conflict (delivery_id) do nothing
      returning id into v_id;
    exception
      when deadlock_detected or serialization_failure then raise;
      when others then
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

revoke execute on function public.merge_vapi_event(text, text, timestamptz, boolean, jsonb) from public, anon, authenticated;
revoke execute on function public.ingest_vapi_events(jsonb) from public, anon, authenticated;
grant execute on function public.merge_vapi_event(text, text, timestamptz, boolean, jsonb), public.ingest_vapi_events(jsonb) to service_role;
