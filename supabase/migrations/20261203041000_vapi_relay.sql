-- Relay to the team's own VAPI server (apps/api/src/services/vapi-relay.ts).
--
-- Each relayed delivery records on its event row what the upstream did: the HTTP status it answered
-- (null when it never answered), how long the forward took, and why its answer was not used (null
-- when it was). Written by one UPDATE after the forward finishes; the event itself is stored first,
-- whatever the relay does. All three stay null for deliveries that were not relayed.
alter table public.vapi_webhook_events
  add column relay_status integer check (relay_status between 100 and 599),
  add column relay_ms integer check (relay_ms >= 0),
  add column relay_error text check (char_length(relay_error) <= 200);

comment on column public.vapi_webhook_events.relay_status is 'HTTP status the relay upstream answered; null: not relayed, or no answer';
comment on column public.vapi_webhook_events.relay_ms is 'Time the relay took, ms; null: not relayed';
comment on column public.vapi_webhook_events.relay_error is 'Why the upstream answer was not used (timeout, unreachable:…, status-5xx, too-large); null: used or not relayed';

-- A source's own upstream: its request-response deliveries are forwarded there (never to VAPI_RELAY_URL,
-- which belongs to the default source).
alter table public.vapi_sources
  add column relay_url text check (relay_url ~ '^https?://[^/@]+(/|$)' and char_length(relay_url) <= 2000);

comment on column public.vapi_sources.relay_url is 'The team''s own VAPI server URL; null: no relay';

drop function public.vapi_source_overview(uuid);
create function public.vapi_source_overview(p_source_id uuid default null)
returns table (
  id uuid,
  name text,
  verification_mode text,
  verification jsonb,
  active boolean,
  created_at timestamptz,
  updated_at timestamptz,
  call_count bigint,
  last_delivery_at timestamptz,
  secret_rotated_at timestamptz,
  relay_url text
)
language sql
stable
set search_path = ''
as $$
  select s.id, s.name, s.verification_mode, s.verification, s.active, s.created_at, s.updated_at,
    (select count(*) from public.vapi_call_results c where c.source_id = s.id),
    (select max(e.received_at) from public.vapi_webhook_events e where e.source_id = s.id),
    (select k.created_at from public.vapi_source_secrets k where k.source_id = s.id and k.expires_at is null),
    s.relay_url
  from public.vapi_sources s
  where p_source_id is null or s.id = p_source_id
  order by s.created_at, s.id;
$$;

revoke execute on function public.vapi_source_overview(uuid) from public, anon, authenticated;
grant execute on function public.vapi_source_overview(uuid) to service_role;
