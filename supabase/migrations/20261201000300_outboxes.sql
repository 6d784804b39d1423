-- Outboxes: what leaves Callbridge after a store commits. When a call's result becomes final, the
-- same transaction notifies long polls and (with push on) asks for a Kestra push; informational VAPI
-- deliveries are relayed to the team's own VAPI server. Both outboxes are claimed under a lease with
-- FOR UPDATE SKIP LOCKED and settled only by the claim that holds the row, by one pair of functions
-- (claim_outbox_rows, settle_outbox_row) that each outbox's own claim_* and settle_* call.

-- Wakes long polls on every instance: when a call's result becomes final by its end-of-call report,
-- the transaction that stored it sends NOTIFY callbridge_call_result_final with the call id as payload.
-- Each API instance with DATABASE_URL LISTENs on the channel and re-reads the call for its waiters.
--   * Sent when report_received_at goes from null to set (insert or update): the moment the row
--     becomes final in merge order (report_received_at is never cleared, see merge_vapi_event).
--   * Not sent for "ended without report": that becomes final by the clock (RESULT_GRACE_PERIOD_SECONDS,
--     an API setting), not by a write; each instance's periodic check finds it.
--   * Delivered at commit, never for a rolled-back store. Payload: the call id, at most 200 characters
--     (longer ids are stored as sha256:<hex>), well under NOTIFY's 8000-byte limit.
--   * Best effort: a listener that is disconnected misses it; the instance re-checks on reconnect.
create function public.notify_call_result_final() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform pg_notify('callbridge_call_result_final', new.call_id);
  return null;
end;
$$;

create trigger vapi_call_results_report_inserted_notify
  after insert on public.vapi_call_results
  for each row when (new.report_received_at is not null)
  execute function public.notify_call_result_final();

create trigger vapi_call_results_report_received_notify
  after update of report_received_at on public.vapi_call_results
  for each row when (old.report_received_at is null and new.report_received_at is not null)
  execute function public.notify_call_result_final();

-- Push each call's final result to the Kestra execution that placed the call, through a transactional
-- outbox: the row that asks for the push commits with the result, or neither does.
--   * Target: the call's metadata (assistantOverrides.metadata) names the execution as
--     kestraExecutionId (a non-blank string of at most 200 characters) and may name its tenant as
--     kestraTenant (null: the API's KESTRA_TENANT). A call without one is never pushed.
--   * One row per call, written in the transaction that makes the result final:
--       - by the first end-of-call report, through a trigger on vapi_call_results, when the ingest has
--         switched push on for the transaction: ingest_vapi_events sets callbridge.kestra_push per
--         event from its kestraPush flag, which the API sets only when KESTRA_URL is configured;
--       - for a call that ended and got no report within the grace period, by
--         enqueue_ended_kestra_pushes, which the push worker of each API instance calls on every poll;
--         only calls that ended within the push's max age, so turning push on does not push old calls.
--     A repeated report, or a report after the grace period, finds the row there and changes nothing.
--   * Claiming: claim_kestra_pushes hands due rows to one worker under a lease: locked_until, and
--     next_attempt_at moved to the lease's end, so the rows of a worker that dies come back when the
--     lease runs out. Each claim counts an attempt.
--   * Settling: settle_kestra_push records what an attempt came to (delivered, pending again after a
--     delay, failed, expired), but only for the claim that holds the row: a worker whose lease ran out
--     cannot overwrite a newer attempt. Which outcome is which is the API's rule (lib/kestra-push-policy).
--   * Deleting a call (delete_vapi_call) deletes its push row with it.

create index vapi_call_results_ended_unreported_idx
  on public.vapi_call_results ((coalesce(ended_at, updated_at)))
  where report_received_at is null and status = 'ended' and metadata ? 'kestraExecutionId';

-- The execution a call's result goes to; no row when its metadata names none.
create function public.kestra_push_target(p_metadata jsonb)
returns table (execution_id text, tenant text)
language sql
immutable
set search_path = ''
as $$
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
$$;

-- One row per call: a second enqueue for the same call is a no-op.
create function public.enqueue_kestra_push(p_call_id text, p_metadata jsonb) returns void
language sql
set search_path = ''
as $$
  insert into public.kestra_push_outbox (call_id, execution_id, tenant)
  select p_call_id, t.execution_id, t.tenant from public.kestra_push_target(p_metadata) t
  on conflict (call_id) do nothing;
$$;

-- The first report makes the result final: enqueue in the same transaction, if push is on for it.
create function public.enqueue_kestra_push_on_report() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_setting('callbridge.kestra_push', true) = 'on' then
    perform public.enqueue_kestra_push(new.call_id, new.metadata);
  end if;
  return null;
end;
$$;

create trigger vapi_call_results_report_inserted_kestra_push
  after insert on public.vapi_call_results
  for each row when (new.report_received_at is not null)
  execute function public.enqueue_kestra_push_on_report();

create trigger vapi_call_results_report_received_kestra_push
  after update of report_received_at on public.vapi_call_results
  for each row when (old.report_received_at is null and new.report_received_at is not null)
  execute function public.enqueue_kestra_push_on_report();

-- Calls that became final by the grace period (ended, no report; see finalReason in the API) since the
-- last poll. Returns how many rows it wrote.
create function public.enqueue_ended_kestra_pushes(p_grace_seconds integer, p_max_age_seconds integer)
returns integer
language sql
set search_path = ''
as $$
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
$$;

-- Both outboxes are claimed and settled the same way, by these two; each outbox names its table.
-- Claim: up to p_limit due rows of the outbox whose row type p_outbox is (null::public.<table>), each
-- to this caller alone for p_lease_seconds. Each claim counts an attempt.
create function public.claim_outbox_rows(p_outbox anyelement, p_limit integer, p_lease_seconds integer)
returns setof anyelement
language plpgsql
set search_path = ''
as $$
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
$$;

-- Settle: records an attempt's outcome and ends the claim; p_cleared_when_settled are columns emptied
-- once the row is no longer pending. False when the claim no longer holds the row.
create function public.settle_outbox_row(
  p_outbox regclass,
  p_id bigint,
  p_claim_id uuid,
  p_state text,
  p_last_status integer,
  p_last_error text,
  p_retry_in_ms integer,
  p_cleared_when_settled text[] default '{}'
) returns boolean
language plpgsql
set search_path = ''
as $$
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
$$;

-- Kestra push rows due now, each to this caller alone for p_lease_seconds.
create function public.claim_kestra_pushes(p_limit integer, p_lease_seconds integer)
returns setof public.kestra_push_outbox
language sql
set search_path = ''
as $$
  select * from public.claim_outbox_rows(null::public.kestra_push_outbox, p_limit, p_lease_seconds);
$$;

create function public.settle_kestra_push(
  p_id bigint,
  p_claim_id uuid,
  p_state text,
  p_last_status integer,
  p_last_error text,
  p_retry_in_ms integer
) returns boolean
language sql
set search_path = ''
as $$
  select public.settle_outbox_row('public.kestra_push_outbox', p_id, p_claim_id, p_state, p_last_status,
    p_last_error, p_retry_in_ms);
$$;

-- Relay to the team's own VAPI server (apps/api/src/services/vapi-relay*.ts): informational types named
-- in VAPI_RELAY_TYPES (status-update, end-of-call-report, …) are forwarded after they are stored, never
-- delaying VAPI's 2xx, through an outbox claimed and settled as the Kestra push's is, retried with
-- backoff until VAPI_RELAY_OUTBOX_MAX_AGE_SECONDS.
--   * The row keeps VAPI's exact bytes and headers, so the team server verifies VAPI's signature as if
--     VAPI had called. Those headers carry VAPI's credential (signature, or secret/bearer token) and
--     the body is unredacted, so both are kept only while the row is pending: settling it as
--     delivered, failed or expired clears them. A signed delivery is only good within the team
--     server's timestamp tolerance (VAPI's default 300 s), which is why the max age is short.
--   * One row per event; deleting the event (retention) deletes its row.

-- Relay rows due now, each to this caller alone for p_lease_seconds.
create function public.claim_vapi_relays(p_limit integer, p_lease_seconds integer)
returns setof public.vapi_relay_outbox
language sql
set search_path = ''
as $$
  select * from public.claim_outbox_rows(null::public.vapi_relay_outbox, p_limit, p_lease_seconds);
$$;

-- A settled relay row loses VAPI's bytes and headers.
create function public.settle_vapi_relay(
  p_id bigint,
  p_claim_id uuid,
  p_state text,
  p_last_status integer,
  p_last_error text,
  p_retry_in_ms integer
) returns boolean
language sql
set search_path = ''
as $$
  select public.settle_outbox_row('public.vapi_relay_outbox', p_id, p_claim_id, p_state, p_last_status,
    p_last_error, p_retry_in_ms, array['headers', 'body']);
$$;

revoke execute on function
  public.notify_call_result_final(),
  public.kestra_push_target(jsonb),
  public.enqueue_kestra_push(text, jsonb),
  public.enqueue_kestra_push_on_report(),
  public.enqueue_ended_kestra_pushes(integer, integer),
  public.claim_outbox_rows(anyelement, integer, integer),
  public.settle_outbox_row(regclass, bigint, uuid, text, integer, text, integer, text[]),
  public.claim_kestra_pushes(integer, integer),
  public.settle_kestra_push(bigint, uuid, text, integer, text, integer),
  public.claim_vapi_relays(integer, integer),
  public.settle_vapi_relay(bigint, uuid, text, integer, text, integer)
  from public, anon, authenticated;
grant execute on function
  public.notify_call_result_final(),
  public.kestra_push_target(jsonb),
  public.enqueue_kestra_push(text, jsonb),
  public.enqueue_kestra_push_on_report(),
  public.enqueue_ended_kestra_pushes(integer, integer),
  public.claim_outbox_rows(anyelement, integer, integer),
  public.settle_outbox_row(regclass, bigint, uuid, text, integer, text, integer, text[]),
  public.claim_kestra_pushes(integer, integer),
  public.settle_kestra_push(bigint, uuid, text, integer, text, integer),
  public.claim_vapi_relays(integer, integer),
  public.settle_vapi_relay(bigint, uuid, text, integer, text, integer)
  to service_role;
