-- Relay to the team's own VAPI server, continued (apps/api/src/services/vapi-relay*.ts).
--
-- 1. The relay outcome of a request-response delivery is written onto its event once, after the
--    forward (20261203041000_vapi_relay.sql). The log stays append-only otherwise: the trigger now lets
--    through, besides the payload purge, exactly one UPDATE per event that sets relay_ms (with
--    relay_status and relay_error) where relay_ms was null and changes nothing else.
--
-- 2. Informational types named in VAPI_RELAY_TYPES (status-update, end-of-call-report, …) are forwarded
--    after they are stored, never delaying VAPI's 2xx, through an outbox like the Kestra push
--    (20261123100000_kestra_push_outbox.sql): claimed under a lease with FOR UPDATE SKIP LOCKED, settled
--    only by the claim that holds the row, retried with backoff until VAPI_RELAY_OUTBOX_MAX_AGE_SECONDS.
--    * The row keeps VAPI's exact bytes and headers, so the team server verifies VAPI's signature as if
--      VAPI had called. Those headers carry VAPI's credential (signature, or secret/bearer token) and
--      the body is unredacted, so both are kept only while the row is pending: settling it as
--      delivered, failed or expired clears them. A signed delivery is only good within the team
--      server's timestamp tolerance (VAPI's default 300 s), which is why the max age is short.
--    * One row per event; deleting the event (retention) deletes its row.

create or replace function public.reject_event_update() returns trigger
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

create trigger vapi_relay_outbox_touch_updated_at
  before update on public.vapi_relay_outbox
  for each row execute function public.touch_updated_at();

-- Up to p_limit due rows, each to this caller alone for p_lease_seconds.
create function public.claim_vapi_relays(p_limit integer, p_lease_seconds integer)
returns setof public.vapi_relay_outbox
language sql
set search_path = ''
as $$
  update public.vapi_relay_outbox o
  set locked_until = now() + make_interval(secs => p_lease_seconds),
      next_attempt_at = now() + make_interval(secs => p_lease_seconds),
      claim_id = gen_random_uuid(),
      attempts = o.attempts + 1
  from (
    select id
    from public.vapi_relay_outbox
    where state = 'pending' and next_attempt_at <= now()
    order by next_attempt_at
    limit p_limit
    for update skip locked
  ) due
  where o.id = due.id
  returning o.*;
$$;

-- Records an attempt's outcome and ends the claim; a settled row loses VAPI's bytes and headers.
-- False when the claim no longer holds the row.
create function public.settle_vapi_relay(
  p_id bigint,
  p_claim_id uuid,
  p_state text,
  p_last_status integer,
  p_last_error text,
  p_retry_in_ms integer
) returns boolean
language plpgsql
set search_path = ''
as $$
begin
  update public.vapi_relay_outbox
  set state = p_state,
      last_status = p_last_status,
      last_error = p_last_error,
      next_attempt_at = now() + make_interval(secs => coalesce(p_retry_in_ms, 0) / 1000.0),
      delivered_at = case when p_state = 'delivered' then now() end,
      headers = case when p_state = 'pending' then headers end,
      body = case when p_state = 'pending' then body end,
      locked_until = null,
      claim_id = null
  where id = p_id and claim_id = p_claim_id;
  return found;
end;
$$;

alter table public.vapi_relay_outbox enable row level security;
revoke all on public.vapi_relay_outbox from anon, authenticated;

revoke execute on function public.claim_vapi_relays(integer, integer) from public, anon, authenticated;
revoke execute on function public.settle_vapi_relay(bigint, uuid, text, integer, text, integer) from public, anon, authenticated;
grant execute on function
  public.claim_vapi_relays(integer, integer),
  public.settle_vapi_relay(bigint, uuid, text, integer, text, integer)
  to service_role;
