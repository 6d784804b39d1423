-- Tables: one row per VAPI call, the append-only log of webhook deliveries, the sources that send
-- them and their secrets, read keys, and the two outboxes. Functions, triggers and grants are in the
-- files named after their area; row level security is on for every table from the start.

-- One row per VAPI call, merged from every server message that names it (merge_vapi_event).
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
  -- Set by the first end-of-call report: the result is final. The report itself is kept once, in its
  -- event's payload.
  report_received_at timestamptz,
  last_event_type text,
  last_event_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  source_id uuid,
  -- What an end-of-call report carries besides the columns above (SDK 2.0.1's ServerMessageEndOfCallReport).
  call_type text,
  campaign_id text,
  squad_id text,
  workflow_id text,
  customer_name text,
  customer_email text,
  customer_external_id text,
  structured_outputs jsonb,
  scorecards jsonb,
  transfers jsonb,
  performance_metrics jsonb,
  recording_consent jsonb,
  -- The report's costs[] list; cost_breakdown is its costBreakdown object.
  costs jsonb
);

comment on table public.vapi_call_results is 'One row per VAPI call: status and final end-of-call data, written only by Callbridge.';
comment on column public.vapi_call_results.source_id is 'The source whose webhook URL delivered the call; null for the default source (environment secret).';

create index vapi_call_results_customer_newest_idx
  on public.vapi_call_results (customer_number, created_at desc, call_id desc);
create index vapi_call_results_status_time_idx
  on public.vapi_call_results (status, updated_at desc);
create index vapi_call_results_source_idx on public.vapi_call_results (source_id) where source_id is not null;

-- One row per webhook delivery, payloads redacted. Append-only (reject_event_update).
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
  payload jsonb,
  delivery_id uuid,
  sanitized jsonb,
  replay_of bigint,
  source_id uuid,
  relay_status integer check (relay_status between 100 and 599),
  relay_ms integer check (relay_ms >= 0),
  relay_error text check (char_length(relay_error) <= 200)
);

comment on table public.vapi_webhook_events is 'Append-only log of VAPI webhook deliveries, payloads redacted.';
comment on column public.vapi_webhook_events.delivery_id is 'Given by Callbridge on receipt; makes a retried store a no-op.';
comment on column public.vapi_webhook_events.sanitized is 'What was changed before storing, as { changes: [{ path, reason }], more }; null when nothing was.';
comment on column public.vapi_webhook_events.replay_of is 'For a replay: the id of the event whose payload it re-applied; null for a delivery from VAPI.';
comment on column public.vapi_webhook_events.source_id is 'The source whose webhook URL received the delivery; null for the default source.';
comment on column public.vapi_webhook_events.relay_status is 'HTTP status the relay upstream answered; null: not relayed, or no answer';
comment on column public.vapi_webhook_events.relay_ms is 'Time the relay took, ms; null: not relayed';
comment on column public.vapi_webhook_events.relay_error is 'Why the upstream answer was not used (timeout, unreachable:…, status-5xx, too-large); null: used or not relayed';

create index vapi_webhook_events_call_idx on public.vapi_webhook_events (call_id, received_at);
create index vapi_webhook_events_received_idx on public.vapi_webhook_events (received_at desc);
create unique index vapi_webhook_events_delivery_idx on public.vapi_webhook_events (delivery_id);
create index vapi_webhook_events_source_received_idx
  on public.vapi_webhook_events (source_id, received_at desc) where source_id is not null;
create index vapi_webhook_events_replay_of_idx
  on public.vapi_webhook_events (replay_of) where replay_of is not null;

-- A VAPI sender with its own webhook URL (/webhooks/vapi/<id>) and verification.
create table public.vapi_sources (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 200),
  verification_mode text not null,
  -- hmac: algorithm, signatureHeader, timestampHeader, includeTimestamp, payloadFormat, encoding,
  -- signaturePrefix, secretIsBase64, messageIdHeader, toleranceSeconds; secret: headerName; bearer: {}.
  verification jsonb not null default '{}'::jsonb check (jsonb_typeof(verification) = 'object'),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  relay_url text check (relay_url ~ '^https?://[^/@]+(/|$)' and char_length(relay_url) <= 2000),
  kestra_tenants text[]
  check (
    kestra_tenants is null
    or (cardinality(kestra_tenants) between 1 and 50
      and array_to_string(kestra_tenants, ',') ~ '^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64})*$')
  ),
  constraint vapi_sources_verification_mode_check
    check (verification_mode in ('hmac', 'secret', 'bearer', 'oauth2'))
);

comment on table public.vapi_sources is 'A VAPI sender with its own webhook URL and verification; secrets in vapi_source_secrets.';
comment on column public.vapi_sources.relay_url is 'The team''s own VAPI server URL; null: no relay';
comment on column public.vapi_sources.kestra_tenants is 'Kestra tenants this source''s calls may resume executions in; null: KESTRA_TENANT only.';

create table public.vapi_source_secrets (
  id bigint generated always as identity primary key,
  source_id uuid not null references public.vapi_sources (id) on delete cascade,
  -- v1.<keyId>.<iv>.<tag>.<ciphertext>, bound to the source id; never the secret itself.
  encrypted_secret text not null check (encrypted_secret like 'v1.%'),
  created_at timestamptz not null default now(),
  expires_at timestamptz
);

comment on table public.vapi_source_secrets is 'Encrypted webhook secrets of a source: the current one (expires_at null) and those still inside their rotation overlap.';

create unique index vapi_source_secrets_current_idx on public.vapi_source_secrets (source_id) where expires_at is null;
create index vapi_source_secrets_source_idx on public.vapi_source_secrets (source_id, created_at desc);

-- A source's calls and deliveries go with it.
alter table public.vapi_call_results
  add constraint vapi_call_results_source_id_fkey foreign key (source_id) references public.vapi_sources (id) on delete cascade;
alter table public.vapi_webhook_events
  add constraint vapi_webhook_events_source_id_fkey foreign key (source_id) references public.vapi_sources (id) on delete cascade;

create table public.api_read_keys (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 200),
  key_hash text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
  key_prefix text not null,
  source_ids uuid[] not null check (cardinality(source_ids) > 0),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  access text not null default 'read' check (access in ('read', 'read+write'))
);

comment on table public.api_read_keys is 'Read keys scoped to sources, stored as sha256 hashes; the key is shown once, at creation.';
comment on column public.api_read_keys.access is 'read: read routes only; read+write: also replay deliveries and delete call data.';

create table public.kestra_push_outbox (
  id bigint generated always as identity primary key,
  call_id text not null unique references public.vapi_call_results (call_id) on delete cascade,
  execution_id text not null,
  tenant text,
  state text not null default 'pending' check (state in ('pending', 'delivered', 'failed', 'expired')),
  attempts integer not null default 0,
  -- Kestra's HTTP status for the last attempt; null when it got no answer.
  last_status integer,
  last_error text,
  next_attempt_at timestamptz not null default now(),
  locked_until timestamptz,
  claim_id uuid,
  delivered_at timestamptz,
  -- When the result became final: the max age counts from here.
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.kestra_push_outbox is 'One row per call whose final result is to be pushed to (resume) a Kestra execution.';

create index kestra_push_outbox_due_idx on public.kestra_push_outbox (next_attempt_at) where state = 'pending';

create table public.vapi_relay_outbox (
  id bigint generated always as identity primary key,
  event_id bigint not null unique references public.vapi_webhook_events (id) on delete cascade,
  event_type text not null,
  relay_url text not null check (relay_url ~ '^https?://[^/@]+(/|$)' and char_length(relay_url) <= 2000),
  -- Node's raw header list as received, [[name, value], …]; null once settled.
  headers jsonb check (jsonb_typeof(headers) = 'array'),
  body bytea,
  state text not null default 'pending' check (state in ('pending', 'delivered', 'failed', 'expired')),
  attempts integer not null default 0,
  last_status integer,
  last_error text check (char_length(last_error) <= 200),
  next_attempt_at timestamptz not null default now(),
  locked_until timestamptz,
  claim_id uuid,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (state <> 'pending' or (headers is not null and body is not null))
);

comment on table public.vapi_relay_outbox is 'Informational VAPI deliveries (VAPI_RELAY_TYPES) to forward to the team''s own VAPI server after they are stored.';
comment on column public.vapi_relay_outbox.body is 'VAPI''s exact bytes (unredacted, so its signature holds); cleared once settled';

create index vapi_relay_outbox_due_idx on public.vapi_relay_outbox (next_attempt_at) where state = 'pending';

-- updated_at follows every change.
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
create trigger vapi_sources_touch_updated_at
  before update on public.vapi_sources
  for each row execute function public.touch_updated_at();
create trigger kestra_push_outbox_touch_updated_at
  before update on public.kestra_push_outbox
  for each row execute function public.touch_updated_at();
create trigger vapi_relay_outbox_touch_updated_at
  before update on public.vapi_relay_outbox
  for each row execute function public.touch_updated_at();

-- The log is append-only, except for two writes: a payload may be purged (retention), and the relay
-- outcome of a request-response delivery is written onto its event once, after the forward: exactly
-- one UPDATE that sets relay_ms (with relay_status and relay_error) where relay_ms was null and
-- changes nothing else.
create function public.reject_event_update() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.payload is null and (to_jsonb(new) - 'payload') = (to_jsonb(old) - 'payload') then
    return new;
  end if;
  if old.relay_ms is null and new.relay_ms is not null
    and (to_jsonb(new) - array['relay_status', 'relay_ms', 'relay_error'])
      = (to_jsonb(old) - array['relay_status', 'relay_ms', 'relay_error']) then
    return new;
  end if;
  raise exception 'vapi_webhook_events is append-only (only a payload may be purged, a relay outcome recorded once)';
end;
$$;

create trigger vapi_webhook_events_append_only
  before update on public.vapi_webhook_events
  for each row execute function public.reject_event_update();

-- Call data is personal (numbers, transcripts, recordings): only the service role, which bypasses
-- row level security, reads or writes it. No policy exists for anon or authenticated.
alter table public.vapi_call_results enable row level security;
alter table public.vapi_webhook_events enable row level security;
alter table public.vapi_sources enable row level security;
alter table public.vapi_source_secrets enable row level security;
alter table public.api_read_keys enable row level security;
alter table public.kestra_push_outbox enable row level security;
alter table public.vapi_relay_outbox enable row level security;
revoke all on public.vapi_call_results, public.vapi_webhook_events, public.vapi_sources,
  public.vapi_source_secrets, public.api_read_keys, public.kestra_push_outbox, public.vapi_relay_outbox
  from anon, authenticated;
revoke execute on function public.touch_updated_at(), public.reject_event_update() from public, anon, authenticated;
