-- Wakes long polls on every instance: when a call's result becomes final by its end-of-call report,
-- the transaction that stored it sends NOTIFY callbridge_call_result_final with the call id as payload.
-- Each API instance with DATABASE_URL LISTENs on the channel and re-reads the call for its waiters.
--
-- Rules:
--   * Sent when report_received_at goes from null to set (insert or update): the moment the row
--     becomes final in merge order (report_received_at is never cleared, see ingest_vapi_event).
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

revoke execute on function public.notify_call_result_final() from public, anon, authenticated;
