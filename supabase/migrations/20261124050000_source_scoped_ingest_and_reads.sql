-- Calls and deliveries carry their source; reads filter by the caller's scope.
--   * Each element of ingest_vapi_events' p_events may carry `sourceId` (null or absent: the default
--     source, the environment's secret). The event row stores it; a call row takes it when the event
--     creates the row and never changes it afterwards.
--   * A call belongs to one source. An event whose call id already belongs to another source (the
--     default source counts as one) is not merged: it is logged as `rejected` with error_code
--     `source-mismatch`, and the delivery is acknowledged (it is authentic and kept). The check sits in
--     the upsert itself (ON CONFLICT ... DO UPDATE ... WHERE same source), so two sources creating the
--     same call id at once cannot both merge into it.
--   * vapi_stats and delete_vapi_call take p_source_ids uuid[]: null = every source (API_KEYS); a list =
--     only those sources (a scoped read key), which never includes the default source.
--   * Everything else is as in 20261124000000_store_report_once.sql.

drop function public.merge_vapi_event(text, text, timestamptz, boolean, jsonb);

-- Merges one event into its call's row (rules in 20261122000100_ingest_vapi_event.sql). False, and
-- nothing written, when the row belongs to another source.
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
    metadata, variable_values, report_received_at, last_event_type, last_event_at, source_id
  ) values (
    p_call_id, f.status, f.ended_reason, f.started_at, f.ended_at, f.duration_seconds, f.customer_number,
    f.vapi_phone_number, f.phone_number_id, f.assistant_id, f.transcript, f.messages, f.recording_url,
    f.stereo_recording_url, f.summary, f.structured_data, f.success_evaluation, f.cost, f.cost_breakdown,
    f.metadata, f.variable_values,
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

-- Each element of p_events as in 20261123200000_replay_deliveries.sql, plus `sourceId`; one result per
-- element, in order.
create or replace function public.ingest_vapi_events(p_events jsonb) returns jsonb
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
      -- Push to Kestra is on for this event (20261123100000_kestra_push_outbox.sql).
      perform set_config('callbridge.kestra_push', case when (e->>'kestraPush')::boolean then 'on' else 'off' end, true);
      begin
        if not public.merge_vapi_event(
          e->>'callId', e->>'eventType', (e->>'eventAt')::timestamptz, (e->>'isReport')::boolean,
          e->'fields', v_source) then
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

-- Stats: the covering indexes also carry source_id, so a scoped read stays an index-only scan.
drop index public.vapi_webhook_events_stats_idx;
drop index public.vapi_call_results_stats_idx;
create index vapi_webhook_events_stats_idx
  on public.vapi_webhook_events (received_at) include (event_type, outcome, error_code, source_id);
create index vapi_call_results_stats_idx
  on public.vapi_call_results (created_at)
  include (status, ended_reason, duration_seconds, cost, report_received_at, source_id);

drop function public.vapi_stats(timestamptz, timestamptz);

-- As in 20261123210000_vapi_stats.sql, over the calls and deliveries of p_source_ids (null: all).
create function public.vapi_stats(p_since timestamptz, p_until timestamptz, p_source_ids uuid[] default null)
returns jsonb
language sql
stable
set search_path = ''
as $$
  with event_groups as (
    select event_type, outcome, error_code, count(*) as n
    from public.vapi_webhook_events
    where received_at >= p_since and received_at < p_until
      and (p_source_ids is null or source_id = any(p_source_ids))
    group by event_type, outcome, error_code
  ),
  -- Each table grouped on its first read, as before: a CTE read twice would be materialized row by row.
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
$$;

comment on function public.vapi_stats is 'Calls and deliveries in [p_since, p_until) of p_source_ids (null: all): counts, outcomes, durations, cost, failure codes.';

drop function public.delete_vapi_call(text);

-- Deletes a call's row and its logged deliveries; with p_source_ids, only what belongs to those sources.
create function public.delete_vapi_call(p_call_id text, p_source_ids uuid[] default null) returns jsonb
language plpgsql
set search_path = ''
as $$
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
$$;

revoke execute on function public.merge_vapi_event(text, text, timestamptz, boolean, jsonb, uuid),
  public.ingest_vapi_events(jsonb), public.vapi_stats(timestamptz, timestamptz, uuid[]),
  public.delete_vapi_call(text, uuid[])
  from public, anon, authenticated;
grant execute on function public.merge_vapi_event(text, text, timestamptz, boolean, jsonb, uuid),
  public.ingest_vapi_events(jsonb), public.vapi_stats(timestamptz, timestamptz, uuid[]),
  public.delete_vapi_call(text, uuid[])
  to service_role;
