-- The schema supabase/migrations produces on an empty database, object by object in name order.
-- Generated: do not edit. After changing a migration, run: pnpm --filter @callbridge/supabase-local schema:snapshot

-- schemas
schema public owner pg_database_owner acl =U/pg_database_owner anon=U/pg_database_owner authenticated=U/pg_database_owner pg_database_owner=UC/pg_database_owner service_role=U/pg_database_owner

-- extensions


-- types


-- relations
r public.api_read_keys rls t force_rls f owner postgres
r public.kestra_push_outbox rls t force_rls f owner postgres
S public.kestra_push_outbox_id_seq rls f force_rls f owner postgres
v public.vapi_call_reads with (security_invoker=true) rls f force_rls f owner postgres
r public.vapi_call_results rls t force_rls f owner postgres
v public.vapi_call_summaries with (security_invoker=true) rls f force_rls f owner postgres
r public.vapi_ended_reasons rls t force_rls f owner postgres
r public.vapi_relay_outbox rls t force_rls f owner postgres
S public.vapi_relay_outbox_id_seq rls f force_rls f owner postgres
r public.vapi_source_secrets rls t force_rls f owner postgres
S public.vapi_source_secrets_id_seq rls f force_rls f owner postgres
r public.vapi_sources rls t force_rls f owner postgres
r public.vapi_webhook_events rls t force_rls f owner postgres
S public.vapi_webhook_events_id_seq rls f force_rls f owner postgres

-- columns
column public.api_read_keys.id uuid not null default gen_random_uuid() (position 1)
column public.api_read_keys.name text not null (position 2)
column public.api_read_keys.key_hash text not null (position 3)
column public.api_read_keys.key_prefix text not null (position 4)
column public.api_read_keys.source_ids uuid[] not null (position 5)
column public.api_read_keys.expires_at timestamp with time zone (position 6)
column public.api_read_keys.last_used_at timestamp with time zone (position 7)
column public.api_read_keys.revoked_at timestamp with time zone (position 8)
column public.api_read_keys.created_at timestamp with time zone not null default now() (position 9)
column public.api_read_keys.access text not null default 'read'::text (position 10)
column public.kestra_push_outbox.id bigint not null generated always as identity (position 1)
column public.kestra_push_outbox.call_id text not null (position 2)
column public.kestra_push_outbox.execution_id text not null (position 3)
column public.kestra_push_outbox.tenant text (position 4)
column public.kestra_push_outbox.state text not null default 'pending'::text (position 5)
column public.kestra_push_outbox.attempts integer not null default 0 (position 6)
column public.kestra_push_outbox.last_status integer (position 7)
column public.kestra_push_outbox.last_error text (position 8)
column public.kestra_push_outbox.next_attempt_at timestamp with time zone not null default now() (position 9)
column public.kestra_push_outbox.locked_until timestamp with time zone (position 10)
column public.kestra_push_outbox.claim_id uuid (position 11)
column public.kestra_push_outbox.delivered_at timestamp with time zone (position 12)
column public.kestra_push_outbox.created_at timestamp with time zone not null default now() (position 13)
column public.kestra_push_outbox.updated_at timestamp with time zone not null default now() (position 14)
column public.vapi_call_reads.call_id text (position 1)
column public.vapi_call_reads.status text (position 2)
column public.vapi_call_reads.ended_reason text (position 3)
column public.vapi_call_reads.started_at timestamp with time zone (position 4)
column public.vapi_call_reads.ended_at timestamp with time zone (position 5)
column public.vapi_call_reads.duration_seconds numeric (position 6)
column public.vapi_call_reads.customer_number text (position 7)
column public.vapi_call_reads.vapi_phone_number text (position 8)
column public.vapi_call_reads.phone_number_id text (position 9)
column public.vapi_call_reads.assistant_id text (position 10)
column public.vapi_call_reads.transcript text (position 11)
column public.vapi_call_reads.messages jsonb (position 12)
column public.vapi_call_reads.recording_url text (position 13)
column public.vapi_call_reads.stereo_recording_url text (position 14)
column public.vapi_call_reads.summary text (position 15)
column public.vapi_call_reads.structured_data jsonb (position 16)
column public.vapi_call_reads.success_evaluation text (position 17)
column public.vapi_call_reads.cost numeric (position 18)
column public.vapi_call_reads.cost_breakdown jsonb (position 19)
column public.vapi_call_reads.metadata jsonb (position 20)
column public.vapi_call_reads.variable_values jsonb (position 21)
column public.vapi_call_reads.report_received_at timestamp with time zone (position 22)
column public.vapi_call_reads.last_event_type text (position 23)
column public.vapi_call_reads.last_event_at timestamp with time zone (position 24)
column public.vapi_call_reads.created_at timestamp with time zone (position 25)
column public.vapi_call_reads.updated_at timestamp with time zone (position 26)
column public.vapi_call_reads.source_id uuid (position 27)
column public.vapi_call_reads.call_type text (position 28)
column public.vapi_call_reads.campaign_id text (position 29)
column public.vapi_call_reads.squad_id text (position 30)
column public.vapi_call_reads.workflow_id text (position 31)
column public.vapi_call_reads.customer_name text (position 32)
column public.vapi_call_reads.customer_email text (position 33)
column public.vapi_call_reads.customer_external_id text (position 34)
column public.vapi_call_reads.structured_outputs jsonb (position 35)
column public.vapi_call_reads.scorecards jsonb (position 36)
column public.vapi_call_reads.transfers jsonb (position 37)
column public.vapi_call_reads.performance_metrics jsonb (position 38)
column public.vapi_call_reads.recording_consent jsonb (position 39)
column public.vapi_call_reads.costs jsonb (position 40)
column public.vapi_call_results.id uuid not null default gen_random_uuid() (position 1)
column public.vapi_call_results.call_id text not null (position 2)
column public.vapi_call_results.status text (position 3)
column public.vapi_call_results.ended_reason text (position 4)
column public.vapi_call_results.started_at timestamp with time zone (position 5)
column public.vapi_call_results.ended_at timestamp with time zone (position 6)
column public.vapi_call_results.duration_seconds numeric (position 7)
column public.vapi_call_results.customer_number text (position 8)
column public.vapi_call_results.vapi_phone_number text (position 9)
column public.vapi_call_results.phone_number_id text (position 10)
column public.vapi_call_results.assistant_id text (position 11)
column public.vapi_call_results.transcript text (position 12)
column public.vapi_call_results.messages jsonb (position 13)
column public.vapi_call_results.recording_url text (position 14)
column public.vapi_call_results.stereo_recording_url text (position 15)
column public.vapi_call_results.summary text (position 16)
column public.vapi_call_results.structured_data jsonb (position 17)
column public.vapi_call_results.success_evaluation text (position 18)
column public.vapi_call_results.cost numeric (position 19)
column public.vapi_call_results.cost_breakdown jsonb (position 20)
column public.vapi_call_results.metadata jsonb (position 21)
column public.vapi_call_results.variable_values jsonb (position 22)
column public.vapi_call_results.report_received_at timestamp with time zone (position 23)
column public.vapi_call_results.last_event_type text (position 24)
column public.vapi_call_results.last_event_at timestamp with time zone (position 25)
column public.vapi_call_results.created_at timestamp with time zone not null default now() (position 26)
column public.vapi_call_results.updated_at timestamp with time zone not null default now() (position 27)
column public.vapi_call_results.source_id uuid (position 28)
column public.vapi_call_results.call_type text (position 29)
column public.vapi_call_results.campaign_id text (position 30)
column public.vapi_call_results.squad_id text (position 31)
column public.vapi_call_results.workflow_id text (position 32)
column public.vapi_call_results.customer_name text (position 33)
column public.vapi_call_results.customer_email text (position 34)
column public.vapi_call_results.customer_external_id text (position 35)
column public.vapi_call_results.structured_outputs jsonb (position 36)
column public.vapi_call_results.scorecards jsonb (position 37)
column public.vapi_call_results.transfers jsonb (position 38)
column public.vapi_call_results.performance_metrics jsonb (position 39)
column public.vapi_call_results.recording_consent jsonb (position 40)
column public.vapi_call_results.costs jsonb (position 41)
column public.vapi_call_summaries.call_id text (position 1)
column public.vapi_call_summaries.status text (position 2)
column public.vapi_call_summaries.ended_reason text (position 3)
column public.vapi_call_summaries.started_at timestamp with time zone (position 4)
column public.vapi_call_summaries.ended_at timestamp with time zone (position 5)
column public.vapi_call_summaries.duration_seconds numeric (position 6)
column public.vapi_call_summaries.customer_number text (position 7)
column public.vapi_call_summaries.assistant_id text (position 8)
column public.vapi_call_summaries.summary text (position 9)
column public.vapi_call_summaries.success_evaluation text (position 10)
column public.vapi_call_summaries.cost numeric (position 11)
column public.vapi_call_summaries.report_received_at timestamp with time zone (position 12)
column public.vapi_call_summaries.created_at timestamp with time zone (position 13)
column public.vapi_call_summaries.updated_at timestamp with time zone (position 14)
column public.vapi_call_summaries.source_id uuid (position 15)
column public.vapi_ended_reasons.reason text not null (position 1)
column public.vapi_ended_reasons.outcome text not null (position 2)
column public.vapi_ended_reasons.retryable boolean not null (position 3)
column public.vapi_ended_reasons.fault text not null (position 4)
column public.vapi_relay_outbox.id bigint not null generated always as identity (position 1)
column public.vapi_relay_outbox.event_id bigint not null (position 2)
column public.vapi_relay_outbox.event_type text not null (position 3)
column public.vapi_relay_outbox.relay_url text not null (position 4)
column public.vapi_relay_outbox.headers jsonb (position 5)
column public.vapi_relay_outbox.body bytea (position 6)
column public.vapi_relay_outbox.state text not null default 'pending'::text (position 7)
column public.vapi_relay_outbox.attempts integer not null default 0 (position 8)
column public.vapi_relay_outbox.last_status integer (position 9)
column public.vapi_relay_outbox.last_error text (position 10)
column public.vapi_relay_outbox.next_attempt_at timestamp with time zone not null default now() (position 11)
column public.vapi_relay_outbox.locked_until timestamp with time zone (position 12)
column public.vapi_relay_outbox.claim_id uuid (position 13)
column public.vapi_relay_outbox.delivered_at timestamp with time zone (position 14)
column public.vapi_relay_outbox.created_at timestamp with time zone not null default now() (position 15)
column public.vapi_relay_outbox.updated_at timestamp with time zone not null default now() (position 16)
column public.vapi_source_secrets.id bigint not null generated always as identity (position 1)
column public.vapi_source_secrets.source_id uuid not null (position 2)
column public.vapi_source_secrets.encrypted_secret text not null (position 3)
column public.vapi_source_secrets.created_at timestamp with time zone not null default now() (position 4)
column public.vapi_source_secrets.expires_at timestamp with time zone (position 5)
column public.vapi_sources.id uuid not null default gen_random_uuid() (position 1)
column public.vapi_sources.name text not null (position 2)
column public.vapi_sources.verification_mode text not null (position 3)
column public.vapi_sources.verification jsonb not null default '{}'::jsonb (position 4)
column public.vapi_sources.active boolean not null default true (position 5)
column public.vapi_sources.created_at timestamp with time zone not null default now() (position 6)
column public.vapi_sources.updated_at timestamp with time zone not null default now() (position 7)
column public.vapi_sources.relay_url text (position 8)
column public.vapi_sources.kestra_tenants text[] (position 9)
column public.vapi_webhook_events.id bigint not null generated always as identity (position 1)
column public.vapi_webhook_events.call_id text (position 2)
column public.vapi_webhook_events.event_type text not null (position 3)
column public.vapi_webhook_events.received_at timestamp with time zone not null default now() (position 4)
column public.vapi_webhook_events.event_at timestamp with time zone (position 5)
column public.vapi_webhook_events.payload_bytes integer not null (position 6)
column public.vapi_webhook_events.outcome text not null (position 7)
column public.vapi_webhook_events.error_code text (position 8)
column public.vapi_webhook_events.payload jsonb (position 9)
column public.vapi_webhook_events.delivery_id uuid (position 10)
column public.vapi_webhook_events.sanitized jsonb (position 11)
column public.vapi_webhook_events.replay_of bigint (position 12)
column public.vapi_webhook_events.source_id uuid (position 13)
column public.vapi_webhook_events.relay_status integer (position 14)
column public.vapi_webhook_events.relay_ms integer (position 15)
column public.vapi_webhook_events.relay_error text (position 16)

-- constraints
constraint public.api_read_keys.api_read_keys_access_check CHECK ((access = ANY (ARRAY['read'::text, 'read+write'::text])))
constraint public.api_read_keys.api_read_keys_key_hash_check CHECK ((key_hash ~ '^[0-9a-f]{64}$'::text))
constraint public.api_read_keys.api_read_keys_key_hash_key UNIQUE (key_hash)
constraint public.api_read_keys.api_read_keys_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 200)))
constraint public.api_read_keys.api_read_keys_pkey PRIMARY KEY (id)
constraint public.api_read_keys.api_read_keys_source_ids_check CHECK ((cardinality(source_ids) > 0))
constraint public.kestra_push_outbox.kestra_push_outbox_call_id_fkey FOREIGN KEY (call_id) REFERENCES vapi_call_results(call_id) ON DELETE CASCADE
constraint public.kestra_push_outbox.kestra_push_outbox_call_id_key UNIQUE (call_id)
constraint public.kestra_push_outbox.kestra_push_outbox_pkey PRIMARY KEY (id)
constraint public.kestra_push_outbox.kestra_push_outbox_state_check CHECK ((state = ANY (ARRAY['pending'::text, 'delivered'::text, 'failed'::text, 'expired'::text])))
constraint public.vapi_call_results.vapi_call_results_call_id_key UNIQUE (call_id)
constraint public.vapi_call_results.vapi_call_results_pkey PRIMARY KEY (id)
constraint public.vapi_call_results.vapi_call_results_source_id_fkey FOREIGN KEY (source_id) REFERENCES vapi_sources(id) ON DELETE CASCADE
constraint public.vapi_ended_reasons.vapi_ended_reasons_fault_check CHECK ((fault = ANY (ARRAY['customer'::text, 'provider'::text, 'vapi'::text, 'assistant-configuration'::text, 'none'::text])))
constraint public.vapi_ended_reasons.vapi_ended_reasons_outcome_check CHECK ((outcome = ANY (ARRAY['completed'::text, 'no-answer'::text, 'busy'::text, 'voicemail'::text, 'canceled'::text, 'failed'::text])))
constraint public.vapi_ended_reasons.vapi_ended_reasons_pkey PRIMARY KEY (reason)
constraint public.vapi_relay_outbox.vapi_relay_outbox_check CHECK (((state <> 'pending'::text) OR ((headers IS NOT NULL) AND (body IS NOT NULL))))
constraint public.vapi_relay_outbox.vapi_relay_outbox_event_id_fkey FOREIGN KEY (event_id) REFERENCES vapi_webhook_events(id) ON DELETE CASCADE
constraint public.vapi_relay_outbox.vapi_relay_outbox_event_id_key UNIQUE (event_id)
constraint public.vapi_relay_outbox.vapi_relay_outbox_headers_check CHECK ((jsonb_typeof(headers) = 'array'::text))
constraint public.vapi_relay_outbox.vapi_relay_outbox_last_error_check CHECK ((char_length(last_error) <= 200))
constraint public.vapi_relay_outbox.vapi_relay_outbox_pkey PRIMARY KEY (id)
constraint public.vapi_relay_outbox.vapi_relay_outbox_relay_url_check CHECK (((relay_url ~ '^https?://[^/@]+(/|$)'::text) AND (char_length(relay_url) <= 2000)))
constraint public.vapi_relay_outbox.vapi_relay_outbox_state_check CHECK ((state = ANY (ARRAY['pending'::text, 'delivered'::text, 'failed'::text, 'expired'::text])))
constraint public.vapi_source_secrets.vapi_source_secrets_encrypted_secret_check CHECK ((encrypted_secret ~~ 'v1.%'::text))
constraint public.vapi_source_secrets.vapi_source_secrets_pkey PRIMARY KEY (id)
constraint public.vapi_source_secrets.vapi_source_secrets_source_id_fkey FOREIGN KEY (source_id) REFERENCES vapi_sources(id) ON DELETE CASCADE
constraint public.vapi_sources.vapi_sources_kestra_tenants_check CHECK (((kestra_tenants IS NULL) OR (((cardinality(kestra_tenants) >= 1) AND (cardinality(kestra_tenants) <= 50)) AND (array_to_string(kestra_tenants, ','::text) ~ '^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64})*$'::text))))
constraint public.vapi_sources.vapi_sources_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 200)))
constraint public.vapi_sources.vapi_sources_pkey PRIMARY KEY (id)
constraint public.vapi_sources.vapi_sources_relay_url_check CHECK (((relay_url ~ '^https?://[^/@]+(/|$)'::text) AND (char_length(relay_url) <= 2000)))
constraint public.vapi_sources.vapi_sources_verification_check CHECK ((jsonb_typeof(verification) = 'object'::text))
constraint public.vapi_sources.vapi_sources_verification_mode_check CHECK ((verification_mode = ANY (ARRAY['hmac'::text, 'secret'::text, 'bearer'::text, 'oauth2'::text])))
constraint public.vapi_webhook_events.vapi_webhook_events_outcome_check CHECK ((outcome = ANY (ARRAY['stored'::text, 'acknowledged'::text, 'rejected'::text, 'failed'::text])))
constraint public.vapi_webhook_events.vapi_webhook_events_payload_bytes_check CHECK ((payload_bytes >= 0))
constraint public.vapi_webhook_events.vapi_webhook_events_pkey PRIMARY KEY (id)
constraint public.vapi_webhook_events.vapi_webhook_events_relay_error_check CHECK ((char_length(relay_error) <= 200))
constraint public.vapi_webhook_events.vapi_webhook_events_relay_ms_check CHECK ((relay_ms >= 0))
constraint public.vapi_webhook_events.vapi_webhook_events_relay_status_check CHECK (((relay_status >= 100) AND (relay_status <= 599)))
constraint public.vapi_webhook_events.vapi_webhook_events_source_id_fkey FOREIGN KEY (source_id) REFERENCES vapi_sources(id) ON DELETE CASCADE

-- indexes
CREATE UNIQUE INDEX api_read_keys_key_hash_key ON public.api_read_keys USING btree (key_hash)
CREATE UNIQUE INDEX api_read_keys_pkey ON public.api_read_keys USING btree (id)
CREATE UNIQUE INDEX kestra_push_outbox_call_id_key ON public.kestra_push_outbox USING btree (call_id)
CREATE INDEX kestra_push_outbox_due_idx ON public.kestra_push_outbox USING btree (next_attempt_at) WHERE (state = 'pending'::text)
CREATE UNIQUE INDEX kestra_push_outbox_pkey ON public.kestra_push_outbox USING btree (id)
CREATE UNIQUE INDEX vapi_call_results_call_id_key ON public.vapi_call_results USING btree (call_id)
CREATE INDEX vapi_call_results_customer_newest_idx ON public.vapi_call_results USING btree (customer_number, created_at DESC, call_id DESC)
CREATE INDEX vapi_call_results_ended_unreported_idx ON public.vapi_call_results USING btree (COALESCE(ended_at, updated_at)) WHERE ((report_received_at IS NULL) AND (status = 'ended'::text) AND (metadata ? 'kestraExecutionId'::text))
CREATE UNIQUE INDEX vapi_call_results_pkey ON public.vapi_call_results USING btree (id)
CREATE INDEX vapi_call_results_source_idx ON public.vapi_call_results USING btree (source_id) WHERE (source_id IS NOT NULL)
CREATE INDEX vapi_call_results_stats_idx ON public.vapi_call_results USING btree (created_at) INCLUDE (status, ended_reason, duration_seconds, cost, report_received_at, source_id)
CREATE INDEX vapi_call_results_status_time_idx ON public.vapi_call_results USING btree (status, updated_at DESC)
CREATE INDEX vapi_call_results_updated_idx ON public.vapi_call_results USING btree (updated_at)
CREATE UNIQUE INDEX vapi_ended_reasons_pkey ON public.vapi_ended_reasons USING btree (reason)
CREATE INDEX vapi_relay_outbox_due_idx ON public.vapi_relay_outbox USING btree (next_attempt_at) WHERE (state = 'pending'::text)
CREATE UNIQUE INDEX vapi_relay_outbox_event_id_key ON public.vapi_relay_outbox USING btree (event_id)
CREATE UNIQUE INDEX vapi_relay_outbox_pkey ON public.vapi_relay_outbox USING btree (id)
CREATE UNIQUE INDEX vapi_source_secrets_current_idx ON public.vapi_source_secrets USING btree (source_id) WHERE (expires_at IS NULL)
CREATE UNIQUE INDEX vapi_source_secrets_pkey ON public.vapi_source_secrets USING btree (id)
CREATE INDEX vapi_source_secrets_source_idx ON public.vapi_source_secrets USING btree (source_id, created_at DESC)
CREATE UNIQUE INDEX vapi_sources_pkey ON public.vapi_sources USING btree (id)
CREATE INDEX vapi_webhook_events_call_idx ON public.vapi_webhook_events USING btree (call_id, received_at)
CREATE UNIQUE INDEX vapi_webhook_events_delivery_idx ON public.vapi_webhook_events USING btree (delivery_id)
CREATE UNIQUE INDEX vapi_webhook_events_pkey ON public.vapi_webhook_events USING btree (id)
CREATE INDEX vapi_webhook_events_received_idx ON public.vapi_webhook_events USING btree (received_at DESC)
CREATE INDEX vapi_webhook_events_replay_of_idx ON public.vapi_webhook_events USING btree (replay_of) WHERE (replay_of IS NOT NULL)
CREATE INDEX vapi_webhook_events_source_received_idx ON public.vapi_webhook_events USING btree (source_id, received_at DESC) WHERE (source_id IS NOT NULL)
CREATE INDEX vapi_webhook_events_stats_idx ON public.vapi_webhook_events USING btree (received_at) INCLUDE (event_type, outcome, error_code, source_id)

-- sequences
sequence public.kestra_push_outbox_id_seq bigint start 1 increment 1 min 1 max 9223372036854775807 cache 1 cycle f
sequence public.vapi_relay_outbox_id_seq bigint start 1 increment 1 min 1 max 9223372036854775807 cache 1 cycle f
sequence public.vapi_source_secrets_id_seq bigint start 1 increment 1 min 1 max 9223372036854775807 cache 1 cycle f
sequence public.vapi_webhook_events_id_seq bigint start 1 increment 1 min 1 max 9223372036854775807 cache 1 cycle f

-- views
view public.vapi_call_reads as SELECT call_id,
    status,
    ended_reason,
    started_at,
    ended_at,
    duration_seconds,
    customer_number,
    vapi_phone_number,
    phone_number_id,
    assistant_id,
    transcript,
    messages,
    recording_url,
    stereo_recording_url,
    summary,
    structured_data,
    success_evaluation,
    cost,
    cost_breakdown,
    metadata,
    variable_values,
    report_received_at,
    last_event_type,
    last_event_at,
    created_at,
    updated_at,
    source_id,
    call_type,
    campaign_id,
    squad_id,
    workflow_id,
    customer_name,
    customer_email,
    customer_external_id,
    structured_outputs,
    scorecards,
    transfers,
    performance_metrics,
    recording_consent,
    costs
   FROM vapi_call_results;
view public.vapi_call_summaries as SELECT call_id,
    status,
    ended_reason,
    started_at,
    ended_at,
    duration_seconds,
    customer_number,
    assistant_id,
    summary,
    success_evaluation,
    cost,
    report_received_at,
    created_at,
    updated_at,
    source_id
   FROM vapi_call_results;

-- functions
CREATE OR REPLACE FUNCTION public.claim_kestra_pushes(p_limit integer, p_lease_seconds integer)
 RETURNS SETOF kestra_push_outbox
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  select * from public.claim_outbox_rows(null::public.kestra_push_outbox, p_limit, p_lease_seconds);
$function$

CREATE OR REPLACE FUNCTION public.claim_outbox_rows(p_outbox anyelement, p_limit integer, p_lease_seconds integer)
 RETURNS SETOF anyelement
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
begin
  return query execute format($sql$
    update %1$s o
    set locked_until = now() + make_interval(secs => $2),
        next_attempt_at = now() + make_interval(secs => $2),
        claim_id = gen_random_uuid(),
        attempts = o.attempts + 1
    from (
      select id
      from %1$s
      where state = 'pending' and next_attempt_at <= now()
      order by next_attempt_at
      limit $1
      for update skip locked
    ) due
    where o.id = due.id
    returning o.*$sql$, pg_typeof(p_outbox))
  using p_limit, p_lease_seconds;
end;
$function$

CREATE OR REPLACE FUNCTION public.claim_vapi_relays(p_limit integer, p_lease_seconds integer)
 RETURNS SETOF vapi_relay_outbox
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  select * from public.claim_outbox_rows(null::public.vapi_relay_outbox, p_limit, p_lease_seconds);
$function$

CREATE OR REPLACE FUNCTION public.create_vapi_source(p_id uuid, p_name text, p_verification_mode text, p_verification jsonb, p_encrypted_secret text, p_kestra_tenants text[] DEFAULT NULL::text[])
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
begin
  insert into public.vapi_sources (id, name, verification_mode, verification, kestra_tenants)
    values (p_id, p_name, p_verification_mode, p_verification, p_kestra_tenants);
  insert into public.vapi_source_secrets (source_id, encrypted_secret) values (p_id, p_encrypted_secret);
end;
$function$

CREATE OR REPLACE FUNCTION public.delete_vapi_call(p_call_id text, p_source_ids uuid[] DEFAULT NULL::uuid[])
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  deleted_rows integer;
  deleted_events integer;
begin
  delete from public.vapi_call_results
    where call_id = p_call_id and (p_source_ids is null or source_id = any(p_source_ids));
  get diagnostics deleted_rows = row_count;
  delete from public.vapi_webhook_events
    where call_id = p_call_id and (p_source_ids is null or source_id = any(p_source_ids));
  get diagnostics deleted_events = row_count;
  return jsonb_build_object('deleted', deleted_rows > 0, 'deletedEvents', deleted_events);
end;
$function$

CREATE OR REPLACE FUNCTION public.delete_vapi_source(p_source_id uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_calls bigint;
  v_events bigint;
begin
  perform 1 from public.vapi_sources where id = p_source_id for update;
  if not found then
    return jsonb_build_object('deleted', false, 'calls', 0, 'events', 0);
  end if;
  select count(*) into v_calls from public.vapi_call_results where source_id = p_source_id;
  select count(*) into v_events from public.vapi_webhook_events where source_id = p_source_id;
  update public.api_read_keys set revoked_at = coalesce(revoked_at, now())
    where source_ids = array[p_source_id];
  update public.api_read_keys set source_ids = array_remove(source_ids, p_source_id)
    where p_source_id = any(source_ids) and cardinality(source_ids) > 1;
  delete from public.vapi_sources where id = p_source_id;
  return jsonb_build_object('deleted', true, 'calls', v_calls, 'events', v_events);
end;
$function$

CREATE OR REPLACE FUNCTION public.enqueue_ended_kestra_pushes(p_grace_seconds integer, p_max_age_seconds integer)
 RETURNS integer
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  with enqueued as (
    insert into public.kestra_push_outbox (call_id, execution_id, tenant)
    select r.call_id, t.execution_id, t.tenant
    from public.vapi_call_results r
    cross join lateral public.kestra_push_target(r.metadata) t
    where r.report_received_at is null
      and r.status = 'ended'
      and r.metadata ? 'kestraExecutionId'
      and coalesce(r.ended_at, r.updated_at) <= now() - make_interval(secs => p_grace_seconds)
      and coalesce(r.ended_at, r.updated_at) > now() - make_interval(secs => p_max_age_seconds)
      and not exists (select from public.kestra_push_outbox o where o.call_id = r.call_id)
    on conflict (call_id) do nothing
    returning 1
  )
  select count(*)::integer from enqueued;
$function$

CREATE OR REPLACE FUNCTION public.enqueue_kestra_push(p_call_id text, p_metadata jsonb)
 RETURNS void
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  insert into public.kestra_push_outbox (call_id, execution_id, tenant)
  select p_call_id, t.execution_id, t.tenant from public.kestra_push_target(p_metadata) t
  on conflict (call_id) do nothing;
$function$

CREATE OR REPLACE FUNCTION public.enqueue_kestra_push_on_report()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
begin
  if current_setting('callbridge.kestra_push', true) = 'on' then
    perform public.enqueue_kestra_push(new.call_id, new.metadata);
  end if;
  return null;
end;
$function$

CREATE OR REPLACE FUNCTION public.event_received_at_from_spool()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_times text := nullif(current_setting('callbridge.received_at', true), '');
begin
  if v_times is not null and new.delivery_id is not null then
    new.received_at := coalesce((v_times::jsonb->>new.delivery_id::text)::timestamptz, new.received_at);
  end if;
  return new;
end;
$function$

CREATE OR REPLACE FUNCTION public.ingest_vapi_deliveries(text)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_batch jsonb := $1::jsonb;
begin
  if jsonb_typeof(v_batch->'events') is distinct from 'array' then
    raise exception 'ingest_vapi_deliveries takes {"notAfter": …, "events": […]}' using errcode = '22023';
  end if;
  return public.ingest_vapi_event_list(v_batch->'events', (v_batch->>'notAfter')::timestamptz);
end;
$function$

CREATE OR REPLACE FUNCTION public.ingest_vapi_event_batch(p_events text, p_not_after timestamp with time zone)
 RETURNS jsonb
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  select public.ingest_vapi_event_list(p_events::jsonb, p_not_after);
$function$

CREATE OR REPLACE FUNCTION public.ingest_vapi_event_list(p_events jsonb, p_not_after timestamp with time zone)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
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
$function$

CREATE OR REPLACE FUNCTION public.ingest_vapi_events(p_events jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
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
      -- Push to Kestra is on for this event (20261201000300_outboxes.sql).
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
$function$

CREATE OR REPLACE FUNCTION public.kestra_push_target(p_metadata jsonb)
 RETURNS TABLE(execution_id text, tenant text)
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO ''
AS $function$
  select
    btrim(p_metadata->>'kestraExecutionId'),
    case
      when jsonb_typeof(p_metadata->'kestraTenant') = 'string'
        and btrim(p_metadata->>'kestraTenant') <> ''
        and length(p_metadata->>'kestraTenant') <= 200
      then btrim(p_metadata->>'kestraTenant')
    end
  where jsonb_typeof(p_metadata->'kestraExecutionId') = 'string'
    and btrim(p_metadata->>'kestraExecutionId') <> ''
    and length(p_metadata->>'kestraExecutionId') <= 200;
$function$

CREATE OR REPLACE FUNCTION public.merge_vapi_event(p_call_id text, p_event_type text, p_event_at timestamp with time zone, p_is_report boolean, p_fields jsonb, p_source_id uuid)
 RETURNS boolean
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
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
$function$

CREATE OR REPLACE FUNCTION public.notify_call_result_final()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
begin
  perform pg_notify('callbridge_call_result_final', new.call_id);
  return null;
end;
$function$

CREATE OR REPLACE FUNCTION public.purge_vapi_call_results(p_before timestamp with time zone, p_batch integer)
 RETURNS integer
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  with batch as (
    select id from public.vapi_call_results
    where updated_at < p_before
    order by updated_at limit p_batch for update skip locked
  ), deleted as (
    delete from public.vapi_call_results c using batch where c.id = batch.id returning 1
  )
  select count(*)::integer from deleted;
$function$

CREATE OR REPLACE FUNCTION public.purge_vapi_event_payloads(p_before timestamp with time zone, p_batch integer)
 RETURNS integer
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  with batch as (
    select id from public.vapi_webhook_events
    where received_at < p_before and payload is not null
    order by received_at limit p_batch for update skip locked
  ), cleared as (
    update public.vapi_webhook_events e set payload = null from batch where e.id = batch.id returning 1
  )
  select count(*)::integer from cleared;
$function$

CREATE OR REPLACE FUNCTION public.purge_vapi_events(p_before timestamp with time zone, p_batch integer)
 RETURNS integer
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  with batch as (
    select id from public.vapi_webhook_events
    where received_at < p_before
    order by received_at limit p_batch for update skip locked
  ), deleted as (
    delete from public.vapi_webhook_events e using batch where e.id = batch.id returning 1
  )
  select count(*)::integer from deleted;
$function$

CREATE OR REPLACE FUNCTION public.purge_vapi_retention(p_payload_days integer DEFAULT 30, p_event_days integer DEFAULT 90, p_call_days integer DEFAULT NULL::integer, p_batch integer DEFAULT 5000)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_batch integer := least(greatest(coalesce(p_batch, 5000), 1), 5000);
begin
  if p_payload_days < 1 or p_event_days < 1 or p_call_days < 1 then
    raise exception 'retention periods must be at least one day';
  end if;
  if not pg_try_advisory_xact_lock(4726550001) then
    return jsonb_build_object('locked', false, 'payloadsCleared', 0, 'eventsDeleted', 0, 'callsDeleted', 0);
  end if;
  return jsonb_build_object(
    'locked', true,
    'payloadsCleared', public.purge_vapi_event_payloads(now() - make_interval(days => p_payload_days), v_batch),
    'eventsDeleted', public.purge_vapi_events(now() - make_interval(days => p_event_days), v_batch),
    'callsDeleted', case when p_call_days is null then 0
      else public.purge_vapi_call_results(now() - make_interval(days => p_call_days), v_batch) end);
end;
$function$

CREATE OR REPLACE FUNCTION public.reject_event_update()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
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
$function$

CREATE OR REPLACE FUNCTION public.rotate_vapi_source_secret(p_source_id uuid, p_encrypted_secret text, p_overlap_seconds integer)
 RETURNS boolean
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_until timestamptz := now() + make_interval(secs => greatest(p_overlap_seconds, 0));
begin
  perform 1 from public.vapi_sources where id = p_source_id for update;
  if not found then
    return false;
  end if;
  update public.vapi_source_secrets
    set expires_at = least(coalesce(expires_at, v_until), v_until)
    where source_id = p_source_id and (expires_at is null or expires_at > now());
  insert into public.vapi_source_secrets (source_id, encrypted_secret) values (p_source_id, p_encrypted_secret);
  update public.vapi_sources set updated_at = now() where id = p_source_id;
  return true;
end;
$function$

CREATE OR REPLACE FUNCTION public.settle_kestra_push(p_id bigint, p_claim_id uuid, p_state text, p_last_status integer, p_last_error text, p_retry_in_ms integer)
 RETURNS boolean
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  select public.settle_outbox_row('public.kestra_push_outbox', p_id, p_claim_id, p_state, p_last_status,
    p_last_error, p_retry_in_ms);
$function$

CREATE OR REPLACE FUNCTION public.settle_outbox_row(p_outbox regclass, p_id bigint, p_claim_id uuid, p_state text, p_last_status integer, p_last_error text, p_retry_in_ms integer, p_cleared_when_settled text[] DEFAULT '{}'::text[])
 RETURNS boolean
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_settled integer;
begin
  execute format($sql$
    update %s
    set state = $3,
        last_status = $4,
        last_error = $5,
        next_attempt_at = now() + make_interval(secs => coalesce($6, 0) / 1000.0),
        delivered_at = case when $3 = 'delivered' then now() end,%s
        locked_until = null,
        claim_id = null
    where id = $1 and claim_id = $2$sql$,
    p_outbox,
    (select coalesce(string_agg(format(E'\n        %1$I = case when $3 = \'pending\' then %1$I end,', c), ''), '')
       from unnest(p_cleared_when_settled) c))
  using p_id, p_claim_id, p_state, p_last_status, p_last_error, p_retry_in_ms;
  get diagnostics v_settled = row_count;
  return v_settled > 0;
end;
$function$

CREATE OR REPLACE FUNCTION public.settle_vapi_relay(p_id bigint, p_claim_id uuid, p_state text, p_last_status integer, p_last_error text, p_retry_in_ms integer)
 RETURNS boolean
 LANGUAGE sql
 SET search_path TO ''
AS $function$
  select public.settle_outbox_row('public.vapi_relay_outbox', p_id, p_claim_id, p_state, p_last_status,
    p_last_error, p_retry_in_ms, array['headers', 'body']);
$function$

CREATE OR REPLACE FUNCTION public.touch_updated_at()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
begin
  new.updated_at := now();
  return new;
end;
$function$

CREATE OR REPLACE FUNCTION public.vapi_call_outcome(p_ended_reason text)
 RETURNS text
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select coalesce(
    (select r.outcome from public.vapi_ended_reasons r where r.reason = p_ended_reason),
    'failed');
$function$

CREATE OR REPLACE FUNCTION public.vapi_event_fields(p_event jsonb)
 RETURNS jsonb
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO ''
AS $function$
  select coalesce(
      (select jsonb_object_agg(f.key, p_event->'payload' #> array(select jsonb_array_elements_text(f.value)))
        from jsonb_each(case when jsonb_typeof(p_event->'fieldsInPayload') = 'object'
          then p_event->'fieldsInPayload' end) f
        where jsonb_typeof(f.value) = 'array'),
      '{}'::jsonb)
    || coalesce(p_event->'fields', '{}'::jsonb);
$function$

CREATE OR REPLACE FUNCTION public.vapi_merge_value(from_report boolean, incoming anyelement, stored anyelement)
 RETURNS anyelement
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO ''
AS $function$
  select case when from_report then coalesce(incoming, stored) else coalesce(stored, incoming) end;
$function$

CREATE OR REPLACE FUNCTION public.vapi_source_overview(p_source_id uuid DEFAULT NULL::uuid)
 RETURNS TABLE(id uuid, name text, verification_mode text, verification jsonb, active boolean, created_at timestamp with time zone, updated_at timestamp with time zone, call_count bigint, last_delivery_at timestamp with time zone, secret_rotated_at timestamp with time zone, relay_url text, kestra_tenants text[])
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  select s.id, s.name, s.verification_mode, s.verification, s.active, s.created_at, s.updated_at,
    (select count(*) from public.vapi_call_results c where c.source_id = s.id),
    (select max(e.received_at) from public.vapi_webhook_events e where e.source_id = s.id),
    (select k.created_at from public.vapi_source_secrets k where k.source_id = s.id and k.expires_at is null),
    s.relay_url,
    s.kestra_tenants
  from public.vapi_sources s
  where p_source_id is null or s.id = p_source_id
  order by s.created_at, s.id;
$function$

CREATE OR REPLACE FUNCTION public.vapi_stats(p_since timestamp with time zone, p_until timestamp with time zone, p_source_ids uuid[] DEFAULT NULL::uuid[])
 RETURNS jsonb
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  with event_groups as (
    select event_type, outcome, error_code, count(*) as n
    from public.vapi_webhook_events
    where received_at >= p_since and received_at < p_until
      and (p_source_ids is null or source_id = any(p_source_ids))
    group by event_type, outcome, error_code
  ),
  -- Each table grouped on its first read: a CTE read twice would be materialized row by row.
  call_groups as (
    select status, (status = 'ended' or report_received_at is not null) as ended, ended_reason, count(*) as n
    from public.vapi_call_results
    where created_at >= p_since and created_at < p_until
      and (p_source_ids is null or source_id = any(p_source_ids))
    group by 1, 2, 3
  ),
  call_figures as (
    select avg(duration_seconds) as mean,
      percentile_cont(0.5) within group (order by duration_seconds) as p50,
      percentile_cont(0.95) within group (order by duration_seconds) as p95,
      coalesce(sum(cost), 0) as total_cost
    from public.vapi_call_results
    where created_at >= p_since and created_at < p_until
      and (p_source_ids is null or source_id = any(p_source_ids))
  )
  select jsonb_build_object(
    'calls', jsonb_build_object(
      'total', (select coalesce(sum(n), 0) from call_groups),
      'byStatus', coalesce((select jsonb_object_agg(s.status, s.n) from (
          select coalesce(status, 'unknown') as status, sum(n) as n from call_groups group by 1) s), '{}'::jsonb),
      'byOutcome', coalesce((select jsonb_object_agg(o.outcome, o.n) from (
          select public.vapi_call_outcome(ended_reason) as outcome, sum(n) as n
          from call_groups where ended group by 1) o), '{}'::jsonb),
      'durationSeconds', (select jsonb_build_object('mean', mean, 'p50', p50, 'p95', p95) from call_figures),
      'totalCost', (select total_cost from call_figures)),
    'deliveries', jsonb_build_object(
      'total', (select coalesce(sum(n), 0) from event_groups),
      'byType', coalesce((select jsonb_object_agg(t.event_type, t.outcomes) from (
          select event_type, jsonb_object_agg(outcome, n) as outcomes from (
            select event_type, outcome, sum(n) as n from event_groups group by 1, 2) e
          group by event_type) t), '{}'::jsonb),
      'successRate', (select sum(n) filter (where outcome in ('stored', 'acknowledged')) / nullif(sum(n), 0)
        from event_groups),
      'topFailureCodes', coalesce((select jsonb_agg(jsonb_build_object('code', f.error_code, 'count', f.n)
          order by f.n desc, f.error_code) from (
            select error_code, sum(n) as n from event_groups
            where outcome in ('rejected', 'failed') and error_code is not null
            group by error_code order by n desc, error_code limit 10) f), '[]'::jsonb))
  );
$function$

CREATE OR REPLACE FUNCTION public.vapi_status_rank(status text)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE
 SET search_path TO ''
AS $function$
  select case status
    when 'scheduled' then 1
    when 'queued' then 2
    when 'ringing' then 3
    when 'in-progress' then 4
    when 'forwarding' then 5
    when 'ended' then 6
    else 0
  end;
$function$


-- triggers
CREATE TRIGGER kestra_push_outbox_touch_updated_at BEFORE UPDATE ON public.kestra_push_outbox FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
CREATE TRIGGER vapi_call_results_report_inserted_kestra_push AFTER INSERT ON public.vapi_call_results FOR EACH ROW WHEN ((new.report_received_at IS NOT NULL)) EXECUTE FUNCTION enqueue_kestra_push_on_report()
CREATE TRIGGER vapi_call_results_report_inserted_notify AFTER INSERT ON public.vapi_call_results FOR EACH ROW WHEN ((new.report_received_at IS NOT NULL)) EXECUTE FUNCTION notify_call_result_final()
CREATE TRIGGER vapi_call_results_report_received_kestra_push AFTER UPDATE OF report_received_at ON public.vapi_call_results FOR EACH ROW WHEN (((old.report_received_at IS NULL) AND (new.report_received_at IS NOT NULL))) EXECUTE FUNCTION enqueue_kestra_push_on_report()
CREATE TRIGGER vapi_call_results_report_received_notify AFTER UPDATE OF report_received_at ON public.vapi_call_results FOR EACH ROW WHEN (((old.report_received_at IS NULL) AND (new.report_received_at IS NOT NULL))) EXECUTE FUNCTION notify_call_result_final()
CREATE TRIGGER vapi_call_results_touch_updated_at BEFORE UPDATE ON public.vapi_call_results FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
CREATE TRIGGER vapi_relay_outbox_touch_updated_at BEFORE UPDATE ON public.vapi_relay_outbox FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
CREATE TRIGGER vapi_sources_touch_updated_at BEFORE UPDATE ON public.vapi_sources FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
CREATE TRIGGER vapi_webhook_events_append_only BEFORE UPDATE ON public.vapi_webhook_events FOR EACH ROW EXECUTE FUNCTION reject_event_update()
CREATE TRIGGER vapi_webhook_events_received_at_from_spool BEFORE INSERT ON public.vapi_webhook_events FOR EACH ROW EXECUTE FUNCTION event_received_at_from_spool()

-- policies


-- privileges
default privileges for postgres in public on S: anon=rwU/postgres authenticated=rwU/postgres service_role=rwU/postgres
default privileges for postgres in public on f: anon=X/postgres authenticated=X/postgres service_role=X/postgres
default privileges for postgres in public on r: anon=arwdDxtm/postgres authenticated=arwdDxtm/postgres service_role=arwdDxtm/postgres
grant on S public.kestra_push_outbox_id_seq: anon=rwU/postgres authenticated=rwU/postgres postgres=rwU/postgres service_role=rwU/postgres
grant on S public.vapi_relay_outbox_id_seq: anon=rwU/postgres authenticated=rwU/postgres postgres=rwU/postgres service_role=rwU/postgres
grant on S public.vapi_source_secrets_id_seq: anon=rwU/postgres authenticated=rwU/postgres postgres=rwU/postgres service_role=rwU/postgres
grant on S public.vapi_webhook_events_id_seq: anon=rwU/postgres authenticated=rwU/postgres postgres=rwU/postgres service_role=rwU/postgres
grant on function public.claim_kestra_pushes(p_limit integer, p_lease_seconds integer): postgres=X/postgres service_role=X/postgres
grant on function public.claim_outbox_rows(p_outbox anyelement, p_limit integer, p_lease_seconds integer): postgres=X/postgres service_role=X/postgres
grant on function public.claim_vapi_relays(p_limit integer, p_lease_seconds integer): postgres=X/postgres service_role=X/postgres
grant on function public.create_vapi_source(p_id uuid, p_name text, p_verification_mode text, p_verification jsonb, p_encrypted_secret text, p_kestra_tenants text[]): postgres=X/postgres service_role=X/postgres
grant on function public.delete_vapi_call(p_call_id text, p_source_ids uuid[]): postgres=X/postgres service_role=X/postgres
grant on function public.delete_vapi_source(p_source_id uuid): postgres=X/postgres service_role=X/postgres
grant on function public.enqueue_ended_kestra_pushes(p_grace_seconds integer, p_max_age_seconds integer): postgres=X/postgres service_role=X/postgres
grant on function public.enqueue_kestra_push(p_call_id text, p_metadata jsonb): postgres=X/postgres service_role=X/postgres
grant on function public.enqueue_kestra_push_on_report(): postgres=X/postgres service_role=X/postgres
grant on function public.event_received_at_from_spool(): postgres=X/postgres service_role=X/postgres
grant on function public.ingest_vapi_deliveries(text): postgres=X/postgres service_role=X/postgres
grant on function public.ingest_vapi_event_batch(p_events text, p_not_after timestamp with time zone): postgres=X/postgres service_role=X/postgres
grant on function public.ingest_vapi_event_list(p_events jsonb, p_not_after timestamp with time zone): postgres=X/postgres service_role=X/postgres
grant on function public.ingest_vapi_events(p_events jsonb): postgres=X/postgres service_role=X/postgres
grant on function public.kestra_push_target(p_metadata jsonb): postgres=X/postgres service_role=X/postgres
grant on function public.merge_vapi_event(p_call_id text, p_event_type text, p_event_at timestamp with time zone, p_is_report boolean, p_fields jsonb, p_source_id uuid): postgres=X/postgres service_role=X/postgres
grant on function public.notify_call_result_final(): postgres=X/postgres service_role=X/postgres
grant on function public.purge_vapi_call_results(p_before timestamp with time zone, p_batch integer): postgres=X/postgres service_role=X/postgres
grant on function public.purge_vapi_event_payloads(p_before timestamp with time zone, p_batch integer): postgres=X/postgres service_role=X/postgres
grant on function public.purge_vapi_events(p_before timestamp with time zone, p_batch integer): postgres=X/postgres service_role=X/postgres
grant on function public.purge_vapi_retention(p_payload_days integer, p_event_days integer, p_call_days integer, p_batch integer): postgres=X/postgres service_role=X/postgres
grant on function public.reject_event_update(): postgres=X/postgres service_role=X/postgres
grant on function public.rotate_vapi_source_secret(p_source_id uuid, p_encrypted_secret text, p_overlap_seconds integer): postgres=X/postgres service_role=X/postgres
grant on function public.settle_kestra_push(p_id bigint, p_claim_id uuid, p_state text, p_last_status integer, p_last_error text, p_retry_in_ms integer): postgres=X/postgres service_role=X/postgres
grant on function public.settle_outbox_row(p_outbox regclass, p_id bigint, p_claim_id uuid, p_state text, p_last_status integer, p_last_error text, p_retry_in_ms integer, p_cleared_when_settled text[]): postgres=X/postgres service_role=X/postgres
grant on function public.settle_vapi_relay(p_id bigint, p_claim_id uuid, p_state text, p_last_status integer, p_last_error text, p_retry_in_ms integer): postgres=X/postgres service_role=X/postgres
grant on function public.touch_updated_at(): postgres=X/postgres service_role=X/postgres
grant on function public.vapi_call_outcome(p_ended_reason text): postgres=X/postgres service_role=X/postgres
grant on function public.vapi_event_fields(p_event jsonb): postgres=X/postgres service_role=X/postgres
grant on function public.vapi_merge_value(from_report boolean, incoming anyelement, stored anyelement): postgres=X/postgres service_role=X/postgres
grant on function public.vapi_source_overview(p_source_id uuid): postgres=X/postgres service_role=X/postgres
grant on function public.vapi_stats(p_since timestamp with time zone, p_until timestamp with time zone, p_source_ids uuid[]): postgres=X/postgres service_role=X/postgres
grant on function public.vapi_status_rank(status text): postgres=X/postgres service_role=X/postgres
grant on r public.api_read_keys: postgres=arwdDxtm/postgres service_role=arwdDxtm/postgres
grant on r public.kestra_push_outbox: postgres=arwdDxtm/postgres service_role=arwdDxtm/postgres
grant on r public.vapi_call_results: postgres=arwdDxtm/postgres service_role=arwdDxtm/postgres
grant on r public.vapi_ended_reasons: postgres=arwdDxtm/postgres service_role=r/postgres
grant on r public.vapi_relay_outbox: postgres=arwdDxtm/postgres service_role=arwdDxtm/postgres
grant on r public.vapi_source_secrets: postgres=arwdDxtm/postgres service_role=arwdDxtm/postgres
grant on r public.vapi_sources: postgres=arwdDxtm/postgres service_role=arwdDxtm/postgres
grant on r public.vapi_webhook_events: postgres=arwdDxtm/postgres service_role=arwdDxtm/postgres
grant on v public.vapi_call_reads: postgres=arwdDxtm/postgres service_role=arwdDxtm/postgres
grant on v public.vapi_call_summaries: postgres=arwdDxtm/postgres service_role=arwdDxtm/postgres

-- comments
comment on column public.api_read_keys.access: 'read: read routes only; read+write: also replay deliveries and delete call data.'
comment on column public.vapi_call_results.source_id: 'The source whose webhook URL delivered the call; null for the default source (environment secret).'
comment on column public.vapi_relay_outbox.body: 'VAPI''s exact bytes (unredacted, so its signature holds); cleared once settled'
comment on column public.vapi_sources.kestra_tenants: 'Kestra tenants this source''s calls may resume executions in; null: KESTRA_TENANT only.'
comment on column public.vapi_sources.relay_url: 'The team''s own VAPI server URL; null: no relay'
comment on column public.vapi_webhook_events.delivery_id: 'Given by Callbridge on receipt; makes a retried store a no-op.'
comment on column public.vapi_webhook_events.relay_error: 'Why the upstream answer was not used (timeout, unreachable:…, status-5xx, too-large); null: used or not relayed'
comment on column public.vapi_webhook_events.relay_ms: 'Time the relay took, ms; null: not relayed'
comment on column public.vapi_webhook_events.relay_status: 'HTTP status the relay upstream answered; null: not relayed, or no answer'
comment on column public.vapi_webhook_events.replay_of: 'For a replay: the id of the event whose payload it re-applied; null for a delivery from VAPI.'
comment on column public.vapi_webhook_events.sanitized: 'What was changed before storing, as { changes: [{ path, reason }], more }; null when nothing was.'
comment on column public.vapi_webhook_events.source_id: 'The source whose webhook URL received the delivery; null for the default source.'
comment on function public.ingest_vapi_deliveries(text): 'The API''s batch store: {"notAfter", "events"} as one text/plain body; see ingest_vapi_event_batch for the rules.'
comment on function public.ingest_vapi_events(p_events jsonb): 'Logs a batch of VAPI deliveries and merges each into vapi_call_results; a refused value fails only its own event.'
comment on function public.purge_vapi_retention(p_payload_days integer, p_event_days integer, p_call_days integer, p_batch integer): 'Purges one batch (≤ 5,000 rows per rule) of payloads, deliveries and call results past retention; one caller at a time.'
comment on function public.vapi_stats(p_since timestamp with time zone, p_until timestamp with time zone, p_source_ids uuid[]): 'Calls and deliveries in [p_since, p_until) of p_source_ids (null: all): counts, outcomes, durations, cost, failure codes.'
comment on table public.api_read_keys: 'Read keys scoped to sources, stored as sha256 hashes; the key is shown once, at creation.'
comment on table public.kestra_push_outbox: 'One row per call whose final result is to be pushed to (resume) a Kestra execution.'
comment on table public.vapi_call_results: 'One row per VAPI call: status and final end-of-call data, written only by Callbridge.'
comment on table public.vapi_ended_reasons: 'What each VAPI endedReason means (outcome, retryable, fault); generated from apps/api/src/lib/call-ended-reasons.ts.'
comment on table public.vapi_relay_outbox: 'Informational VAPI deliveries (VAPI_RELAY_TYPES) to forward to the team''s own VAPI server after they are stored.'
comment on table public.vapi_source_secrets: 'Encrypted webhook secrets of a source: the current one (expires_at null) and those still inside their rotation overlap.'
comment on table public.vapi_sources: 'A VAPI sender with its own webhook URL and verification; secrets in vapi_source_secrets.'
comment on table public.vapi_webhook_events: 'Append-only log of VAPI webhook deliveries, payloads redacted.'
