-- Ingest and merge: how a batch of webhook deliveries becomes event rows and call rows, in one
-- transaction per batch (the API calls ingest_vapi_event_batch through PostgREST).
--   * Each delivery carries an id Callbridge gives it on receipt. A store retried after a timeout
--     (the first attempt may have committed) finds its id and changes nothing: retries are harmless.
--   * What Callbridge had to change so that Postgres would take a delivery (NUL removed, a date out of
--     range dropped, …) is recorded on the event row, in `sanitized`.
--   * A value Postgres still refuses fails only its own event, which is logged as `failed` with the
--     SQLSTATE: never its neighbours, never the request. A deadlock or serialization failure is the
--     transaction's, not the event's: it is raised, so the whole batch is retried (PostgREST answers
--     5xx). The API orders each batch by call id, so concurrent batches take row locks in one order.
--   * The end-of-call report is stored once: in its event's `payload` (what a replay re-applies and
--     GET /events?include=payload shows). The call row keeps the mapped columns readers use; once
--     payload retention clears an event's payload, they are what is left of its report.
--   * Calls and deliveries carry their source. A call belongs to one source: an event whose call id
--     already belongs to another (the default source counts as one) is not merged but logged as
--     `rejected` with error_code `source-mismatch`, and acknowledged (it is authentic and kept). The
--     check sits in the upsert itself (ON CONFLICT ... DO UPDATE ... WHERE same source), so two sources
--     creating the same call id at once cannot both merge into it.

-- The merge rules. Deliveries repeat and arrive out of order (VAPI documents no ordering and retries
-- with its backoff plan), so the merge is written to give the same row whatever the order:
--   * status only moves forward: scheduled < queued < ringing < in-progress < forwarding < ended;
--   * an end-of-call report's values win over what status updates filled in, other events only fill
--     gaps, and a null never erases a stored value;
--   * last_event_* follows the newest event by VAPI's timestamp, not by arrival;
--   * the first report sets report_received_at (the result is final); it is never cleared or moved.
-- Concurrent deliveries for one call serialize on the row through INSERT ... ON CONFLICT.
create function public.vapi_status_rank(status text) returns int
language sql
immutable
set search_path = ''
as $$
  select case status
    when 'scheduled' then 1
    when 'queued' then 2
    when 'ringing' then 3
    when 'in-progress' then 4
    when 'forwarding' then 5
    when 'ended' then 6
    else 0
  end;
$$;

-- How one column merges: a report's value wins where it has one; any other event only fills a gap.
create function public.vapi_merge_value(from_report boolean, incoming anyelement, stored anyelement)
returns anyelement
language sql
immutable
set search_path = ''
as $$
  select case when from_report then coalesce(incoming, stored) else coalesce(stored, incoming) end;
$$;

-- Merges one event into its call's row by the rules above. False, nothing written, when the row
-- belongs to another source.
create function public.merge_vapi_event(
  p_call_id text,
  p_event_type text,
  p_event_at timestamptz,
  p_is_report boolean,
  p_fields jsonb,
  p_source_id uuid
) returns boolean
language plpgsql
set search_path = ''
as $$
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
$$;

-- An event's fields to merge: `fields` plus those it names in `fieldsInPayload`, each the value of its
-- own payload at a path, e.g. {"transcript": ["message", "artifact", "transcript"]}. So the request
-- body carries (and PostgREST and Postgres parse) a report's transcript and messages once instead of
-- twice. `fields` wins where both name a field.
create function public.vapi_event_fields(p_event jsonb) returns jsonb
language sql
immutable
set search_path = ''
as $$
  select coalesce(
      (select jsonb_object_agg(f.key, p_event->'payload' #> array(select jsonb_array_elements_text(f.value)))
        from jsonb_each(case when jsonb_typeof(p_event->'fieldsInPayload') = 'object'
          then p_event->'fieldsInPayload' end) f
        where jsonb_typeof(f.value) = 'array'),
      '{}'::jsonb)
    || coalesce(p_event->'fields', '{}'::jsonb);
$$;

-- Stores a batch of deliveries, one event at a time. Each element of p_events:
--   { deliveryId, sourceId, callId, eventType, eventAt, receivedAt, payloadBytes, outcome, errorCode,
--     payload, sanitized, isReport, fields, fieldsInPayload, replayOf, kestraPush }
-- Returns one { deliveryId, eventId, outcome, errorCode } per element, in order.
create function public.ingest_vapi_events(p_events jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
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
$$;

comment on function public.ingest_vapi_events is 'Logs a batch of VAPI deliveries and merges each into vapi_call_results; a refused value fails only its own event.';

-- The API's entry point. The batch is one JSON text, not a jsonb argument: PostgREST builds a JSON tree
-- of every jsonb argument before handing it to Postgres, a text argument is one string to it, and
-- Postgres parses the events once, in the cast (32 reports of 20 KB per call: 2,700 vs 1,550 events/s).
-- Around ingest_vapi_events it adds what the local spool needs from a store:
--   * Not after the caller gave up: `p_not_after` is when the API aborts its request. A batch still
--     running then (PostgREST queued it while it was stalled, or Postgres was stopped mid-way) raises
--     instead of committing, checked as the last step before the commit. So a webhook answered 503
--     after every attempt's deadline passed is never found stored afterwards, and the retry VAPI makes
--     with a backoffPlan is not logged twice. (This relies on the API and the database clocks agreeing
--     to well within the attempt timeout, as NTP keeps them.)
--   * One store per delivery at a time: a transaction-scoped advisory lock per delivery id, taken in one
--     order, so a late write and the spool's drain of the same delivery cannot both pass the "already
--     stored?" check and merge it twice; the second waits, then finds it and changes nothing.
--   * When it was received: a spooled delivery is stored seconds or minutes after it arrived, so its
--     record carries `receivedAt` and that, not the drain's now(), becomes its event's received_at (the
--     event log, stats and retention then see it when VAPI sent it). The log is append-only, so it is
--     set on insert: the batch hands the times to a BEFORE INSERT trigger through a transaction-local
--     setting. Records without it (every store that was not spooled) keep now().
create function public.ingest_vapi_event_batch(p_events text, p_not_after timestamptz) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_events jsonb := p_events::jsonb;
  v_results jsonb;
begin
  -- 19: this feature's class of advisory locks (retention uses the one-key form).
  perform pg_advisory_xact_lock(19, k)
    from (select distinct hashtext(value->>'deliveryId') as k
            from jsonb_array_elements(v_events) order by 1) keys;
  perform set_config('callbridge.received_at', coalesce(
      (select jsonb_object_agg(value->>'deliveryId', value->'receivedAt')
         from jsonb_array_elements(v_events) where value ? 'receivedAt')::text,
      ''), true);
  v_results := public.ingest_vapi_events(v_events);
  if p_not_after is not null and clock_timestamp() > p_not_after then
    raise exception 'ingest batch ran past its deadline (%): rolled back', p_not_after
      using errcode = '57014';
  end if;
  return v_results;
end;
$$;

create function public.event_received_at_from_spool() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_times text := nullif(current_setting('callbridge.received_at', true), '');
begin
  if v_times is not null and new.delivery_id is not null then
    new.received_at := coalesce((v_times::jsonb->>new.delivery_id::text)::timestamptz, new.received_at);
  end if;
  return new;
end;
$$;

create trigger vapi_webhook_events_received_at_from_spool
  before insert on public.vapi_webhook_events
  for each row execute function public.event_received_at_from_spool();

-- A trigger function runs whoever inserts; nobody needs to call it directly.
revoke execute on function public.event_received_at_from_spool() from public, anon, authenticated;
revoke execute on function
  public.vapi_status_rank(text),
  public.vapi_merge_value(boolean, anyelement, anyelement),
  public.merge_vapi_event(text, text, timestamptz, boolean, jsonb, uuid),
  public.vapi_event_fields(jsonb),
  public.ingest_vapi_events(jsonb),
  public.ingest_vapi_event_batch(text, timestamptz)
  from public, anon, authenticated;
grant execute on function
  public.vapi_status_rank(text),
  public.vapi_merge_value(boolean, anyelement, anyelement),
  public.merge_vapi_event(text, text, timestamptz, boolean, jsonb, uuid),
  public.vapi_event_fields(jsonb),
  public.ingest_vapi_events(jsonb),
  public.ingest_vapi_event_batch(text, timestamptz)
  to service_role;
