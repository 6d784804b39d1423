-- One row per VAPI call, merged from every server message that names the call,
-- and an append-only log with one row per webhook delivery.

create table public.vapi_call_results (
  id uuid primary key default gen_random_uuid(),
  call_id text not null unique,
  -- VAPI adds statuses and ended reasons over time (597 reasons in SDK 2.0.1): free text, not enums.
  status text,
  ended_reason text,
  started_at timestamptz,
  ended_at timestamptz,
  duration_seconds numeric,
  customer_number text,
  vapi_phone_number text,
  phone_number_id text,
  assistant_id text,
  transcript text,
  messages jsonb,
  recording_url text,
  stereo_recording_url text,
  summary text,
  structured_data jsonb,
  success_evaluation text,
  cost numeric,
  cost_breakdown jsonb,
  metadata jsonb,
  variable_values jsonb,
  -- The end-of-call report as received, with secrets removed; set once the report arrives.
  end_of_call_report jsonb,
  report_received_at timestamptz,
  last_event_type text,
  last_event_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.vapi_call_results is 'One row per VAPI call: status and final end-of-call data, written only by Callbridge.';

create index vapi_call_results_customer_newest_idx
  on public.vapi_call_results (customer_number, created_at desc, call_id desc);
create index vapi_call_results_status_time_idx
  on public.vapi_call_results (status, updated_at desc);

create table public.vapi_webhook_events (
  id bigint generated always as identity primary key,
  call_id text,
  event_type text not null,
  received_at timestamptz not null default now(),
  -- message.timestamp as VAPI sent it (epoch ms), when present.
  event_at timestamptz,
  payload_bytes integer not null check (payload_bytes >= 0),
  outcome text not null check (outcome in ('stored', 'acknowledged', 'rejected', 'failed')),
  error_code text,
  payload jsonb
);

comment on table public.vapi_webhook_events is 'Append-only log of VAPI webhook deliveries, payloads redacted.';

create index vapi_webhook_events_call_idx on public.vapi_webhook_events (call_id, received_at);
create index vapi_webhook_events_received_idx on public.vapi_webhook_events (received_at desc);

create function public.touch_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

create trigger vapi_call_results_touch_updated_at
  before update on public.vapi_call_results
  for each row execute function public.touch_updated_at();

create function public.reject_event_update() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'vapi_webhook_events is append-only';
end;
$$;

create trigger vapi_webhook_events_append_only
  before update on public.vapi_webhook_events
  for each row execute function public.reject_event_update();

-- Call data is personal (numbers, transcripts, recordings): only the service role, which bypasses
-- row level security, reads or writes it. No policy exists for anon or authenticated.
alter table public.vapi_call_results enable row level security;
alter table public.vapi_webhook_events enable row level security;
revoke all on public.vapi_call_results, public.vapi_webhook_events from anon, authenticated;
