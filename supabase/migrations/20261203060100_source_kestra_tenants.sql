-- Which Kestra tenants a source may resume executions in (issue 18, finding 6).
--   * A call's execution id and tenant come from its assistantOverrides.metadata, which whoever holds
--     the source's secret writes. The push worker (services/kestra-push-worker.ts) sends a push only
--     when the tenant is one the call's source allows and both ids have Kestra's id form; otherwise
--     the outbox row is settled `failed` with the reason in last_error and nothing reaches Kestra.
--   * kestra_tenants null: the source may use KESTRA_TENANT only. The default source (source_id
--     null) has no row: KESTRA_ALLOWED_TENANTS says its tenants.
--   * vapi_source_overview and create_vapi_source gain the column; their other behaviour is as in
--     20261124020000_sources.sql and 20261203041000_vapi_relay.sql (relay_url).

alter table public.vapi_sources
  add column kestra_tenants text[]
  check (
    kestra_tenants is null
    or (cardinality(kestra_tenants) between 1 and 50
      and array_to_string(kestra_tenants, ',') ~ '^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64})*$')
  );

comment on column public.vapi_sources.kestra_tenants is 'Kestra tenants this source''s calls may resume executions in; null: KESTRA_TENANT only.';

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
  relay_url text,
  kestra_tenants text[]
)
language sql
stable
set search_path = ''
as $$
  select s.id, s.name, s.verification_mode, s.verification, s.active, s.created_at, s.updated_at,
    (select count(*) from public.vapi_call_results c where c.source_id = s.id),
    (select max(e.received_at) from public.vapi_webhook_events e where e.source_id = s.id),
    (select k.created_at from public.vapi_source_secrets k where k.source_id = s.id and k.expires_at is null),
    s.relay_url,
    s.kestra_tenants
  from public.vapi_sources s
  where p_source_id is null or s.id = p_source_id
  order by s.created_at, s.id;
$$;

drop function public.create_vapi_source(uuid, text, text, jsonb, text);
create function public.create_vapi_source(
  p_id uuid,
  p_name text,
  p_verification_mode text,
  p_verification jsonb,
  p_encrypted_secret text,
  p_kestra_tenants text[] default null
) returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into public.vapi_sources (id, name, verification_mode, verification, kestra_tenants)
    values (p_id, p_name, p_verification_mode, p_verification, p_kestra_tenants);
  insert into public.vapi_source_secrets (source_id, encrypted_secret) values (p_id, p_encrypted_secret);
end;
$$;

revoke execute on function public.vapi_source_overview(uuid),
  public.create_vapi_source(uuid, text, text, jsonb, text, text[])
  from public, anon, authenticated;
grant execute on function public.vapi_source_overview(uuid),
  public.create_vapi_source(uuid, text, text, jsonb, text, text[])
  to service_role;
