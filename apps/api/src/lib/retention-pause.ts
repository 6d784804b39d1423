/** Purge a backlog at most a fifth of the time: measured to keep ingest p99 within 10 % (docs/performance.md). */
export const DEFAULT_RETENTION_PAUSE_FACTOR = 4;
