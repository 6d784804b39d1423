-- Webhook ingestion as one atomic round trip (supabase.rpc): log the delivery and merge it into the
-- call's row. Deliveries repeat and arrive out of order (VAPI documents no ordering and retries with
-- its backoff plan), so the merge is written to give the same row whatever the order:
--   * status only moves forward: scheduled < queued < ringing < in-progress < forwarding < ended;
--   * an end-of-call report's values win over what status updates filled in, other events only fill
--     gaps, and a null never erases a stored value;
--   * last_event_* follows the newest event by VAPI's timestamp, not by arrival.
-- Concurrent deliveries for one call serialize on the row through INSERT ... ON CONFLICT.

create function public.vapi_status_rank(status text) returns int
language sql
immutable
set search_path = ''
as $$
  select case status
    when 'scheduled' then 1
    when 'queued' then 2
    when 'ringing' then 3
    when 'in-progress' then 4
    when 'forwarding' then 5
    when 'ended' then 6
    else 0
  end;
$$;

create function public.ingest_vapi_event(
  p_call_id text,
  p_event_type text,
  p_event_at timestamptz,
  p_payload_bytes integer,
  p_outcome text,
  p_error_code text,
  p_payload jsonb,
  p_is_report boolean,
  p_fields jsonb
) returns void
language plpgsql
set search_path = ''
as $$
declare
  f public.vapi_call_results := jsonb_populate_record(null::public.vapi_call_results, coalesce(p_fields, '{}'::jsonb));
begin
  insert into public.vapi_webhook_events (call_id, event_type, event_at, payload_bytes, outcome, error_code, payload)
  values (p_call_id, p_event_type, p_event_at, p_payload_bytes, p_outcome, p_error_code, p_payload);

  if p_call_id is null then
    return;
  end if;

  insert into public.vapi_call_results as r (
    call_id, status, ended_reason, started_at, ended_at, duration_seconds, customer_number,
    vapi_phone_number, phone_number_id, assistant_id, transcript, messages, recording_url,
    stereo_recording_url, summary, structured_data, success_evaluation, cost, cost_breakdown,
    metadata, variable_values, end_of_call_report, report_received_at, last_event_type, last_event_at
  ) values (
    p_call_id, f.status, f.ended_reason, f.started_at, f.ended_at, f.duration_seconds, f.customer_number,
    f.vapi_phone_number, f.phone_number_id, f.assistant_id, f.transcript, f.messages, f.recording_url,
    f.stereo_recording_url, f.summary, f.structured_data, f.success_evaluation, f.cost, f.cost_breakdown,
    f.metadata, f.variable_values,
    case when p_is_report then p_payload end,
    case when p_is_report then now() end,
    p_event_type, p_event_at
  )
  on conflict (call_id) do update set
    status = case
      when public.vapi_status_rank(excluded.status) > public.vapi_status_rank(r.status)
        or (r.status is null and excluded.status is not null)
      then excluded.status else r.status end,
    -- Reports overwrite with what they carry; everything else only fills gaps.
    ended_reason = case when p_is_report then coalesce(excluded.ended_reason, r.ended_reason) else coalesce(r.ended_reason, excluded.ended_reason) end,
    started_at = case when p_is_report then coalesce(excluded.started_at, r.started_at) else coalesce(r.started_at, excluded.started_at) end,
    ended_at = case when p_is_report then coalesce(excluded.ended_at, r.ended_at) else coalesce(r.ended_at, excluded.ended_at) end,
    duration_seconds = case when p_is_report then coalesce(excluded.duration_seconds, r.duration_seconds) else coalesce(r.duration_seconds, excluded.duration_seconds) end,
    customer_number = case when p_is_report then coalesce(excluded.customer_number, r.customer_number) else coalesce(r.customer_number, excluded.customer_number) end,
    vapi_phone_number = case when p_is_report then coalesce(excluded.vapi_phone_number, r.vapi_phone_number) else coalesce(r.vapi_phone_number, excluded.vapi_phone_number) end,
    phone_number_id = coalesce(r.phone_number_id, excluded.phone_number_id),
    assistant_id = case when p_is_report then coalesce(excluded.assistant_id, r.assistant_id) else coalesce(r.assistant_id, excluded.assistant_id) end,
    transcript = case when p_is_report then coalesce(excluded.transcript, r.transcript) else coalesce(r.transcript, excluded.transcript) end,
    messages = case when p_is_report then coalesce(excluded.messages, r.messages) else coalesce(r.messages, excluded.messages) end,
    recording_url = case when p_is_report then coalesce(excluded.recording_url, r.recording_url) else coalesce(r.recording_url, excluded.recording_url) end,
    stereo_recording_url = case when p_is_report then coalesce(excluded.stereo_recording_url, r.stereo_recording_url) else coalesce(r.stereo_recording_url, excluded.stereo_recording_url) end,
    summary = case when p_is_report then coalesce(excluded.summary, r.summary) else coalesce(r.summary, excluded.summary) end,
    structured_data = case when p_is_report then coalesce(excluded.structured_data, r.structured_data) else coalesce(r.structured_data, excluded.structured_data) end,
    success_evaluation = case when p_is_report then coalesce(excluded.success_evaluation, r.success_evaluation) else coalesce(r.success_evaluation, excluded.success_evaluation) end,
    cost = case when p_is_report then coalesce(excluded.cost, r.cost) else coalesce(r.cost, excluded.cost) end,
    cost_breakdown = case when p_is_report then coalesce(excluded.cost_breakdown, r.cost_breakdown) else coalesce(r.cost_breakdown, excluded.cost_breakdown) end,
    metadata = case when p_is_report then coalesce(excluded.metadata, r.metadata) else coalesce(r.metadata, excluded.metadata) end,
    variable_values = case when p_is_report then coalesce(excluded.variable_values, r.variable_values) else coalesce(r.variable_values, excluded.variable_values) end,
    end_of_call_report = coalesce(excluded.end_of_call_report, r.end_of_call_report),
    -- The first report marks the result final; a repeated one does not move that moment.
    report_received_at = coalesce(r.report_received_at, excluded.report_received_at),
    last_event_type = case
      when r.last_event_at is null or excluded.last_event_at >= r.last_event_at
      then excluded.last_event_type else r.last_event_type end,
    last_event_at = greatest(r.last_event_at, excluded.last_event_at);
end;
$$;

comment on function public.ingest_vapi_event is 'Logs one VAPI delivery and merges it into vapi_call_results, atomically.';

-- Data-subject requests: the call's row and every logged delivery for it, in one transaction.
create function public.delete_vapi_call(p_call_id text) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  deleted_rows integer;
  deleted_events integer;
begin
  delete from public.vapi_call_results where call_id = p_call_id;
  get diagnostics deleted_rows = row_count;
  delete from public.vapi_webhook_events where call_id = p_call_id;
  get diagnostics deleted_events = row_count;
  return jsonb_build_object('deleted', deleted_rows > 0, 'deletedEvents', deleted_events);
end;
$$;

revoke execute on function public.vapi_status_rank(text) from public, anon, authenticated;
revoke execute on function public.ingest_vapi_event(text, text, timestamptz, integer, text, text, jsonb, boolean, jsonb) from public, anon, authenticated;
revoke execute on function public.delete_vapi_call(text) from public, anon, authenticated;
grant execute on function public.vapi_status_rank(text), public.ingest_vapi_event(text, text, timestamptz, integer, text, text, jsonb, boolean, jsonb), public.delete_vapi_call(text) to service_role;
