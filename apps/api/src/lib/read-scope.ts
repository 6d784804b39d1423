/**
 * What a read key may see: every source (a key from API_KEYS), or only the calls and deliveries of
 * some sources (a scoped read key). A scoped key never sees the default source (source_id null).
 */
export type ReadScope = { all: true } | { sourceIds: readonly string[] };

export const ALL_SOURCES: ReadScope = Object.freeze({ all: true });
/** Sees nothing: what a request carries until a key check has set its scope. */
export const NO_SOURCES: ReadScope = Object.freeze({ sourceIds: Object.freeze([]) });

/**
 * The PostgREST filter that limits a read to the scope, as `query.filter(...f)` takes it; null for
 * every source. Source ids are uuids (checked when the key was created), so they need no quoting.
 */
export function readScopeFilter(
  scope: ReadScope,
): [column: 'source_id', operator: 'in', value: string] | null {
  if ('all' in scope) return null;
  return ['source_id', 'in', `(${scope.sourceIds.join(',')})`];
}

/** The scope as an SQL function's p_source_ids parameter: null for every source. */
export function readScopeSourceIds(scope: ReadScope): string[] | null {
  return 'all' in scope ? null : [...scope.sourceIds];
}

/** Whether a row of this source is visible in the scope: for rows already in memory (the live stream). */
export function inReadScope(scope: ReadScope, sourceId: string | null): boolean {
  if ('all' in scope) return true;
  return sourceId !== null && scope.sourceIds.includes(sourceId);
}
