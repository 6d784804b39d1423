-- Read views and role settings; the grants on tables and functions are beside them, in each area's file.
-- What the read routes select, as views. PostgREST answers `select=*` on a view about three times
-- faster than the same explicit column list on the table (it parses and plans a 26-column `select`
-- parameter on every request), so reads name their columns here once instead of in every URL.
-- security_invoker: the views see exactly what the caller's role sees on vapi_call_results.

-- A call as GET /calls/:id answers it.
create view public.vapi_call_reads with (security_invoker = true) as
select call_id, status, ended_reason, started_at, ended_at, duration_seconds, customer_number,
  vapi_phone_number, phone_number_id, assistant_id, transcript, messages, recording_url,
  stereo_recording_url, summary, structured_data, success_evaluation, cost, cost_breakdown, metadata,
  variable_values, report_received_at, last_event_type, last_event_at, created_at, updated_at, source_id,
  call_type, campaign_id, squad_id, workflow_id, customer_name, customer_email, customer_external_id,
  structured_outputs, scorecards, transfers, performance_metrics, recording_consent, costs
from public.vapi_call_results;

-- A call history line: no transcript, messages or other jsonb.
create view public.vapi_call_summaries with (security_invoker = true) as
select call_id, status, ended_reason, started_at, ended_at, duration_seconds, customer_number,
  assistant_id, summary, success_evaluation, cost, report_received_at, created_at, updated_at, source_id
from public.vapi_call_results;

revoke all on public.vapi_call_reads, public.vapi_call_summaries from public, anon, authenticated;
grant select on public.vapi_call_reads, public.vapi_call_summaries to service_role;

-- The service role, which PostgREST impersonates for every API request, gets a statement timeout: a
-- query that runs on after the client gave up (a wide stats window, a runaway sort) is cut by Postgres.
-- PostgREST 12 applies an impersonated role's settings on each request. 30 s is far above what the
-- API's queries take on a healthy database and below a load balancer's usual 60 s; the stats window is
-- bounded by STATS_MAX_WINDOW_DAYS as well.
alter role service_role set statement_timeout = '30s';
