-- Keep what VAPI's end-of-call report carries (issue 17 §6; SDK 2.0.1 ServerMessageEndOfCallReport,
-- Artifact, Call, CreateCustomerDto, Compliance):
--   * call_type, campaign_id, squad_id, workflow_id: call.type / call.campaignId / call.squadId /
--     call.workflowId;
--   * customer_name, customer_email, customer_external_id: customer.* (message-level, else call.customer);
--   * structured_outputs, scorecards, transfers, performance_metrics: artifact.*;
--   * recording_consent: compliance.recordingConsent (message-level, else call.compliance);
--   * costs: VAPI's itemized costs[] list. cost_breakdown now only ever holds VAPI's CostBreakdown
--     object; rows where it held the costs[] list get that list moved to costs.
-- Every new column merges like the others (20261122000100_ingest_vapi_event.sql): a report's value
-- wins, any other event only fills a gap, a null never erases. So a report's artifact.variableValues
-- (the values at the end) replaces the start values a status update filled in, whatever the order.
-- merge_vapi_event and vapi_call_reads are redefined with the new columns (vapi_call_summaries, a
-- history line, names none of them and stays); everything else is as in
-- 20261125000000_fields_in_payload.sql and 20261125010000_ingest_event_batch_text.sql.

alter table public.vapi_call_results
  add column call_type text,
  add column campaign_id text,
  add column squad_id text,
  add column workflow_id text,
  add column customer_name text,
  add column customer_email text,
  add column customer_external_id text,
  add column structured_outputs jsonb,
  add column scorecards jsonb,
  add column transfers jsonb,
  add column performance_metrics jsonb,
  add column recording_consent jsonb,
  add column costs jsonb;

-- One shape per column. The move is a change of representation, not of the call: updated_at stays.
alter table public.vapi_call_results disable trigger vapi_call_results_touch_updated_at;
update public.vapi_call_results
  set costs = cost_breakdown, cost_breakdown = null
  where jsonb_typeof(cost_breakdown) = 'array';
alter table public.vapi_call_results enable trigger vapi_call_results_touch_updated_at;

-- As in 20261124050000_source_scoped_ingest_and_reads.sql, with the columns above.
create or replace function public.merge_vapi_event(
  p_call_id text,
  p_event_type text,
  p_event_at timestamptz,
  p_is_report boolean,
  p_fields jsonb,
  p_source_id uuid
) returns boolean
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
    metadata, variable_values, call_type, campaign_id, squad_id, workflow_id, customer_name,
    customer_email, customer_external_id, structured_outputs, scorecards, transfers,
    performance_metrics, recording_consent, costs,
    report_received_at, last_event_type, last_event_at, source_id
  ) values (
    p_call_id, f.status, f.ended_reason, f.started_at, f.ended_at, f.duration_seconds, f.customer_number,
    f.vapi_phone_number, f.phone_number_id, f.assistant_id, f.transcript, f.messages, f.recording_url,
    f.stereo_recording_url, f.summary, f.structured_data, f.success_evaluation, f.cost, f.cost_breakdown,
    f.metadata, f.variable_values, f.call_type, f.campaign_id, f.squad_id, f.workflow_id, f.customer_name,
    f.customer_email, f.customer_external_id, f.structured_outputs, f.scorecards, f.transfers,
    f.performance_metrics, f.recording_consent, f.costs,
    case when p_is_report then now() end,
    p_event_type, p_event_at, p_source_id
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
    call_type = public.vapi_merge_value(p_is_report, excluded.call_type, r.call_type),
    campaign_id = public.vapi_merge_value(p_is_report, excluded.campaign_id, r.campaign_id),
    squad_id = public.vapi_merge_value(p_is_report, excluded.squad_id, r.squad_id),
    workflow_id = public.vapi_merge_value(p_is_report, excluded.workflow_id, r.workflow_id),
    customer_name = public.vapi_merge_value(p_is_report, excluded.customer_name, r.customer_name),
    customer_email = public.vapi_merge_value(p_is_report, excluded.customer_email, r.customer_email),
    customer_external_id = public.vapi_merge_value(p_is_report, excluded.customer_external_id, r.customer_external_id),
    structured_outputs = public.vapi_merge_value(p_is_report, excluded.structured_outputs, r.structured_outputs),
    scorecards = public.vapi_merge_value(p_is_report, excluded.scorecards, r.scorecards),
    transfers = public.vapi_merge_value(p_is_report, excluded.transfers, r.transfers),
    performance_metrics = public.vapi_merge_value(p_is_report, excluded.performance_metrics, r.performance_metrics),
    recording_consent = public.vapi_merge_value(p_is_report, excluded.recording_consent, r.recording_consent),
    costs = public.vapi_merge_value(p_is_report, excluded.costs, r.costs),
    -- The first report marks the result final; a repeated one does not move that moment.
    report_received_at = coalesce(r.report_received_at, excluded.report_received_at),
    last_event_type = case
      when r.last_event_at is null or excluded.last_event_at >= r.last_event_at
      then excluded.last_event_type else r.last_event_type end,
    last_event_at = greatest(r.last_event_at, excluded.last_event_at)
  where r.source_id is not distinct from excluded.source_id;
  -- Not found: the row exists and the WHERE above refused it, i.e. another source's call.
  return found;
end;
$$;

-- As in 20261124040000_call_read_views.sql; CREATE OR REPLACE keeps the grants and only appends columns.
create or replace view public.vapi_call_reads with (security_invoker = true) as
select call_id, status, ended_reason, started_at, ended_at, duration_seconds, customer_number,
  vapi_phone_number, phone_number_id, assistant_id, transcript, messages, recording_url,
  stereo_recording_url, summary, structured_data, success_evaluation, cost, cost_breakdown, metadata,
  variable_values, report_received_at, last_event_type, last_event_at, created_at, updated_at, source_id,
  call_type, campaign_id, squad_id, workflow_id, customer_name, customer_email, customer_external_id,
  structured_outputs, scorecards, transfers, performance_metrics, recording_consent, costs
from public.vapi_call_results;
