export const DEFAULT_STATS_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface StatsWindow {
  since: Date;
  until: Date;
}

/** The window asked for, with what is missing filled in: until defaults to now, since to 24 h before until. */
export function statsWindow(query: { since?: string; until?: string }, now: Date): StatsWindow {
  const until = query.until === undefined ? now : new Date(query.until);
  const since =
    query.since === undefined ? new Date(until.getTime() - DEFAULT_STATS_WINDOW_MS) : new Date(query.since);
  return { since, until };
}
