-- Sources: several VAPI orgs, assistants or clients, each with its own webhook URL, verification
-- settings and secret; and read keys that see only their sources' calls.
--   * A source's verification is a mode (hmac, secret, bearer) and its non-secret settings as jsonb,
--     mirroring the environment's VAPI_* variables (apps/api/src/lib/source-verification-settings.ts
--     turns them into the verifier's settings). The secret itself lives in vapi_source_secrets,
--     encrypted by the API (AES-256-GCM, apps/api/src/lib/secret-box.ts): no plaintext reaches Postgres.
--   * One current secret per source (expires_at null). Rotation gives the previous ones an expiry
--     (now + the overlap, 0 = at once) and adds the new one, in one transaction; a secret is valid
--     while expires_at is null or in the future.
--   * source_id on calls and deliveries: null is the default source (the environment-configured secret).
--     Deleting a source deletes its calls and deliveries in the same transaction, by cascade, and nothing
--     else; kestra_push_outbox rows follow their call (their own cascade on call_id).
--   * A read key is stored as the sha256 of the key (hex), with a short prefix for display; its scope is
--     a non-empty list of source ids. Deleting a source takes it out of every scope; a key left with no
--     source is revoked, as it could see nothing.

create table public.vapi_sources (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 200),
  verification_mode text not null check (verification_mode in ('hmac', 'secret', 'bearer')),
  -- hmac: algorithm, signatureHeader, timestampHeader, includeTimestamp, payloadFormat, encoding,
  -- signaturePrefix, secretIsBase64, messageIdHeader, toleranceSeconds; secret: headerName; bearer: {}.
  verification jsonb not null default '{}'::jsonb check (jsonb_typeof(verification) = 'object'),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.vapi_sources is 'A VAPI sender with its own webhook URL and verification; secrets in vapi_source_secrets.';

create trigger vapi_sources_touch_updated_at
  before update on public.vapi_sources
  for each row execute function public.touch_updated_at();

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

create table public.api_read_keys (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 200),
  key_hash text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
  key_prefix text not null,
  source_ids uuid[] not null check (cardinality(source_ids) > 0),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);

comment on table public.api_read_keys is 'Read keys scoped to sources, stored as sha256 hashes; the key is shown once, at creation.';

alter table public.vapi_call_results
  add column source_id uuid references public.vapi_sources (id) on delete cascade;
alter table public.vapi_webhook_events
  add column source_id uuid references public.vapi_sources (id) on delete cascade;

comment on column public.vapi_call_results.source_id is 'The source whose webhook URL delivered the call; null for the default source (environment secret).';
comment on column public.vapi_webhook_events.source_id is 'The source whose webhook URL received the delivery; null for the default source.';

-- The cascades and the overview look calls and deliveries up by source.
create index vapi_call_results_source_idx on public.vapi_call_results (source_id) where source_id is not null;
create index vapi_webhook_events_source_received_idx
  on public.vapi_webhook_events (source_id, received_at desc) where source_id is not null;

-- The list and detail views in one round trip: each source with its call count, last delivery time and
-- when its current secret was set. p_source_id null lists them all, oldest first.
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
  secret_rotated_at timestamptz
)
language sql
stable
set search_path = ''
as $$
  select s.id, s.name, s.verification_mode, s.verification, s.active, s.created_at, s.updated_at,
    (select count(*) from public.vapi_call_results c where c.source_id = s.id),
    (select max(e.received_at) from public.vapi_webhook_events e where e.source_id = s.id),
    (select k.created_at from public.vapi_source_secrets k where k.source_id = s.id and k.expires_at is null)
  from public.vapi_sources s
  where p_source_id is null or s.id = p_source_id
  order by s.created_at, s.id;
$$;

-- A source and its first secret commit together, or neither does.
create function public.create_vapi_source(
  p_id uuid,
  p_name text,
  p_verification_mode text,
  p_verification jsonb,
  p_encrypted_secret text
) returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into public.vapi_sources (id, name, verification_mode, verification)
    values (p_id, p_name, p_verification_mode, p_verification);
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

-- Credentials and their scopes: only the service role, which bypasses row level security, reads or
-- writes them. No policy exists for anon or authenticated.
alter table public.vapi_sources enable row level security;
alter table public.vapi_source_secrets enable row level security;
alter table public.api_read_keys enable row level security;
revoke all on public.vapi_sources, public.vapi_source_secrets, public.api_read_keys from anon, authenticated;
revoke all on public.vapi_call_results, public.vapi_webhook_events from anon, authenticated;

revoke execute on function public.vapi_source_overview(uuid), public.create_vapi_source(uuid, text, text, jsonb, text),
  public.rotate_vapi_source_secret(uuid, text, integer), public.delete_vapi_source(uuid)
  from public, anon, authenticated;
grant execute on function public.vapi_source_overview(uuid), public.create_vapi_source(uuid, text, text, jsonb, text),
  public.rotate_vapi_source_secret(uuid, text, integer), public.delete_vapi_source(uuid)
  to service_role;
