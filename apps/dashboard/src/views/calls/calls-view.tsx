import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useCalls } from '../../api/queries.ts';
import { filtersFromSearch, filtersToSearch, toApiFilter } from '../../lib/call-filters.ts';
import { CallFiltersForm } from './call-filters-form.tsx';
import { CallsTable } from './calls-table.tsx';

export function CallsView() {
  const [search, setSearch] = useSearchParams();
  const form = filtersFromSearch(search);
  const filter = useMemo(() => toApiFilter(filtersFromSearch(search)), [search]);
  const calls = useCalls(filter);
  const rows = calls.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <section aria-labelledby="calls-title">
      <h1 id="calls-title">Calls</h1>
      <CallFiltersForm value={form} onChange={(next) => setSearch(filtersToSearch(next))} />
      {calls.isPending && <p>Loading…</p>}
      {calls.error && (
        <p role="alert" className="error">
          {calls.error.message}
        </p>
      )}
      {calls.data && <CallsTable calls={rows} />}
      {calls.hasNextPage && (
        <button type="button" onClick={() => calls.fetchNextPage()} disabled={calls.isFetchingNextPage}>
          {calls.isFetchingNextPage ? 'Loading…' : 'Older calls'}
        </button>
      )}
    </section>
  );
}
