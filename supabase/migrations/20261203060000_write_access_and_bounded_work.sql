-- Bounding what one key can make the database do (issue 18, finding 4).
--   * Read keys get an access level: `read` (the calls, deliveries and stats of their sources) or
--     `read+write` (also replay deliveries and delete a call's data). Every key that exists when this
--     runs becomes `read`: they were issued as read keys, and a key that could quietly rewrite and
--     delete data is what the finding is about. An operator who relied on a read key to replay or
--     delete creates a `read+write` key for that job. API_KEYS (the environment) keep full rights.
--   * Replays look their earlier replays up by `replay_of` (services/replay-service.ts refuses to
--     replay an event again once it has a replay that merged, or after a fixed number of attempts),
--     so the column gets an index.
--   * The service role, which PostgREST impersonates for every API request, gets a statement timeout:
--     a query that runs on after the client gave up (a wide stats window, a runaway sort) is cut by
--     Postgres. PostgREST 12 applies an impersonated role's settings on each request. 30 s is far
--     above what the API's queries take on a healthy database and below a load balancer's usual 60 s;
--     the stats window is bounded by STATS_MAX_WINDOW_DAYS as well.

alter table public.api_read_keys
  add column access text not null default 'read' check (access in ('read', 'read+write'));

comment on column public.api_read_keys.access is 'read: read routes only; read+write: also replay deliveries and delete call data.';

create index vapi_webhook_events_replay_of_idx
  on public.vapi_webhook_events (replay_of) where replay_of is not null;

alter role service_role set statement_timeout = '30s';
