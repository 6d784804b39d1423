/** A Postgres timestamp as the API answers it: ISO 8601 in UTC. */
export const isoTimestamp = (timestamp: string) => new Date(timestamp).toISOString();
export const isoTimestampOrNull = (timestamp: string | null) =>
  timestamp === null ? null : isoTimestamp(timestamp);
