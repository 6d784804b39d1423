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

-- How one column merges: a report's value wins where it has one; any other event only fills a gap.
create function public.vapi_merge_value(from_report boolean, incoming anyelement, stored anyelement)
returns anyelement
language sql
immutable
set search_path = ''
as $$
  select case when from_report then coalesce(incoming, stored) else coalesce(stored, incoming) end;
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
revoke execute on function public.vapi_merge_value(boolean, anyelement, anyelement) from public, anon, authenticated;
revoke execute on function public.ingest_vapi_event(text, text, timestamptz, integer, text, text, jsonb, boolean, jsonb) from public, anon, authenticated;
revoke execute on function public.delete_vapi_call(text) from public, anon, authenticated;
grant execute on function public.vapi_status_rank(text), public.vapi_merge_value(boolean, anyelement, anyelement), public.ingest_vapi_event(text, text, timestamptz, integer, text, text, jsonb, boolean, jsonb), public.delete_vapi_call(text) to service_role;
