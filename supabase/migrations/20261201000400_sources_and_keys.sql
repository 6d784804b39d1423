-- Sources and read keys: each VAPI sender (a source) has its own webhook URL, verification, secrets
-- (encrypted by the API, rotated with an overlap), relay URL and Kestra tenants; read keys are scoped to
-- sources. The tables are in 20261201000000_tables.sql; these functions change a source and its secrets
-- in one transaction each.

-- Each source's settings with its call count, last delivery and last secret rotation; one source, or
-- all with null.
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

-- A source and its first secret, together.
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

-- Rotation: every secret still valid expires after the overlap (sooner if it already expires sooner),
-- and the new one becomes current. False when the source does not exist.
create function public.rotate_vapi_source_secret(
  p_source_id uuid,
  p_encrypted_secret text,
  p_overlap_seconds integer
) returns boolean
language plpgsql
set search_path = ''
as $$
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
$$;

-- Deleting a source: its calls, deliveries and secrets go by cascade in this one transaction; read keys
-- lose it from their scope, and a key scoped to it alone is revoked. Returns { deleted, calls, events }.
create function public.delete_vapi_source(p_source_id uuid) returns jsonb
language plpgsql
set search_path = ''
as $$
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
$$;

revoke execute on function
  public.vapi_source_overview(uuid),
  public.create_vapi_source(uuid, text, text, jsonb, text, text[]),
  public.rotate_vapi_source_secret(uuid, text, integer),
  public.delete_vapi_source(uuid)
  from public, anon, authenticated;
grant execute on function
  public.vapi_source_overview(uuid),
  public.create_vapi_source(uuid, text, text, jsonb, text, text[]),
  public.rotate_vapi_source_secret(uuid, text, integer),
  public.delete_vapi_source(uuid)
  to service_role;
